"""A phone call, answered with the keypad: the main menu (1 Digipunt, 2 callback, 3 guide by SMS, 9 language,
0 repeat), silence and wrong keys, the language choice and the guides. Pure: keys and state in, speech out."""

from __future__ import annotations

from collections.abc import Callable

from bot.content.voice_texts import guide_menu
from bot.effects import CallProgress, SendSms, SetLanguage
from bot.flows import guide, voice_callback, voice_places
from bot.flows.context import Ctx
from bot.flows.handoff_replies import language_name
from bot.flows.voice_common import (
    BACK,
    CHANNEL,
    FLOW,
    MENU,
    REPEAT,
    SPEECH,
    START,
    Line,
    ask,
    ask_menu,
    call_data,
    caller_number,
    keys_from_speech,
    line,
    no_sms_line,
    note,
    sms_target,
    spoken_language,
    step_of,
    voice,
    voiced_languages,
)
from bot.messages import Address, Inbound, reply_to_dict
from bot.state import State

__all__ = ["CHANNEL", "respond"]

LANGUAGE, GUIDES, GUIDE_HELP, ENDED = "language", "guides", "guide-help", "ended"


def respond(ctx: Ctx) -> None:
    """One webhook of a call: its start, a key (or keys), or silence (no keys before the timeout)."""
    data = call_data(ctx)
    if ctx.inbound.payload == START or ctx.state.flow != FLOW or data.get("call") != ctx.inbound.call_id:
        _start_call(ctx)
    else:
        keys = keys_from_speech(ctx, ctx.text) if ctx.inbound.payload == SPEECH else ctx.text.strip()
        if not keys:
            _silence(ctx)
        else:
            data["silence"] = 0
            STEPS.get(step_of(ctx), _on_menu)(ctx, keys)
    events = tuple(str(event) for event in call_data(ctx).pop("events", []))
    ctx.effect(CallProgress(call=str(ctx.inbound.call_id or ""), step=step_of(ctx), language=ctx.lang,
                            withheld=caller_number(ctx) is None, events=events))


def _start_call(ctx: Ctx) -> None:
    ctx.state.flow = FLOW
    ctx.state.options = []
    ctx.state.data = {"call": ctx.inbound.call_id, "turn": 0, "step": MENU}
    before: list[Line] = []
    spoken = spoken_language(ctx)
    if spoken != ctx.lang:  # the resident's language has no voice: say so, honestly, and go on in Dutch
        name = language_name(ctx.lang, spoken)
        if name == ctx.lang:  # babel does not know it: its own name from the language list
            name = ctx.library.texts.catalogue.name(ctx.lang)
        before.append(line(ctx, "no_voice_note", language=name))
    ask_menu(ctx, before, welcome=True)


def _silence(ctx: Ctx) -> None:
    """No keys: say the same once more; the second time, a short goodbye and the end of the call."""
    data = call_data(ctx)
    if data.get("silence"):
        note(ctx, "goodbye")
        ask(ctx, ENDED, [line(ctx, "silence_goodbye")], hangup=True)
        return
    data["silence"] = 1
    repeat(ctx)


def repeat(ctx: Ctx, before: list[Line] | None = None) -> None:
    """The current step's question again (0 in most steps, silence, a key that is not a choice)."""
    PROMPTS.get(step_of(ctx), ask_menu)(ctx, before)


def _on_menu(ctx: Ctx, keys: str) -> None:
    if keys == "1":
        voice_places.ask_postcode(ctx)
    elif keys == "2":
        call_data(ctx)["topic"] = "other"
        voice_callback.start(ctx)
    elif keys == "3":
        _ask_guides(ctx)
    elif keys == "9":
        _ask_language(ctx)
    elif keys in (REPEAT, BACK):
        ask_menu(ctx)
    else:
        ask_menu(ctx, [line(ctx, "not_a_choice")])


def _ask_language(ctx: Ctx, before: list[Line] | None = None) -> None:
    """'Voor Nederlands, druk 1. For English, press 2. ...': each language in its own voice."""
    texts = voice(ctx)
    lines = [Line(texts.say(code, "language_choice", key=number), code)
             for number, code in enumerate(voiced_languages(ctx), start=1)]
    ask(ctx, LANGUAGE, [*(before or []), *lines])


def _on_language(ctx: Ctx, keys: str) -> None:
    choices = voiced_languages(ctx)
    if keys.isdigit() and 1 <= int(keys) <= len(choices):
        code = choices[int(keys) - 1]
        ctx.state.language = code
        ctx.state.language_known = True
        ctx.effect(SetLanguage(code))  # remembered for this caller, also when they text us
        ask_menu(ctx)
    elif keys == BACK:
        ask_menu(ctx)
    elif keys == REPEAT:
        _ask_language(ctx)
    else:
        _ask_language(ctx, [line(ctx, "not_a_choice")])


