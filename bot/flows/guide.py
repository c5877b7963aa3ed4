"""Walking a resident through a guide: start (at the shortest path), next, branch, back, trouble at a step,
later, resume, and 'did it work?'."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta

from bot.content.answers import QUESTION_MARKS
from bot.flows import choice, guide_focus, guide_remarks, guide_works, understand, understand_place
from bot.flows.context import Choice, Ctx
from bot.flows.understand_base import STRONG, THANKS
from bot.render import render
from bot.state import OfferedOption
from guides import walk
from guides.model import CHECK_YES, Guide, Step, pick
from guides.view import default_next

RESUME_WITHIN = timedelta(hours=36)  # "within a day", and "verder" the next morning still works
STEP_ANSWERS = ("yes", "done", "no", "trouble", "later")
PLACE_FINDER = "flow:digipunt"  # an option's target that finds the nearest Digipunt
MAX_SKIPS = 4  # choices skipped at the start because the first message already answered them
SMS_MAX_SEGMENTS = 2



def _guide(ctx: Ctx) -> tuple[Guide, walk.Cursor] | None:
    raw = ctx.state.guide
    if not raw:
        return None
    cursor = walk.restore(ctx.library.guides, raw)
    found = ctx.library.guides.get(cursor.guide_id) if cursor is not None else None
    if found is None or cursor is None:
        ctx.state.guide = None
        return None
    return found, cursor


def _choices(ctx: Ctx, step: Step, view: walk.StepView) -> list[Choice]:
    """The step's options with what else picks them: the label in every language and the synonyms; a check
    step's yes and no (a 'no' also takes 'it does not work')."""
    if step.kind == "check":
        return [Choice(label, f"guidestep:{key}", ("yes", "done") if key == CHECK_YES else ("no", "trouble"))
                for key, label in view.options]
    found = []
    for option, (key, label) in zip(step.options, view.options, strict=True):
        words = [text for text in option.label.values() if text != label]
        words += [word for language_words in option.synonyms.values() for word in language_words]
        found.append(Choice(label, f"guidestep:{key}", (), tuple(dict.fromkeys(words))))
    return found


def _show(ctx: Ctx, guide: Guide, cursor: walk.Cursor, *, prefix: str = "") -> None:
    ctx.state.flow = "guide"
    ctx.state.guide = cursor.to_dict()
    ctx.state.guide_at = ctx.now.isoformat()
    ctx.state.topic = guide.id
    view = walk.show(ctx.library.guides, cursor, ctx.lang)
    ctx.state.data = {"asked_words": choice.content_words(ctx, view.text)} if view.options else {}
    _say_step(ctx, cursor, prefix=prefix)


def _say_step(ctx: Ctx, cursor: walk.Cursor, *, prefix: str = "") -> None:
    """Send the current step (again); its choices stay answerable."""
    found = ctx.library.guides.get(cursor.guide_id)
    assert found is not None
    view = walk.show(ctx.library.guides, cursor, ctx.lang)
    choices = _choices(ctx, found.steps[cursor.step_id], view)
    text = f"{prefix}\n{view.text}" if prefix else view.text
    ctx.say(text, choices or None, image_url=view.image_url, footer=view.footer or None)
    if not choices:
        ctx.state.options = []


STEP_NAMED = re.compile(r"\b(?:stap|step|etape)s?\s*((?:\d{1,2}(?:\s*(?:en|and|et|,|&|\+)\s*)?)+)")
MAX_STEP_JUMP = 12


def step_named(ctx: Ctx) -> int | None:
    """The step a message inside a guide points at: 'stap 3', 'step 2', 'étape 4'; after steps said done ('done
    step 1 and 2, what next'), the one after them."""
    found = STEP_NAMED.search(ctx.folded) if ctx.state.flow == "guide" else None
    if found is None:
        return None
    numbers = [int(number) for number in re.findall(r"\d{1,2}", found[1])]
    done = ctx.library.answers.has(ctx.text, "done") and not guide_focus.negated(ctx)
    return max(numbers) + 1 if done else numbers[0]


