"""Console page "Telefoon": the spoken texts of a phone call per language (word counts, drafts beside the source)
and a preview of what a caller hears first."""

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from bot.console.web import Console, Viewer
from bot.content.voice_texts import guide_menu, word_count
from bot.engine import respond
from bot.messages import Address, Inbound, Reply

PREVIEW_CALLER = "+32470000000"


def preview(console: Console, language: str, keys: tuple[str, ...] = ()) -> list[list[Reply]]:
    """What a caller hears at the start of a call (and after `keys`), in `language` (pure: no call is stored)."""
    library = console.deps.library()
    now = console.now()
    address = Address("voice", PREVIEW_CALLER)
    state = {"language": language, "language_known": True}
    turn = respond(Inbound(address, "", now, payload="call-start", call_id="preview"), state, library, now)
    heard = [list(turn.replies)]
    for pressed in keys:
        turn = respond(Inbound(address, pressed, now, call_id="preview"), turn.state, library, now)
        heard.append(list(turn.replies))
    return heard


def add_voice_routes(api: APIRouter, console: Console, staff: Callable[[Request], Viewer]) -> None:
    StaffViewer = Annotated[Viewer, Depends(staff)]

    @api.get("/console/voice")
    def voice_page(request: Request, lang: str = "", *, viewer: StaffViewer) -> Response:
        library = console.deps.library()
        voice = library.voice
        source = library.texts.catalogue.source
        languages = sorted(voice.languages) if voice else []
        chosen = lang if lang in languages else source
        rows = []
        if voice is not None:
            for key, text in voice.languages[source].prompts.items():
                other = voice.languages[chosen].prompts.get(key, "")
                rows.append((key, text, word_count(text), other, word_count(other)))
        return console.render(
            request, "voice.html", viewer=viewer, rows=rows, languages=languages, chosen=chosen, source=source,
            max_words=voice.max_words if voice else 0,
            guides=guide_menu(voice.get(chosen), voice.guides) if voice else "",
            heard=preview(console, chosen, ("1", "9040")) if voice else [],
            keys=("", "1", "9040"),
        )