def _guides(ctx: Ctx) -> list[str]:
    return [guide_id for guide_id in voice(ctx).guides if ctx.library.guides.get(guide_id) is not None]


def _ask_guides(ctx: Ctx, before: list[Line] | None = None) -> None:
    """Key 3: which guide to text (guides are not read aloud: hands and eyes are on the phone being set up)."""
    if sms_target(ctx) is None:
        ask(ctx, GUIDE_HELP, [*(before or []), no_sms_line(ctx), line(ctx, "guide_helper")])
        return
    language = spoken_language(ctx)
    spoken = guide_menu(voice(ctx).get(language), tuple(_guides(ctx)))
    ask(ctx, GUIDES, [*(before or []), Line(spoken, language)])


def _on_guides(ctx: Ctx, keys: str) -> None:
    guides = _guides(ctx)
    target = sms_target(ctx)
    if keys.isdigit() and 1 <= int(keys) <= len(guides) and target is not None:
        guide_id = guides[int(keys) - 1]
        ctx.effect(_guide_by_sms(ctx, target, guide_id))
        call_data(ctx)["topic"] = guide_id
        note(ctx, "sms_sent")
        ask(ctx, GUIDE_HELP, [line(ctx, "guide_sent"), line(ctx, "guide_helper")])
    elif keys == BACK:
        ask_menu(ctx)
    elif keys == REPEAT:
        _ask_guides(ctx)
    else:
        _ask_guides(ctx, [line(ctx, "not_a_choice")])


def _guide_by_sms(ctx: Ctx, number: str, guide_id: str) -> SendSms:
    """The guide's first step as the SMS conversation would show it, and that conversation's state, so the
    resident's 'OK' by SMS brings the next step."""
    sms = Ctx(
        inbound=Inbound(address=Address("sms", number), text="", received_at=ctx.inbound.received_at),
        state=State(language=ctx.lang, language_known=True),
        library=ctx.library,
        now=ctx.now,
    )
    guide.start(sms, guide_id)
    replies = tuple(sms.stamped(reply) for reply in sms.replies)
    sms.state.last_replies = [reply_to_dict(reply) for reply in replies]
    sms.state.last_at = ctx.now.isoformat()
    return SendSms(to=number, replies=replies, language=ctx.lang, purpose="voice_guide", state=sms.state.to_dict())


def _ask_guide_help(ctx: Ctx, before: list[Line] | None = None) -> None:
    ask(ctx, GUIDE_HELP, [*(before or []), line(ctx, "guide_helper")])


def _on_guide_help(ctx: Ctx, keys: str) -> None:
    if keys == "1":
        voice_callback.start(ctx)
    elif keys == REPEAT:
        ask_menu(ctx)
    elif keys == BACK:
        _ask_guides(ctx)
    else:
        _ask_guide_help(ctx, [line(ctx, "not_a_choice")])


def _on_ended(ctx: Ctx, _keys: str) -> None:
    ask(ctx, ENDED, [line(ctx, "silence_goodbye")], hangup=True)


def _ask_after_ticket(ctx: Ctx, before: list[Line] | None = None) -> None:
    ask(ctx, voice_callback.AFTER, [*(before or []), line(ctx, "after_ticket")])


Step = Callable[[Ctx, str], None]
Prompt = Callable[..., None]

STEPS: dict[str, Step] = {
    MENU: _on_menu,
    LANGUAGE: _on_language,
    voice_places.POSTCODE: voice_places.on_postcode,
    voice_places.PLACES: voice_places.on_places,
    voice_callback.CONSENT: voice_callback.on_consent,
    voice_callback.NUMBER: voice_callback.on_number,
    voice_callback.CONFIRM: voice_callback.on_confirm,
    voice_callback.WINDOW: voice_callback.on_window,
    voice_callback.AFTER: voice_callback.on_after_ticket,
    GUIDES: _on_guides,
    GUIDE_HELP: _on_guide_help,
    ENDED: _on_ended,
}

PROMPTS: dict[str, Prompt] = {
    MENU: ask_menu,
    LANGUAGE: _ask_language,
    voice_places.POSTCODE: voice_places.ask_postcode,
    voice_places.PLACES: voice_places.repeat_places,
    voice_callback.CONSENT: voice_callback.start,
    voice_callback.NUMBER: voice_callback.ask_number,
    voice_callback.CONFIRM: voice_callback.ask_confirm,
    voice_callback.WINDOW: voice_callback.ask_window,
    voice_callback.AFTER: _ask_after_ticket,
    GUIDES: _ask_guides,
    GUIDE_HELP: _ask_guide_help,
    ENDED: lambda ctx, _before=None: _on_ended(ctx, ""),
}