def go_to_step(ctx: Ctx) -> bool:
    """'nog eens stap 3 aub', 'ik zit bij stap 2', 'done step 1 and 2': that step of the guide shown, ahead on the
    usual path or back on the path taken; False when the guide has no step of that number near."""
    wanted = step_named(ctx)
    current = _guide(ctx)
    if wanted is None or current is None:
        return False
    found, cursor = current
    for other in (cursor, *guide_focus.around(found, cursor, steps=MAX_STEP_JUMP)):
        if walk.show(ctx.library.guides, other, ctx.lang).number == wanted:
            _show(ctx, found, other)
            return True
    return False


def start(ctx: Ctx, guide_id: str) -> None:
    """Start a guide; choices the resident's message already answers ('hotspot op mijn iPhone') are skipped."""
    found = ctx.library.guides.get(guide_id)
    if found is None:
        ctx.state.flow = "offer"
        ctx.ask_yes_no("not_available", "flow:handoff", "menu:main", no_key="option_no_menu")
        return
    ctx.state.step_misses = 0
    ctx.state.misses = 0
    ctx.state.history = [*ctx.state.history[-5:], f"guide:{guide_id}"]
    cursor = walk.start(found)
    topic = choice.topic_words(ctx, found.intents)
    for _ in range(MAX_SKIPS):
        step = found.steps[cursor.step_id]
        view = walk.show(ctx.library.guides, cursor, ctx.lang)
        if not step.options or ctx.folded.isdigit() or (step.kind == "answer" and not _is_question(step, ctx.lang)):
            break  # a question or a choice inside an instruction is skipped; information is always shown
        # ('How can I call my brother with video?' names no helper: a call to a helper is asked in its own words)
        helpers = {option.key for option in step.options if option.target == "flow:handoff"} \
            if not ctx.library.answers.has(ctx.text, "call_me") else set()
        offered = [OfferedOption(str(n), c.label, c.action, list(c.answers), list(c.words))
                   for n, c in enumerate(_choices(ctx, step, view), start=1)
                   if c.action.removeprefix("guidestep:") not in helpers]
        named = choice.names_option(ctx, offered, view.text, topic)
        if named is None:
            break
        key = named.action.removeprefix("guidestep:")
        result = walk.advance(found, cursor, key)
        if not isinstance(result, walk.Cursor):
            ctx.state.guide = cursor.to_dict()
            _finish(ctx, found, cursor, result)
            return
        cursor = result
    _show(ctx, found, cursor)


def _is_question(step: Step, language: str) -> bool:
    """A step that asks something ('Welke gsm heb je?'), as opposed to one that informs and offers more."""
    return pick(step.text, language).rstrip().endswith(QUESTION_MARKS)


def _advance(ctx: Ctx, choice_key: str | None, *, prefix: str = "") -> None:
    current = _guide(ctx)
    if current is None:
        from bot.flows.menu import show_menu

        show_menu(ctx, "main")
        return
    found, cursor = current
    try:
        result = walk.advance(found, cursor, choice_key)
    except walk.InvalidChoice:
        unexpected(ctx)
        return
    ctx.state.step_misses = 0
    if isinstance(result, walk.Cursor):
        _show(ctx, found, result, prefix=prefix)
        return
    if prefix:
        ctx.say(prefix)
    _finish(ctx, found, cursor, result)


def _finish(ctx: Ctx, found: Guide, cursor: walk.Cursor, outcome: walk.Outcome) -> None:
    from bot.engine import perform
    from bot.flows.menu import offer_later

    if outcome.kind == "switch" and outcome.target:
        ctx.state.guide = None
        perform(ctx, outcome.target)
        return
    if outcome.kind == "failed":
        ctx.state.flow = "offer"
        ctx.state.data = {"guide": found.id, "step": cursor.step_id}
        ctx.ask_yes_no("guide_failed_offer", "flow:handoff", "menu:main", yes_key="option_yes_call",
                       no_key="option_no_menu")
        return
    ctx.state.guide = None
    ctx.state.flow = ""
    ctx.state.options = []
    ctx.say(ctx.t("guide_done_worked" if outcome.kind == "worked" else "guide_done"))
    offer_later(ctx)


