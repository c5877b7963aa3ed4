"""What a resident asked to receive: NIEUWS, VOLG a place, STOP NIEUWS / STOP VOLG, 'mijn berichten', the one-time
news offer and the satisfaction answer. Pure: the service puts what the resident receives in `state.outbound`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from bot.effects import NewsOffered, Subscribe, SurveyAnswer, Unsubscribe
from bot.flows.context import Choice, Ctx
from bot.flows.digipunt_common import RESULTS

OFFER_EVERY = timedelta(days=90)
SURVEY = "survey"
SURVEY_COMMENT = "survey-comment"
COMMENT_MAX = 500


def _keyword(ctx: Ctx, name: str) -> bool:
    return ctx.folded in ctx.library.texts.keywords.get(name, ())


def _receives(ctx: Ctx) -> tuple[bool, list[str]]:
    outbound = ctx.state.outbound or {}
    follows = [str(place) for place in outbound.get("follow") or []]
    return bool(outbound.get("news")), follows


def on_text(ctx: Ctx) -> bool:
    """The global words of subscriptions, anywhere in a conversation (checked before STOP)."""
    if _keyword(ctx, "stop_news"):
        stop_news(ctx, "")
    elif _keyword(ctx, "stop_follow"):
        stop_follow(ctx, "")
    elif _keyword(ctx, "my_messages"):
        my_messages(ctx, "")
    elif _keyword(ctx, "news"):
        ask_news(ctx, "")
    elif _keyword(ctx, "follow"):
        ask_follow(ctx, "")
    else:
        return False
    return True


def drop_offer_not_answered(ctx: Ctx) -> None:
    """An offer of news or alerts that the message does not answer ('Oh sorry, one more thing: do I need to wipe
    them first?') is dropped, so the message is read as itself and a later 'perfect' subscribes to nothing."""
    question = ctx.state.question or {}
    if ctx.state.flow != "offer" or not str(question.get("yes") or "").startswith("sub:"):
        return
    unsure = ctx.library.answers.has(ctx.text, "unsure")  # 'ok we zien wel': no yes to news
    if not unsure and (ctx.folded.isdigit() or ctx.library.answers.read(ctx.text, ("yes", "no")) is not None):
        return
    # '... is there somebody to help with the cv?' right after a list or a detail and a thanks: still about those
    # Digipunten (their follow-up questions are read as after the list)
    shown = bool(ctx.state.data.get("shown")) and bool(ctx.state.history) \
        and ctx.state.history[-1].startswith(("place:", "dp"))
    ctx.state.flow = RESULTS if shown else ""
    ctx.state.options = []
    ctx.state.question = None


def _wording(ctx: Ctx) -> str:
    """The exact question the resident said yes to, as shown (with its options)."""
    question = ctx.state.question or {}
    key = str(question.get("key") or "")
    if not key:
        return ""
    values = question.get("values") if isinstance(question.get("values"), dict) else {}
    text = ctx.t(key, **(values or {}))
    labels = [ctx.t(str(question.get("yes_key", "option_yes"))), ctx.t(str(question.get("no_key", "option_no")))]
    return f"{text} 1 {labels[0]} 2 {labels[1]}"


def ask_news(ctx: Ctx, _arg: str) -> None:
    news, _ = _receives(ctx)
    if news:
        ctx.state.options = []
        ctx.say(ctx.t("news_already"))
        return
    ctx.state.flow = "offer"
    ctx.ask_yes_no("news_ask", "sub:news", "sub:news_no")


def offer_news(ctx: Ctx) -> bool:
    """After a successful conversation, once per 90 days and never during a flow: may we send news?"""
    news, _ = _receives(ctx)
    outbound = ctx.state.outbound or {}
    if news or ctx.state.opted_out or ctx.state.flow or ctx.state.later or ctx.inbound.test:
        return False
    if not ctx.state.last_at:
        return False  # a first message ('ok' just after a deletion): nothing was done together yet
    last = outbound.get("offered_at")
    if isinstance(last, str) and last:
        try:
            if ctx.now - datetime.fromisoformat(last) < OFFER_EVERY:
                return False
        except ValueError:
            pass
    ctx.state.flow = "offer"
    ctx.ask_yes_no("news_offer", "sub:news", "sub:news_no")
    ctx.effect(NewsOffered(wording=_wording(ctx)))
    ctx.state.outbound = {**outbound, "offered_at": ctx.now.isoformat()}
    return True


def _place_shown(ctx: Ctx) -> str | None:
    """The place whose detail was shown last ('place:ID' on top of the Digipunt history)."""
    for step in reversed(ctx.state.history[-2:]):
        if step.startswith("place:"):
            place_id = step.partition(":")[2]
            if ctx.library.places.get(place_id) is not None:
                return place_id
    return None


def ask_follow(ctx: Ctx, _arg: str) -> None:
    place_id = _place_shown(ctx)
    if place_id is None:
        ctx.state.options = []
        ctx.say(ctx.t("follow_which"))
        return
    place = ctx.library.places.get(place_id)
    assert place is not None
    ctx.state.flow = "offer"
    ctx.ask_yes_no("follow_ask", f"sub:follow={place_id}", "sub:follow_no", place=place.short_name or place.name)


def _answer(ctx: Ctx, arg: str) -> None:
    """The resident's yes or no to a news or follow question."""
    what, _, place_id = arg.partition("=")
    wording = _wording(ctx)
    ctx.state.flow = ""
    ctx.state.options = []
    ctx.state.question = None
    outbound = dict(ctx.state.outbound or {})
    if what == "news":
        ctx.effect(Subscribe(kind="news", wording=wording))
        ctx.state.outbound = {**outbound, "news": True}
        ctx.say(ctx.t("news_yes"))
    elif what == "follow" and ctx.library.places.get(place_id) is not None:
        place = ctx.library.places.get(place_id)
        assert place is not None
        ctx.effect(Subscribe(kind="follow", place_id=place_id, wording=wording))
        ctx.state.outbound = {**outbound, "follow": sorted({*(outbound.get("follow") or []), place_id})}
        ctx.say(ctx.t("follow_yes", place=place.short_name or place.name))
    else:
        ctx.say(ctx.t("news_no"))


def stop_news(ctx: Ctx, _arg: str) -> None:
    ctx.effect(Unsubscribe(kind="news"))
    ctx.state.outbound = {**(ctx.state.outbound or {}), "news": False}
    ctx.state.options = []
    ctx.say(ctx.t("news_stopped"))


def stop_follow(ctx: Ctx, _arg: str) -> None:
    ctx.effect(Unsubscribe(kind="follow"))
    ctx.state.outbound = {**(ctx.state.outbound or {}), "follow": []}
    ctx.state.options = []
    ctx.say(ctx.t("follow_stopped"))


def my_messages(ctx: Ctx, _arg: str) -> None:
    """What the resident receives besides answers: news, followed places, and how to stop each."""
    news, follows = _receives(ctx)
    ctx.state.options = []
    lines = []
    if news:
        lines.append(ctx.t("my_messages_news"))
    names = [place.short_name or place.name for place in map(ctx.library.places.get, follows) if place is not None]
    if names:
        lines.append(ctx.t("my_messages_follow", places=", ".join(names)))
    if not lines:
        ctx.say(ctx.t("my_messages_none"))
        return
    ctx.say("\n".join([ctx.t("my_messages_header"), *(f"- {line}" for line in lines)]))


# ---- the one question after a handoff (asked by the worker, which leaves these options in the state) ----


def survey_choices(ctx: Ctx) -> list[Choice]:
    return [Choice(ctx.t("survey_yes"), "survey:1", ("yes",)), Choice(ctx.t("survey_bit"), "survey:2"),
            Choice(ctx.t("survey_no"), "survey:3", ("no",))]


def survey(ctx: Ctx, arg: str) -> None:
    if arg not in ("1", "2", "3"):
        return
    ctx.effect(SurveyAnswer(answer=int(arg)))
    ctx.state.flow = SURVEY_COMMENT
    ctx.state.options = []
    ctx.say(ctx.t("survey_thanks"))


def survey_comment(ctx: Ctx) -> bool:
    """The optional short comment after the answer: kept with the answer, then thanks."""
    ctx.effect(SurveyAnswer(answer=None, comment=ctx.text.strip()[:COMMENT_MAX]))
    ctx.state.flow = ""
    ctx.say(ctx.t("survey_comment_thanks"))
    return True


def _sub(ctx: Ctx, arg: str) -> None:
    _answer(ctx, "" if arg.endswith("_no") else arg)


ACTIONS: dict[str, Callable[[Ctx, str], None]] = {"sub": _sub, "survey": survey}
TEXT_HOOKS: dict[str, Callable[[Ctx], bool]] = {SURVEY_COMMENT: survey_comment}
