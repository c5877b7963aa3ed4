"""Reads what a message says beside a request: an introduction, a question about digibuur itself (its cost,
a robot or a person, who writes), the resident's own data and a wish to have it forgotten, STOP in words,
and reading the conversation's language poorly."""

from __future__ import annotations

from bot.content.answers import same_word
from bot.flows.context import Ctx
from bot.flows.understand_base import SOCIAL, STOP_INTENT, THANKS, pieces
from bot.flows.understand_place import location
from bot.fold import fold
from places.text import key


def says_stop(ctx: Ctx, text: str) -> bool:
    """STOP as a clause of the text ('laat maar, ik wil geen berichten meer. stop'), or in words (vocab
    stop_request); a clause merely read as the stop intent ('bon j'arrête') is no stop."""
    words = ctx.library.texts.keywords.get("stop", ())
    answers = ctx.library.answers
    if any(fold(clause) in words for clause in answers.clauses(text)):
        return True
    if answers.read(text, ("stop_request",)) is not None:
        return True
    # 'can you stop sending me stuff pls': the words inside a clause the matcher reads as STOP
    if not answers.has(text, "stop_request") or answers.negates(text):
        return False  # ('please don't stop sending me the news' asks the opposite)
    match = ctx.library.matcher.classify(text, ctx.state.language if ctx.state.language_known else None)
    return match.intent == STOP_INTENT


NUMBER_WORDS = frozenset({"number", "nummer", "numero", "nr", "no"})


def speaks_of_device(ctx: Ctx, text: str) -> bool:
    """A device named ('mijn oude gsm', 'the old phone'); not the 'phone' of 'my phone number'."""
    answers = ctx.library.answers
    devices = answers.words_of("device_words", "device_brands")
    words = answers.tokens(text)
    return any(word in devices and (index + 1 == len(words) or words[index + 1] not in NUMBER_WORDS)
               for index, word in enumerate(words))


def asks_to_forget(ctx: Ctx, text: str, *, inside: bool = False) -> bool:
    """A request to delete the resident's data: in words (vocab forget_request: the message read as one, or
    `inside` it when it is already known to be about privacy), or a deletion word with their own data named ('ik
    wil liever dat dat allemaal verwijderd wordt, mijn adres en mijn nummer'); not when the deletion is said of a
    device ('wis alles op mijn oude gsm' is the donation guide's business)."""
    answers = ctx.library.answers
    # clause by clause: 'j'ai oublié mon code, effacez mes données' asks it in its second clause, 'il demande un mot
    # de passe que j'ai oublié' nowhere
    for said in dict.fromkeys((text, *answers.clauses(text))):
        if forgot_something(ctx, said):
            continue
        in_words = answers.has(said, "forget_request") if inside \
            else answers.read(said, ("forget_request",)) is not None
        if (in_words or (answers.has(said, "forget_words") and answers.has(said, "personal_data"))) \
                and not deletes_on_device(ctx, said):
            return True
    return False


def forgot_something(ctx: Ctx, text: str) -> bool:
    """'mot de passe que j'ai oublié', 'I forgot my password': the resident forgot something."""
    return ctx.library.answers.has(text, "forgot_something")


def deletes_on_device(ctx: Ctx, text: str) -> bool:
    """A clause that says a deletion word of a device ('wis alles op mijn oude gsm')."""
    answers = ctx.library.answers
    return any(speaks_of_device(ctx, clause) and answers.has(clause, "forget_words")
               for clause in answers.clauses(text))


MAX_NAME_WORDS = 2  # 'Roger', 'Jean-Pierre': an introduction's words besides its phrases, the place and an age


def introduces(ctx: Ctx) -> bool:
    """'Bonjour, ici Martine', 'Morgen, ik ben Georges', 'Dag, Albert uit Sint-Kruis-Winkel', 'mijn naam is Linda en
    ik woon in Wondelgem': who the resident is (and where they live), and no request yet. Where they live alone
    ('dag, ik woon in de kikvorsstraat') is a place question's beginning, no introduction."""
    if "?" in ctx.text:
        return False
    answers = ctx.library.answers
    hint = ctx.state.language if ctx.state.language_known else None
    greeted = introduced = named = False
    for piece, _question in pieces(ctx):
        match = ctx.library.matcher.classify(piece, hint)
        if match.intent == THANKS:
            return False  # 'thanks, bye!'
        if match.intent in SOCIAL or answers.has(piece, "first_contact"):
            greeted = greeted or match.intent in SOCIAL
            continue  # 'mijn kleinzoon heeft dit op mijn gsm gezet' names a phone and asks nothing
        if match.intent is not None or match.ambiguous or match.digital_problem:
            return False
        names = _names_in(ctx, piece)
        if names is None:
            return False
        named = named or bool(names)
        introduced = introduced or (bool(names) and answers.has(piece, "introduction"))
    return introduced or (named and greeted)  # a bare 'Roger' is a name only after a greeting