def on_option(ctx: Ctx, key: str) -> None:
    """An option picked; in words that say its first step is done already ('j'ai installé Teams' where 'Installer
    Teams' is offered), on after that step."""
    current = _guide(ctx)
    if current is not None and not ctx.folded.isdigit():
        found, cursor = current
        try:
            result = walk.advance(found, cursor, key)
        except walk.InvalidChoice:
            result = None
        if isinstance(result, walk.Cursor) and guide_focus.done_in_words(ctx, found, result):
            ctx.state.guide = result.to_dict()
            _advance(ctx, None)
            return
    _advance(ctx, key)


def go_back(ctx: Ctx) -> bool:
    current = _guide(ctx)
    if current is None:
        return False
    found, cursor = current
    _show(ctx, found, walk.back(found, cursor))
    return True


def show_again(ctx: Ctx) -> bool:
    """The current step again (after a language switch); False when no guide is open."""
    current = _guide(ctx)
    if current is None:
        return False
    _say_step(ctx, current[1])
    return True


def _asks(ctx: Ctx) -> bool:
    """A question about the step ('moet die 0 erbij?', 'waar staat het wachtwoord?', also without its question
    mark: 'waar is het wachtwoord') rather than a new request."""
    answers = ctx.library.answers
    if not ctx.text.strip().endswith(QUESTION_MARKS) and not any(  # ('hij is 15' says, it does not ask)
            hit.start == 0 for hit in answers.hits(answers.tokens(ctx.text), ("question_openers", "where_words"))):
        return False
    match = ctx.match()
    return match.intent is None or not (match.keyword or match.score >= 80.0)


