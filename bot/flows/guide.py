"""Walking a resident through a guide: start, next, branch, back, repeat, resume, and 'did it work?'."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from bot.flows.context import Ctx
from guides import walk
from guides.model import Guide

RESUME_WITHIN = timedelta(hours=36)  # "within a day", and "verder" the next morning still works


def _guide(ctx: Ctx) -> tuple[Guide, walk.Cursor] | None:
    raw = ctx.state.guide
    if not raw:
        return None
    cursor = walk.Cursor.from_dict(raw)
    found = ctx.library.guides.get(cursor.guide_id)
    if found is None or cursor.step_id not in found.steps:
        ctx.state.guide = None
        return None
    return found, cursor


def _show(ctx: Ctx, guide: Guide, cursor: walk.Cursor) -> None:
    ctx.state.flow = "guide"
    ctx.state.guide = cursor.to_dict()
    ctx.state.guide_at = ctx.now.isoformat()
    ctx.state.topic = guide.id
    view = walk.show(ctx.library.guides, cursor, ctx.lang)
    choices = [(label, f"guidestep:{key}") for key, label in view.options]
    ctx.say(view.text, choices if choices else None, image_url=view.image_url, footer=view.footer or None)
    if not choices:
        ctx.state.options = []


def start(ctx: Ctx, guide_id: str) -> None:
    found = ctx.library.guides.get(guide_id)
    if found is None:
        ctx.state.flow = "offer"
        ctx.yes_no(ctx.t("not_available"), "flow:handoff", "menu:main", no_key="option_no_menu")
        return
    ctx.state.step_misses = 0
    ctx.state.misses = 0
    ctx.state.history = [*ctx.state.history[-5:], f"guide:{guide_id}"]
    _show(ctx, found, walk.start(found))


def _advance(ctx: Ctx, choice: str | None) -> None:
    current = _guide(ctx)
    if current is None:
        from bot.flows.menu import show_menu

        show_menu(ctx, "main")
        return
    found, cursor = current
    try:
        result = walk.advance(found, cursor, choice)
    except walk.InvalidChoice:
        unexpected(ctx)
        return
    ctx.state.step_misses = 0
    if isinstance(result, walk.Cursor):
        _show(ctx, found, result)
        return
    _finish(ctx, found, cursor, result)


def _finish(ctx: Ctx, found: Guide, cursor: walk.Cursor, outcome: walk.Outcome) -> None:
    from bot.engine import perform

    if outcome.kind == "switch" and outcome.target:
        ctx.state.guide = None
        perform(ctx, outcome.target)
        return
    if outcome.kind == "failed":
        ctx.state.flow = "offer"
        ctx.state.data = {"guide": found.id, "step": cursor.step_id}
        ctx.yes_no(ctx.t("guide_failed_offer"), "flow:handoff", "menu:main", yes_key="option_yes_call",
                   no_key="option_no_menu")
        return
    ctx.state.guide = None
    ctx.state.flow = ""
    ctx.state.options = []
    ctx.say(ctx.t("guide_done_worked" if outcome.kind == "worked" else "guide_done"))


def on_option(ctx: Ctx, key: str) -> None:
    _advance(ctx, key)


def go_back(ctx: Ctx) -> bool:
    current = _guide(ctx)
    if current is None:
        return False
    found, cursor = current
    _show(ctx, found, walk.back(found, cursor))
    return True


def on_text(ctx: Ctx) -> bool:
    """In a guide: OK/NEXT/1 go on (when the step has no options)."""
    current = _guide(ctx)
    if current is None:
        return False
    found, cursor = current
    step = found.steps[cursor.step_id]
    words = ctx.library.texts.keywords
    goes_on = ctx.folded in words.get("next", ()) or ctx.folded in words.get("yes", ())
    if not step.options and (goes_on or ctx.folded == "1"):
        _advance(ctx, None)
        return True
    if step.options and ctx.folded in words.get("next", ()):
        # "OK" where the step asks for a choice: say so, and show the choices again (not a miss)
        _say_step(ctx, cursor, prefix=ctx.t("choose_number"))
        return True
    return False


def _say_step(ctx: Ctx, cursor: walk.Cursor, *, prefix: str | None = None) -> None:
    """Show a step again without moving (after a hint); its choices stay answerable."""
    view = walk.show(ctx.library.guides, cursor, ctx.lang)
    choices = [(label, f"guidestep:{key}") for key, label in view.options]
    text = f"{prefix}\n{view.text}" if prefix else view.text
    ctx.say(text, choices or None, image_url=view.image_url, footer=view.footer or None)


def unexpected(ctx: Ctx) -> bool:
    """An answer we did not expect in a step: a hint first, a helper the second time."""
    current = _guide(ctx)
    if current is None:
        return False
    found, cursor = current
    ctx.state.step_misses += 1
    if ctx.state.step_misses >= 2:
        ctx.state.step_misses = 0
        ctx.state.flow = "offer"
        ctx.state.data = {"guide": found.id, "step": cursor.step_id}
        ctx.yes_no(ctx.t("guide_stuck_offer"), "flow:handoff", "guidectl:resume", yes_key="option_yes_call")
        return True
    ctx.say(ctx.t("guide_hint_unexpected"))
    _say_step(ctx, cursor)
    return True


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
        [(ctx.t("option_continue"), "guidectl:resume"), (ctx.t("option_restart"), "guidectl:restart"),
         (ctx.t("option_menu"), "menu:main")],
    )
    return True


def control(ctx: Ctx, what: str) -> None:
    current = _guide(ctx)
    if current is None:
        from bot.flows.menu import show_menu

        show_menu(ctx, "main")
        return
    found, cursor = current
    if what == "restart":
        start(ctx, found.id)
        return
    _show(ctx, found, cursor)


ACTIONS: dict[str, Callable[[Ctx, str], None]] = {
    "guide": start,
    "guidestep": on_option,
    "guidectl": control,
}
TEXT_HOOKS: dict[str, Callable[[Ctx], bool]] = {"guide": on_text}