def _names_in(ctx: Ctx, piece: str) -> list[str] | None:
    """The words of an introduction left after its phrases, function words and the place ('Albert uit
    Sint-Kruis-Winkel' -> ['albert']); None when the clause is no introduction."""
    answers = ctx.library.answers
    stop = ctx.library.catalog.spelling.stopwords
    words = [word for word in answers.tokens(piece) if word not in stop]
    introduced = answers.has(piece, "introduction")
    phrase_words = answers.words_of("introduction")
    where = location(ctx, piece)
    placed = set(key(where.label or "").split()) if where is not None else set()
    fillers = ctx.library.places.gazetteer.fillers
    names = [word for word in fillers.remove(words) if word not in phrase_words and word not in placed
             and not any(same_word(word, named) for named in placed) and not word.isdigit()]
    if where is not None and names and location(ctx, " ".join(names)) is not None:
        names = []  # 'rue Wasstraat à Dampoort': a second place, no name
    index = ctx.library.matcher.index
    social = index.word_intents
    names = [word for word in names if not social.get(word, frozenset()) & SOCIAL]  # 'bonjour je m'appelle Karim'
    capitalised = {fold(word) for word in piece.split()[1:] if word[:1].isupper()}  # 'Ik ben Leen': a name
    if len(names) > MAX_NAME_WORDS or (where is not None and not introduced) or any(
            word in index.postings and word not in capitalised for word in names):
        return None  # 'bus nemen naar de stad', 'digipunt met begeleider in ledeberg' say more than a name
    return names


def asks_about_own_data(ctx: Ctx) -> bool:
    """'ik heb mijn adres en mijn naam hier gestuurd ... wat doen jullie daarmee?': a question about the resident's
    own data, and no other request (the privacy notice answers it)."""
    intent = ctx.match().intent
    answers = ctx.library.answers
    return "?" in ctx.text and answers.has(ctx.text, "personal_data") and answers.has(ctx.text, "data_question") and (
        intent is None or intent in SOCIAL) and not asks_to_forget(ctx, ctx.text)


def asks_cost(ctx: Ctx) -> bool:
    """'kost dit geld die smsjes?', 'is this free?', 'c'est payant ce service ?' (about digibuur itself, when the
    message asks nothing else)"""
    intent = ctx.match().intent
    return ctx.library.answers.has(ctx.text, "asks_cost") and (intent is None or intent in (*SOCIAL, "menu"))


def asks_if_human(ctx: Ctx) -> bool:
    """'ben je een robot?', 'is this a real person?'"""
    return ctx.library.answers.read(ctx.text, ("asks_if_human",)) is not None


def who_asks(ctx: Ctx) -> bool:
    """'wie is dit?', 'who gave you my number?', 'c'est qui ?'"""
    return ctx.library.answers.read(ctx.text, ("who_are_you",)) is not None


def reads_poorly(ctx: Ctx) -> bool:
    """'ik versta niet goed nederlands' inside a longer message: the conversation's language is named as one the
    resident reads badly, and no other is asked for (that would be a switch)."""
    answers = ctx.library.answers
    names = ctx.library.texts.language_names
    for clause in answers.clauses(ctx.text):
        words = answers.tokens(clause)
        poor = any(word in answers.negation for word in words) or answers.has(clause, "language_poor")
        if not poor:
            continue  # the cheap half first: the names are looked for only in a clause that says it reads badly
        found = answers.phrase_set(tuple(name for spelled in names.values() for name in spelled if len(name) >= 4)
                                   ).found(words)  # the names phrase_in(words, tokens(name)) is true for
        named = {code for code, spelled in names.items() for name in spelled if len(name) >= 4 and name in found}
        if named == {ctx.lang}:
            return True
    return False
