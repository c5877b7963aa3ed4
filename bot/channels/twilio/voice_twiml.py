"""A call's answer as TwiML: each reply spoken by its language's voice inside a <Gather> for the keys the flow
waits for, a <Redirect> back when no key comes, or a <Hangup/> at the end of the call."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from twilio.twiml.voice_response import VoiceResponse

from bot.messages import Keypad, Reply

# Seconds Twilio waits for the next key: one key, a postcode, a phone number (typed more slowly).
TIMEOUTS = {1: 6, 4: 8}
NUMBER_TIMEOUT = 12
Voice = tuple[str, str]  # (locale for <Say language>, voice name for <Say voice>)


def keypad_of(replies: Sequence[Reply]) -> Keypad | None:
    """What the call waits for after these replies (the last reply that says so)."""
    for reply in reversed(replies):
        if reply.keypad is not None:
            return reply.keypad
    return None


def voice_twiml(replies: Sequence[Reply], *, action_url: Callable[[int], str], voice_for: Callable[[str], Voice],
                speech: bool = False) -> str:
    """The TwiML answering one webhook of a call. Without a keypad (an apology after a failure) the call ends."""
    response = VoiceResponse()
    keypad = keypad_of(replies)
    if keypad is None or keypad.hangup:
        for reply in replies:
            _say(response, reply, voice_for)
        response.hangup()
        return str(response.to_xml())
    url = action_url(keypad.turn)
    options: dict[str, object] = {
        "input": "dtmf speech" if speech else "dtmf",
        "action": url,
        "method": "POST",
        "timeout": TIMEOUTS.get(keypad.digits, NUMBER_TIMEOUT),
        "finish_on_key": "#",
    }
    if keypad.digits > 0:
        options["num_digits"] = keypad.digits
    if speech:
        options["language"] = voice_for(keypad.language)[0]
        options["speech_timeout"] = "auto"
    gather = response.gather(**options)
    for reply in replies:
        _say(gather, reply, voice_for)
    response.redirect(url, method="POST")  # no key before the timeout: the same step hears the silence
    return str(response.to_xml())


def _say(parent: object, reply: Reply, voice_for: Callable[[str], Voice]) -> None:
    locale, name = voice_for(reply.language)
    text = " ".join(reply.text.split())
    if text:
        parent.say(text, language=locale, voice=name)  # type: ignore[attr-defined]