def on_text(ctx: Ctx) -> bool:
    """In a guide: go on (OK, yes, 1), trouble (simpler words, a helper, or later), later (stop for now)."""
    current = _guide(ctx)
    if current is None:
        return False
    found, cursor = current
    asks_place = ctx.library.answers.has(ctx.text, "place_question")
    if ctx.state.where and asks_place and understand_place.names_a_day(ctx, ctx.text):
        return False  # 'ok en welke is open op woensdag na 14u?' with a place known: the list, not this step
    step = found.steps[cursor.step_id]
    words = ctx.library.texts.keywords
    finder = next((option for option in step.options if option.target == PLACE_FINDER), None)
    if finder is not None and ctx.library.places.resolve(ctx.text).kind in ("point", "ambiguous"):
        # 'ik woon in ledeberg bij het centrumplein' where the step offers its own addresses ('Adres en uren', the
        # Werkpunten): those; else 'ja we wonen in gent, bloemekenswijk' where a Digipunt nearby is offered
        addresses = next((option for option in ctx.state.options if "address" in option.answers), None)
        if addresses is not None:
            on_option(ctx, addresses.action.removeprefix("guidestep:"))
            return True
        _advance(ctx, finder.key)
        return True
    said = ctx.library.answers.read(ctx.text, STEP_ANSWERS)
    if said == "later":
        pause(ctx, "")
        return True
    goes_on = ctx.folded in words.get("next", ()) or ctx.folded in words.get("yes", ()) or said in ("yes", "done")
    if step.kind != "check" and _elsewhere(ctx, found, cursor, said):
        return True
    if not step.options and step.kind != "check":
        if ctx.match().intent == THANKS and ctx.library.answers.has(ctx.text, "worked"):
            _finish(ctx, found, cursor, walk.Outcome("worked"))  # 'ça marche merci 👍' before the last step
            return True
        if guide_works.works_late(ctx, found, cursor):
            _finish(ctx, found, cursor, walk.Outcome("worked"))  # 'ja hij doet het' once the hotspot is on
            return True
        if goes_on or ctx.folded == "1" or (said is None and guide_focus.confirms_here(ctx, found, cursor)):
            _advance(ctx, None)
            return True
        if said is None and ctx.library.answers.has(ctx.text, "done") and not guide_focus.negated(ctx) \
                and not ctx.text.rstrip().endswith(QUESTION_MARKS):
            _advance(ctx, None)  # 'ik heb op het cameraatje gedrukt en het belt': the step is done, in a sentence
            return True
        if said is None and _asks(ctx) and _asks_ahead(ctx, found, cursor):
            return True
        if said in ("no", "trouble") or _asks(ctx):
            trouble(ctx, found, cursor)
            return True
        return said is None and _noted(ctx, cursor)
    if (said in ("no", "trouble") and step.kind != "check") or (said is None and _asks(ctx)):
        trouble(ctx, found, cursor)  # also a question about the step ('welk wachtwoord, dat van de modem?')
        return True
    informs = not _is_question(step, ctx.lang) and step.kind != "check"
    if informs and said is None and guide_works.says_it_works(ctx):
        _finish(ctx, found, cursor, walk.Outcome("worked"))  # 'het is gelukt, ik zie hem in teams staan'
        return True
    closes = goes_on and (ctx.folded.split()[0] in words.get("next", ()) or said == "done")
    more = default_next(step)
    if informs and said == "yes" and not closes and more is not None:
        _advance(ctx, next(o.key for o in step.options if o.target == more))  # "ja graag": tell me more
        return True
    if informs and goes_on:
        _finish(ctx, found, cursor, walk.Outcome("done"))  # "ok, merci" after an answer: close warmly
        return True
    if said in (None, "yes", "done") and _thanks_and_leaves(ctx):
        _finish(ctx, found, cursor, walk.Outcome("done"))  # 'ok ik zal het aan mijn maatschappelijk werker vragen.
        return True                                         # merci!' at a choice: the resident is done here
    if goes_on and ctx.match().intent != THANKS:
        if ctx.state.step_misses:  # not the first answer that misses this choice: as any other miss
            return unexpected(ctx)
        from bot.flows.menu import reask

        ctx.state.step_misses += 1
        reask(ctx, count=False)  # "OK", "gevonden" where the step asks for a choice: the question again
        return True
    return said is None and _noted(ctx, cursor)


def _thanks_and_leaves(ctx: Ctx) -> bool:
    """Thanks with a word of what the resident will do, no question and no other request."""
    return not ctx.text.rstrip().endswith(QUESTION_MARKS) and understand.request(ctx).intent == THANKS \
        and ctx.match().intent in (None, THANKS, "menu")


def _asks_ahead(ctx: Ctx, found: Guide, cursor: walk.Cursor) -> bool:
    """'il demande mon numéro, je mets le 0 devant ?' at the step before the number: the step the question is
    about is shown (its own words answer it)."""
    about = guide_focus.step_about(ctx, found, cursor, least=1, nearest=True)
    if about is None or not guide_focus.is_ahead(cursor, about):
        return False
    ctx.state.guide = about.to_dict()
    _show(ctx, found, about)
    return True


MAX_NOTED_WORDS = 12


