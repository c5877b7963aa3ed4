"""What a resident says once their ticket is open and nobody has claimed it yet: another time, another number,
or that this number is fine; the open ticket changes (the service confirms) instead of a new handoff."""

from __future__ import annotations

from bot.effects import ChangeCallbackNumber, ChangeCallbackWindow
from bot.flows.callback_window import WINDOW_ANSWERS, part_by_clock, window_said
from bot.flows.context import Ctx
from bot.flows.handoff_numbers import number_in


def _unclaimed_ticket(ctx: Ctx) -> str | None:
    """The code of the resident's open ticket that nobody claimed yet, when no question of another flow waits."""
    state = ctx.state
    waiting = state.ticket and not state.ticket_claimed and state.flow in ("", "digipunt-results")
    return state.ticket if waiting else None


def window_changed(ctx: Ctx, *, beside_number: bool = False) -> bool:
    """'svp in de voormiddag' after the ticket was opened (nobody has claimed it yet): its callback window
    changes; the service confirms with the new promise. `beside_number`: the message also changed the number,
    so it is about the ticket whatever else it reads as. 'nee ik bedoel mrg nm' is read without its opening."""
    if _unclaimed_ticket(ctx) is None:
        return False
    with ctx.reading(_without_correction(ctx)):
        return _window_changed(ctx, beside_number=beside_number)


def _without_correction(ctx: Ctx) -> str:
    """The message without an opening that corrects what was said ('nee ik bedoel', 'no I mean')."""
    answers = ctx.library.answers
    words = answers.tokens(ctx.text)
    ends = [hit.end for hit in answers.hits(words, ("correction",)) if hit.start == 0]
    return " ".join(words[max(ends):]) if ends and max(ends) < len(words) else ctx.text


def _window_changed(ctx: Ctx, *, beside_number: bool) -> bool:
    state = ctx.state
    code = _unclaimed_ticket(ctx)
    if code is None:
        return False
    # mostly a time ('afternoon would be better'), no request of its own ('morgen ga ik naar het digipunt')
    answers = ctx.library.answers
    if beside_number:
        if not any(answers.has(ctx.text, category) for category in WINDOW_ANSWERS):
            return False
    elif (answers.read(ctx.text, WINDOW_ANSWERS) is None and part_by_clock(ctx) is None) or \
            ctx.match().intent not in (None, "greeting", "smalltalk.thanks"):  # 'in the afternoon' reads as a greeting
        return False  # ('na 11u want ik slaap': an hour says the part of the day)
    kept = state.data
    window = window_said(ctx)
    parts = [part for part in ("morning", "afternoon") if answers.has(ctx.text, part)]
    if window is None and beside_number and len(parts) == 1:
        window = parts[0]  # 'call her on 0486 20 33 71 in the afternoon please': the part, inside a longer sentence
    if window is None:
        return False
    opened = str(kept.get("opened_window") or "")
    if window in ("morning", "afternoon") and opened.startswith("day:"):
        window = f"day:{opened.removeprefix('day:').split(':')[0]}:{window}"  # 'na de middag' after 'maandag'
    state.data = {**kept, "opened_window": window}
    ctx.effect(ChangeCallbackWindow(code=code, window=window))
    return True


def number_changed(ctx: Ctx) -> bool:
    """'Call her, not me: 0486 20 33 71' after the ticket was opened (nobody has claimed it yet): its callback
    number changes; the service confirms it."""
    code = _unclaimed_ticket(ctx)
    number = number_in(ctx) if code is not None else None
    if code is None or number is None or number == ctx.inbound.address.id:
        return False
    ctx.effect(ChangeCallbackNumber(code=code, number=number))
    return True


def number_confirmed_late(ctx: Ctx) -> bool:
    """'this number is fine' just after the ticket was opened: acknowledged with its code (nothing changes)."""
    code = _unclaimed_ticket(ctx)
    if code is None or ctx.library.answers.read(ctx.text, ("this_number", "other_number")) != "this_number":
        return False
    ctx.say(ctx.t("ho_noted", code=code))
    return True


def language_noted_late(ctx: Ctx) -> bool:
    """'she speaks Dutch better than English fyi' once the ticket is open: a remark for the helper, who reads this
    chat with the ticket; acknowledged with its code, the conversation's language stays."""
    code = _unclaimed_ticket(ctx)
    answers = ctx.library.answers
    if code is None or not answers.has(ctx.text, "language_described"):
        return False
    words = answers.tokens(ctx.text)
    names = [name for names in ctx.library.texts.language_names.values() for name in names if len(name) >= 4]
    if not any(answers.phrase_in(words, answers.tokens(name)) for name in names):
        return False
    ctx.say(ctx.t("ho_noted", code=code))
    return True


def acknowledged_late(ctx: Ctx) -> bool:
    """'jaja is goed', 'ok merci' just after the ticket's confirmation: noted, with its code (nothing changes)."""
    code = _unclaimed_ticket(ctx)
    if code is None or ctx.state.flow != "" or ctx.library.answers.read(ctx.text, ("yes",)) != "yes":
        return False
    ctx.say(ctx.t("ho_noted", code=code))
    return True
