"""What a free message asks: the request in it (scored per sentence and clause as well as whole), a place
question with a location or a moment, a second request to offer afterwards, and 'who is this?'."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from bot.flows import understand_aside, understand_place
from bot.flows import understand_base as base
from bot.flows.context import Ctx
from bot.flows.understand_base import (
    HANDOFF_INTENT,
    LANGUAGE_INTENT,
    PLACE_INTENT,
    PRIVACY_INTENT,
    SOCIAL,
    STOP_INTENT,
    STRONG,
    THANKS,
)
from intents.matcher import Match

SECOND_MIN = 75.0  # a second request in the same message is offered from this score
MAX_PIECES_FOR_SECOND = 3  # a long story mentions many things: no second request from it
CLEARLY_SURER = 10.0  # a question clause this much surer than the whole message is the request
PLACE_PIECE_SCORE = 70.0  # a clause asking for a place with a location counts as a Digipunt request this sure
CORROBORATED_MIN = 40.0  # a question this sure of an intent that another clause surely asks is that request


@dataclass(frozen=True)
class Request:
    """The main request of a message, the text it stands in, and a second request (if any)."""

    intent: str | None
    score: float
    text: str
    second: str | None = None
    second_text: str = ""
    focus: tuple[str, ...] = ()  # the questions and the clause of the request, when the message has several
    question: str = ""  # the question clause the request was read from, when a longer message has one


def _says_having(ctx: Ctx, piece: str) -> bool:
    """'J'ai déjà WhatsApp' after a request: what the resident has, no second request ('ik heb geen internet'
    and 'I have a problem with ...' still ask)."""
    answers = ctx.library.answers
    if base.QUESTION_END.search(piece) or not answers.has(piece, "having") or answers.has(piece, "trouble"):
        return False
    return not answers.negates(piece)


def _closing_questions(ctx: Ctx) -> set[str]:
    """The last clause of a question sentence when no clause before it opens like a question ('my wifi just died
    and I have an interview tomorrow, can I use my phone as internet??'): that clause asks; the ones before tell
    the story."""
    answers = ctx.library.answers
    return {pieces[-1] for pieces, question in base.sentences(ctx) if question and len(pieces) > 1
            and not any(answers.opens_with(piece, "question_openers") for piece in pieces[:-1])}


def _resolved_social(match: Match) -> str | None:
    """'goeiedag, ik heb geen internet thuis': when a greeting and a request tie, the request wins."""
    if match.ambiguous and len(match.candidates) >= 2:
        first, second = match.candidates[0].intent, match.candidates[1].intent
        if first in SOCIAL and second not in SOCIAL:
            return second
        if second in SOCIAL and first not in SOCIAL:
            return first
    return match.intent


def _action(ctx: Ctx, intent: str | None) -> str | None:
    spec = ctx.library.catalog.intents.get(intent or "")
    return spec.action if spec is not None else None


def request(ctx: Ctx) -> Request:
    """The request of the whole message (see _request); a guide's product named in it ('ik heb proximus thuis ...
    hun wifi', 'un reseau avec fon') wins over a loose reading that is no guide."""
    asked = _request(ctx)
    if asked.score >= STRONG or ctx.match().keyword:
        return asked
    if asked.intent in ("handoff.request", *SOCIAL):
        return asked
    words = set(ctx.library.matcher.normaliser.tokens(ctx.text))
    if asked.intent is not None and words & _keyword_words(ctx, asked.intent):
        return asked  # its own product is named too
    product = _named_product(ctx, ctx.text, ctx.match())
    if product is None or product[0] == asked.intent:
        return asked
    # '... De buurvrouw heeft dit whatsapp erop gezet. Mijn kleindochter wil mij zien als we bellen. Hoe moet
    # dat?': the clause asked about surely asks for its own request; the product only tells what is on the phone
    hint = ctx.state.language if ctx.state.language_known else None
    if asked.intent is not None and any(
            (found := ctx.library.matcher.classify(piece, hint)).intent == asked.intent and found.score >= STRONG
            for piece in asked.focus):
        return asked
    return Request(product[0], product[1], ctx.text, asked.second, asked.second_text, asked.focus, asked.question)


def _request(ctx: Ctx) -> Request:
    """The request of the whole message; for several sentences or clauses, the best clause wins (a question
    first, then the surest) unless the whole message is surely one request; a different sure request in
    another clause is the second one."""
    whole = ctx.match()
    whole_intent = _resolved_social(whole)
    if whole_intent == PRIVACY_INTENT and (understand_aside.forgot_something(ctx, ctx.text)
                                           or _asks_another_day(ctx, ctx.text)):
        whole_intent = None
    pieces = base.pieces(ctx)
    if len(pieces) <= 1:
        return Request(whole_intent, whole.score, ctx.text)
    hint = ctx.state.language if ctx.state.language_known else None
    scored = []
    unsure_questions = []
    social: list[str] = []
    # 'ze vraagt of ik eens met beeld kan bellen. Hoe doe ik dat?': a bare question asks what was said before it
    # ('Ik zou graag samen met anderen leren ... Bestaat er zoiets in Gent?': 'zoiets' is what was said before)
    refers_back = {index for index, (piece, question) in enumerate(pieces)
                   if question and index > 0 and ctx.library.answers.has(piece, "refers_back")}
    bare = refers_back | {index for index, (piece, question) in enumerate(pieces)
                          if (question and not _says_something(ctx, piece)) or _only_asks_how(ctx, piece)}
    asked_before = {index for index, _ in enumerate(pieces) if index + 1 in bare and not pieces[index][1]}
    pieces = [(piece, question or index + 1 in bare) for index, (piece, question) in enumerate(pieces)]
    for index, (piece, question) in enumerate(pieces):
        if index in bare and (index in refers_back or _only_asks_how(ctx, piece)):
            continue  # 'hoe moet ik dat doen op mijn gsm' asks about the piece before it, it asks nothing itself
        if _only_tells_a_device(ctx, piece):
            continue  # 'zij heeft een tablet' tells what she has, it asks for no device
        match = ctx.library.matcher.classify(piece, hint)
        intent = _resolved_social(match)
        score = match.score
        if intent is None:
            intent, score = _named_product(ctx, piece, match) or (None, score)
        if intent == LANGUAGE_INTENT and (_names_only_current_language(ctx, piece)
                                          or ctx.library.answers.has(piece, "language_described")):
            intent = None  # 'Uw nederlands is goed 😄' in Dutch: a compliment, no switch; 'but it's all in Dutch'
        if intent in SOCIAL:
            social.append(str(intent))
        if index in asked_before and intent == LANGUAGE_INTENT:
            # '... ik versta niet goed nederlands. is er hulp?': the help asked for is the story's, not a language
            question = False
            pieces[index] = (piece, False)
        if intent is None and understand_place.asks_place(
                ctx, piece, understand_place.location(ctx, piece), base.likely(match)):
            intent, score = PLACE_INTENT, PLACE_PIECE_SCORE  # "computer with a helper in bloemekenswijk?"
        if intent is not None and ctx.library.matcher.unguided(ctx.text, intent):
            continue  # 'mon itsme ne marche plus | sur mon nouveau téléphone': no WhatsApp from the second half
        if intent == STOP_INTENT and not understand_aside.says_stop(ctx, piece):
            continue  # 'bon j'arrête, ma fille vient demain': giving up for today, no unsubscribing by a clause
        if intent == PRIVACY_INTENT and understand_aside.forgot_something(ctx, piece):
            continue  # 'il demande un mot de passe que j'ai oublié': the resident forgot, nothing is to be forgotten
        if intent == PRIVACY_INTENT and _asks_another_day(ctx, piece):
            continue  # 'what about monday?': another day asked for, not one's data
        if intent is not None and intent not in SOCIAL:
            scored.append((index, piece, question, intent, score))
        elif intent is None and question and match.candidates and match.candidates[0].score >= CORROBORATED_MIN:
            unsure_questions.append((index, piece, [candidate.intent for candidate in match.candidates[:2]
                                                    if candidate.score >= CORROBORATED_MIN]))
    # a story ends with its question, too loosely worded to be sure ('Is there cheaper internet for people like
    # us?'): another clause that surely asks the same ('we have no internet at all') makes it the question; of
    # its two likeliest readings, the first one backed ('bestaat er iets goedkoop?' after 'telenet was te duur')
    for index, piece, readings in unsure_questions:
        for intent in readings:
            backing = [item[4] for item in scored if item[3] == intent]
            if backing:
                scored.append((index, piece, True, intent, max(backing)))
                break
    # a loosely read question ('Il existe quelque chose de pas cher ?' reads 66 as a device) whose second reading
    # a sure clause of the story asks ("je n'ai pas internet a la maison"), and its first none: the second
    sure_intents = {item[3]: item[4] for item in scored if item[4] >= STRONG and not item[2]}
    for position, (index, piece, question, intent, score) in enumerate(scored):
        if not question or score >= STRONG or intent in sure_intents:
            continue
        readings = [candidate.intent for candidate in ctx.library.matcher.classify(piece, hint).candidates[:2]]
        backed = [reading for reading in readings[1:] if reading in sure_intents]
        if backed:
            scored[position] = (index, piece, question, backed[0], sure_intents[backed[0]])
    scored.sort(key=lambda item: item[0])
    if whole_intent == LANGUAGE_INTENT and ctx.library.answers.has(ctx.text, "language_described") and any(
            item[3] not in (LANGUAGE_INTENT, *SOCIAL) for item in scored):
        whole_intent = None  # '... and she speaks turkish, how do we video call': the clause that asks is the request
    if not scored:
        if whole_intent is None and THANKS in social:  # 'Thank you dear, that's very kind'
            return Request(THANKS, whole.score, ctx.text)
        return Request(whole_intent if not (whole_intent == LANGUAGE_INTENT and _names_only_current_language(
            ctx, ctx.text)) else (THANKS if THANKS in social else None), whole.score, ctx.text)
    over_product = _whole_over_product(ctx, whole, scored)  # (always called: it also drops product-only clauses)
    whole_intent = whole_intent or over_product
    questions = [item for item in scored if item[2]]
    # a sure question in the story outweighs a loose reading of the whole ("... Comment avoir un ordinateur?")
    # a question no surer than the whole message does not outweigh it ("3 oude gsms ... geven jullie die aan
    # mensen?": the question alone reads as lessons, the whole as a donation)
    asked_otherwise = any(item[3] != whole_intent and item[4] >= min(STRONG, whole.score + CLEARLY_SURER)
                          for item in questions)
    if whole_intent is not None and whole_intent not in SOCIAL and (whole.score >= STRONG or not asked_otherwise):
        main_intent, main_score = whole_intent, whole.score
        # the question that asks it, if one does ('... geen internet thuis. is er goedkoper internet?')
        main_index = next((i for i, _, question, intent, _ in scored if intent == whole_intent and question),
                          next((i for i, _, _, intent, _ in scored if intent == whole_intent), -1))
    else:  # the first question; without a question mark, the first sure request, else the surest
        sure = [item for item in scored if item[4] >= STRONG]
        closing = _closing_questions(ctx)
        asking = [item for item in questions if item[1] in closing and item[4] >= STRONG]
        best = asking[0] if asking else min(questions or sure, key=lambda item: item[0]) if questions or sure \
            else max(scored, key=lambda i: (i[4], -i[0]))
        # 'mijn dochter moet huiswerk maken op smartschool ... Is er iemand die haar kan helpen?': help asked
        # without a call, after a clause that surely asks its own topic: that topic (a helper stays one step away)
        topic = [item for item in sure if item[3] not in (HANDOFF_INTENT, *SOCIAL) and item[0] < best[0]]
        if best[3] == HANDOFF_INTENT and topic and not ctx.library.answers.has(best[1], "call_me") \
                and not ctx.library.answers.has(best[1], "call_me_short"):
            best = topic[0]
        main_index, _, _, main_intent, main_score = best
    second = None
    second_index = -1
    second_text = ""
    if len(pieces) <= MAX_PIECES_FOR_SECOND:
        # a clause naming a place is part of a place question ('hoe laat is de kringwinkel ... open')
        others = [item for item in scored if _action(ctx, item[3]) != _action(ctx, main_intent)
                  and (item[4] >= SECOND_MIN or item[3] == PLACE_INTENT) and item[0] != main_index
                  and not (main_intent == PLACE_INTENT and understand_place.location(ctx, item[1]) is not None)
                  and _says_something(ctx, item[1]) and not _says_having(ctx, item[1])]
        if others:
            second_index, second_text, _, second, _ = max(others, key=lambda item: (item[4], -item[0]))
    text = " ".join(piece for index, (piece, _) in enumerate(pieces) if index != second_index) \
        if second else ctx.text
    focus = [piece for index, (piece, question) in enumerate(pieces) if question and index != second_index]
    if 0 <= main_index < len(pieces):
        focus.append(pieces[main_index][0])
    asked_in = pieces[main_index][0] if 0 <= main_index < len(pieces) and pieces[main_index][1] \
        and _says_something(ctx, pieces[main_index][0]) else ""
    return Request(main_intent, main_score, text, second, second_text, tuple(dict.fromkeys(focus)), asked_in)


def _asks_another_day(ctx: Ctx, text: str) -> bool:
    """'what about monday?' reads like 'what about me?' (privacy) to the matcher: a day named and no deletion
    asked is a question about that day."""
    return understand_place.names_a_day(ctx, text) and not understand_aside.asks_to_forget(ctx, text, inside=True)


PRODUCT_MIN = 50.0  # a guide's product named ('teams') decides between close readings from this score on
PRODUCT_CANDIDATES = 2


HAVING_VERBS = frozenset({"heeft", "heb", "hebben", "hebt", "has", "have", "got", "ai", "a", "as", "avons", "ont"})


def _only_tells_a_device(ctx: Ctx, piece: str) -> bool:
    """'zij heeft een tablet', 'I have an iphone': who has which device, and nothing else."""
    answers = ctx.library.answers
    devices = answers.words_of("device_words", "device_brands")
    said = answers.tokens(piece)
    words = set(said)
    stop = ctx.library.catalog.spelling.stopwords
    if words & answers.negation or words & {"no", "geen", "pas", "none"}:
        return False  # 'I have no laptop' asks for one
    having = words & HAVING_VERBS
    if having == {"a"} and not _french_has(said):
        having = set()  # 'need a computer': the English article, not French 'a' (has)
    return bool(words & devices) and bool(having) and words <= devices | HAVING_VERBS | stop


FRENCH_AFTER_HAS = frozenset({"un", "une", "des", "deux", "trois", "son", "sa", "ses", "mon", "ma", "mes", "le",
                              "la", "les", "juste", "aussi", "encore", "deja"})


def _french_has(tokens: list[str]) -> bool:
    """'elle a une tablette': the French verb 'a' is followed by what is had, the English article by a noun."""
    return any(word == "a" and following in FRENCH_AFTER_HAS for word, following in pairwise(tokens))


def _whole_over_product(ctx: Ctx, whole: Match, scored: list[tuple[int, str, bool, str, float]]) -> str | None:
    """'hoe kan ik mijn kleinkinderen zien op de gsm met whatsapp': the whole message surely reads first as one
    request, second as another that comes only from a clause merely naming a product ('gsm met whatsapp'): that
    clause is no request of its own (dropped); when the two readings of the whole are close, the first wins if a
    clause backs it."""
    if len(whole.candidates) < 2 or whole.candidates[0].score < STRONG:
        return None
    top, other = whole.candidates[0].intent, whole.candidates[1].intent
    against = [item[1] for item in scored if item[3] == other]
    if not against or len(against) == len(scored):  # nothing else read: the product clause stays the request
        return None
    answers = ctx.library.answers
    names = answers.words_of("product_names", "device_words", "device_brands")
    stop = ctx.library.catalog.spelling.stopwords
    if not all(set(answers.tokens(piece)) <= names | stop for piece in against):
        return None
    scored[:] = [item for item in scored if item[3] != other]  # naming the product asks nothing of its own
    return top if whole.ambiguous and any(item[3] == top for item in scored) else None


def _named_product(ctx: Ctx, piece: str, match: Match) -> tuple[str, float] | None:
    """'een sollicitatie via teams' (video calling and job help equally likely): the guide whose one-word keyword
    is a product name ('teams', 'proximus', 'wifree': vocab product_names) the piece names, among the two likeliest
    readings."""
    words = set(ctx.library.matcher.normaliser.tokens(piece))
    for candidate in match.candidates[:PRODUCT_CANDIDATES]:
        if candidate.score >= PRODUCT_MIN and words & _keyword_words(ctx, candidate.intent):
            return candidate.intent, candidate.score
    return None


def names_product(ctx: Ctx, intent: str | None, text: str) -> bool:
    """The text names a product the intent's guide is about ('proximus' for the Proximus wifi guide)."""
    if intent is None:
        return False
    return bool(set(ctx.library.matcher.normaliser.tokens(text)) & _keyword_words(ctx, intent))


def _keyword_words(ctx: Ctx, intent: str) -> frozenset[str]:
    key_ = ("keyword_words", intent)
    if key_ not in ctx.library.derived:  # once per content revision
        spec = ctx.library.catalog.intents.get(intent)
        found: set[str] = set()
        products = ctx.library.answers.words_of("product_names")
        if spec is not None and spec.action.startswith("guide:"):
            for texts in spec.keywords.values():
                for text in texts:
                    tokens = ctx.library.matcher.normaliser.tokens(text)
                    if len(tokens) == 1 and tokens[0] in products:
                        found.add(tokens[0])
        ctx.library.derived[key_] = frozenset(found)
    return ctx.library.derived[key_]


def _only_asks_how(ctx: Ctx, piece: str) -> bool:
    """'Pouvez-vous m'expliquer?', 'hoe moet ik dat doen op mijn gsm': a request for an explanation and nothing
    else of weight (small words, device words) asks about what came before it."""
    answers = ctx.library.answers
    words = answers.tokens(piece)
    hits = answers.hits(words, ("asks_how",))
    if not hits:
        return False
    covered = {index for hit in hits for index in range(hit.start, hit.end)}
    stop = ctx.library.catalog.spelling.stopwords
    devices = answers.words_of("device_words")
    return all(index in covered or word in stop or word in devices or word in answers.filler
               for index, word in enumerate(words))


def _says_something(ctx: Ctx, piece: str) -> bool:
    """A clause of two meaningful words or more: 'hoe laat is' alone asks nothing of its own."""
    stop = ctx.library.catalog.spelling.stopwords
    return sum(1 for word in ctx.library.answers.tokens(piece) if len(word) >= 3 and word not in stop) >= 2


def _names_only_current_language(ctx: Ctx, text: str) -> bool:
    """The text names the conversation's own language and no other, without asking for it ('Uw nederlands is
    goed')."""
    answers = ctx.library.answers
    words = answers.tokens(text)
    named = {code for code, spelled in ctx.library.texts.language_names.items()
             for name in spelled if len(name) >= 4 and answers.phrase_in(words, answers.tokens(name))}
    return named == {ctx.lang} and not answers.has(text, "language_request")


def call_me_means_other(ctx: Ctx) -> bool:
    """'ze zegt oma bel mij eens met beeld. hoe doe ik dat?': the words that ask for a call stand in a clause that
    reads first as the message's own request (video calling): that request, not a helper."""
    answers = ctx.library.answers
    asked = request(ctx)
    if asked.intent in (None, HANDOFF_INTENT, *SOCIAL):
        return False
    hint = ctx.state.language if ctx.state.language_known else None
    calling = [piece for piece in answers.requests(ctx.text) if answers.has(piece, "call_me")]
    return bool(calling) and all(
        (found := ctx.library.matcher.classify(piece, hint)).candidates
        and found.candidates[0].intent == asked.intent for piece in calling)