def _noted(ctx: Ctx, cursor: walk.Cursor) -> bool:
    """'samsung a12', 'voor mijn dochter, ze is 13': a short remark that asks nothing and names no place is
    taken as said (not 'I do not understand'), and the step or its options follow again; once per step."""
    # ('whatsapp heb ik' after 'samsung a14' at the same step: what one has is taken as said too)
    # ('android, een oppo' after 'whatsapp hebben we allebei': the phone is taken as said too, once)
    device = guide_remarks.names_only_device(ctx)  # ('zo een nieuwe' describes the phone, it is no Nieuw Gent)
    data = ctx.state.data
    noted_here = data.get("noted") == cursor.step_id and not guide_remarks.only_says_having(ctx) and not (
        device and data.get("noted_device") != cursor.step_id)
    if noted_here or ctx.state.step_misses or ctx.text.rstrip().endswith(QUESTION_MARKS) or guide_focus.negated(ctx):
        return False
    answers = ctx.library.answers
    words = answers.tokens(ctx.text)
    if not words or (len(words) > MAX_NOTED_WORDS and not device) or _other_request(ctx):
        return False
    # ('c'est un ordinateur portable windows' names the device: the computer there is no place asked for)
    if not device and (answers.has(ctx.text, "place_words") or ctx.library.places.resolve(ctx.text).kind != "unknown"):
        return False
    known = ctx.library.matcher.index.word_languages
    stop = ctx.library.catalog.spelling.stopwords
    if not device and not any(word in known or word in stop for word in words):
        return False  # 'xqzzy vlorp' is no remark: not understood
    data["noted"] = cursor.step_id  # once per step; no miss: an 'ok' after it re-asks, calmly
    if device:
        data["noted_device"] = cursor.step_id
    if ctx.state.options:
        options = ctx.offered_again()
        ctx.say(ctx.t("noted"), options)
        return True
    _say_step(ctx, cursor, prefix=ctx.t("noted"))
    return True


def works_early(ctx: Ctx) -> bool:
    """'c'est bon ça marche, merci' at any step from 40 % of the guide on, also where the step offers options:
    the guide ends, it worked."""
    current = _guide(ctx)
    if current is None:
        return False
    found, cursor = current
    step = found.steps[cursor.step_id]
    # at a step that only informs ('Skype bestaat niet meer ... 1 Teams installeren'), 'het is gelukt' ends it too
    informs = step.kind == "answer" and not _is_question(step, ctx.lang) and guide_works.says_it_works(ctx)
    if not informs and not guide_works.works_late(ctx, found, cursor):
        return False
    _finish(ctx, found, cursor, walk.Outcome("worked"))
    return True


def _other_request(ctx: Ctx) -> bool:
    """A clear request of its own; 'ik heb whatsapp ja' says what the resident has, it asks nothing."""
    match = ctx.match()
    if other_guide_wanted(ctx, ctx.text) is not None:
        return True
    if guide_remarks.names_only_device(ctx):
        return False
    if match.intent is None or not (match.keyword or match.score >= STRONG):
        return False
    current = _guide(ctx)
    spec = ctx.library.catalog.intents.get(match.intent)
    if current is not None and spec is not None and spec.action == f"guide:{current[0].id}" and not match.keyword:
        return False  # 'there is no personal hotspot in my settings' inside the hotspot guide: about this guide
    if not match.keyword and spec is not None and spec.action.startswith("guide:") and _trouble_only(ctx, match.intent):
        return False  # 'de inlogpagina komt niet' in the Proximus guide: trouble here, not the Wi-Free guide
    return match.keyword or not guide_remarks.only_says_having(ctx)


def _trouble_only(ctx: Ctx, intent: str) -> bool:
    """Trouble told ('komt niet', 'ça ne marche pas') without naming the other guide's product: this guide's."""
    answers = ctx.library.answers
    troubled = answers.has(ctx.text, "trouble") or answers.negates(ctx.text)
    return troubled and not understand.names_product(ctx, intent, ctx.text)


def other_guide_wanted(ctx: Ctx, text: str) -> str | None:
    """'ik wil whatsapp om mijn dochter te bellen' inside the hotspot guide: a want that names another guide's
    topic (a word its examples share and the open guide's do not) is a clear other request, however it scores;
    the intent of that guide (the match, else one of its close candidates), or None."""
    current = _guide(ctx)
    answers = ctx.library.answers
    words = answers.tokens(text)
    if current is None or not answers.has(text, "wanting") or any(word in answers.negation for word in words):
        return None
    own = choice.topic_words(ctx, current[0].intents)
    match = ctx.match()
    for intent in dict.fromkeys([match.intent, *(candidate.intent for candidate in match.candidates[:3])]):
        spec = ctx.library.catalog.intents.get(intent or "")
        if spec is None or not spec.action.startswith("guide:") or spec.action == f"guide:{current[0].id}":
            continue
        if any(word in choice.topic_words(ctx, (spec.id,)) - own for word in words):
            return spec.id
    return None


def _elsewhere(ctx: Ctx, found: Guide, cursor: walk.Cursor, said: str | None) -> bool:
    """Trouble told in words ('ik vind netwerk en internet ni', 'er komt geen sms'), at the step it is about;
    a step ahead already done ('ik heb de code al ingetypt'): on after that step."""
    if said == "later" or (said is None and _other_request(ctx)):
        return False
    about = guide_focus.step_about(ctx, found, cursor, least=1)
    asks = _is_question(found.steps[cursor.step_id], ctx.lang)  # 'Welke gsm?': 'geen smartphone' is an answer
    # 'j'ai mis mon login mais il dit Login failed': something done, and then trouble
    stuck_after = said == "done" and ctx.library.answers.has(ctx.text, "trouble")
    if said in ("no", "trouble") or stuck_after or (said is None and not asks and guide_focus.negated(ctx)):
        target = about or guide_focus.done_then_stuck(ctx, found, cursor) or cursor
        ctx.state.guide = target.to_dict()
        trouble(ctx, found, target)
        return True
    question = ctx.text.rstrip().endswith(QUESTION_MARKS)  # 'do I put the 0 in front?' says nothing is done
    done = said == "done" or (said is None and not question and ctx.library.answers.has(ctx.text, "done"))
    about = guide_focus.step_about(ctx, found, cursor, least=1) if done else None
    if said == "yes":  # 'hotspot en tethering ok': a yes with the screen label of a step ahead, named in full
        about = guide_focus.step_named_ahead(ctx, found, cursor)
    if about is not None and guide_focus.is_ahead(cursor, about):
        ctx.state.guide = about.to_dict()
        _advance(ctx, None if not found.steps[about.step_id].options else default_next_key(found, about))
        return True
    return False


def default_next_key(found: Guide, cursor: walk.Cursor) -> str | None:
    step = found.steps[cursor.step_id]
    more = default_next(step)
    return next((option.key for option in step.options if option.target == more), None)


def trouble(ctx: Ctx, found: Guide, cursor: walk.Cursor) -> None:
    """Stay in the guide: the step in simpler words, a helper (the ticket carries guide and step), or later.
    The second time at the same step, the helper is offered at once."""
    step = found.steps[cursor.step_id]
    data = ctx.state.data
    if data.get("trouble") == step.id:
        ctx.state.flow = "offer"
        ctx.state.data = {"guide": found.id, "step": step.id}
        ctx.ask_yes_no("guide_stuck_offer", "flow:handoff", "guidectl:resume", yes_key="option_yes_call")
        return
    simpler = pick(step.trouble, ctx.lang) if step.trouble else pick(step.text, ctx.lang)
    helper = Choice(ctx.t("option_call_me"), "guidectl:call", ("no", "trouble"))
    later = Choice(ctx.t("option_later"), "guidectl:later", ("later",))
    if step.options and step.kind != "check":
        view = walk.show(ctx.library.guides, cursor, ctx.lang)
        offers_helper = any(option.target == "flow:handoff" for option in step.options)  # no second 'Bel mij'
        choices = [*_choices(ctx, step, view), *([] if offers_helper else [helper])]
    else:
        choices = [Choice(ctx.t("option_found"), "guidectl:next", ("yes", "done")), helper, later]
    ctx.state.data = {"trouble": step.id}
    for text in (ctx.t("guide_trouble", text=simpler), simpler):
        ctx.say(text, choices)
        if ctx.inbound.address.channel != "sms" or render(ctx.replies[-1], "sms").segments <= SMS_MAX_SEGMENTS:
            return
        ctx.replies.pop()
    ctx.say(simpler, choices)


def explain_step(ctx: Ctx) -> bool:
    """'?', 'wat is dat' at a step: the step in simpler words, a helper or later (as for trouble); not when the
    simpler words were just shown at this step (the message is then read as any other)."""
    current = _guide(ctx)
    if current is None or ctx.state.data.get("trouble") == current[1].step_id:
        return False
    trouble(ctx, *current)
    return True


def unexpected(ctx: Ctx) -> bool:
    """An answer we did not understand in a step. An instruction: the navigation hint and the step; a choice:
    the same question briefly. The second time: a helper."""
    current = _guide(ctx)
    if current is None:
        return False
    found, cursor = current
    ctx.state.step_misses += 1
    if ctx.state.step_misses >= 2:
        ctx.state.step_misses = 0
        ctx.state.flow = "offer"
        ctx.state.data = {"guide": found.id, "step": cursor.step_id}
        ctx.ask_yes_no("guide_stuck_offer", "flow:handoff", "guidectl:resume", yes_key="option_yes_call")
        return True
    step = found.steps[cursor.step_id]
    if step.options or step.kind == "check":
        from bot.flows.menu import reask

        reask(ctx)
        return True
    ctx.say(ctx.t("guide_hint_unexpected"))
    _say_step(ctx, cursor)
    return True


def pause(ctx: Ctx, _arg: str) -> None:
    """'Ik doe straks verder': stop for now; VERDER (within a day and a half) goes on at the same step."""
    if _guide(ctx) is None:
        from bot.flows.menu import show_menu

        show_menu(ctx, "main")
        return
    ctx.state.flow = ""
    ctx.state.options = []
    ctx.state.data = {}
    ctx.say(ctx.t("guide_paused"))


def resumable(ctx: Ctx) -> tuple[Guide, walk.Cursor] | None:
    current = _guide(ctx)
    if current is None or ctx.state.guide_at is None:
        return None
    try:
        since = datetime.fromisoformat(ctx.state.guide_at)
    except ValueError:
        return None
    if ctx.now - since > RESUME_WITHIN:
        ctx.state.guide = None
        return None
    return current


def offer_resume(ctx: Ctx) -> bool:
    current = resumable(ctx)
    if current is None:
        return False
    found, cursor = current
    view = walk.show(ctx.library.guides, cursor, ctx.lang)
    ctx.state.flow = "resume"
    ctx.say(
        ctx.t("resume_offer", title=found.title.get(ctx.lang, found.id), step=view.number),
        [Choice(ctx.t("option_continue"), "guidectl:resume", ("yes",)),
         Choice(ctx.t("option_restart"), "guidectl:restart"), Choice(ctx.t("option_menu"), "menu:main")],
    )
    return True


def title(ctx: Ctx) -> str | None:
    """The title of the guide in progress, if any."""
    current = _guide(ctx)
    if current is None:
        return None
    found = current[0]
    return found.title.get(ctx.lang) or pick(found.title, ctx.lang)


def control(ctx: Ctx, what: str, *, prefix: str = "") -> None:
    """A guide control ('next', 'restart', 'call', 'later', else the step again); `prefix` opens the step shown
    next in the same message ('Good, then nobody needs to call.'), so the turn stays within its SMS budget."""
    current = _guide(ctx)
    if current is None:
        from bot.flows.menu import show_menu

        show_menu(ctx, "main")
        return
    found, cursor = current
    if what == "restart":
        start(ctx, found.id)
    elif what == "next":
        step = found.steps[cursor.step_id]
        if step.options or step.kind == "check":
            _show(ctx, found, cursor, prefix=prefix)
        else:
            _advance(ctx, None, prefix=prefix)
    elif what == "call":
        from bot.engine import perform

        ctx.state.data = {"guide": found.id, "step": cursor.step_id}
        perform(ctx, "flow:handoff")
    elif what == "later":
        pause(ctx, "")
    else:
        _show(ctx, found, cursor, prefix=prefix)


ACTIONS: dict[str, Callable[[Ctx, str], None]] = {
    "guide": start,
    "guidestep": on_option,
    "guidectl": control,
}
TEXT_HOOKS: dict[str, Callable[[Ctx], bool]] = {"guide": on_text}
