"""Natural answers in Turkish, Arabic, Bulgarian and Ukrainian: a bot asked about, a password forgotten, a call."""

from __future__ import annotations

from typing import Any

import pytest

from bot.content.library import Library
from tests.engine.understanding import Chat

# 'can someone call me' in each language (handoff.request examples): the callback consent question
CALL_ME = {
    "tr": "biri beni arayabilir mi",
    "ar": "عيطو ليا",
    "bg": "може ли някой да ми се обади",
    "uk": "подзвоніть мені",
}
CONSENT_ACTIONS = ["handoff:consent", "handoff:other", "handoff:decline"]


def _actions(state: dict[str, Any] | None) -> list[str]:
    return [option["action"] for option in (state or {}).get("options", [])]


def _at_consent(library: Library, language: str) -> Chat:
    chat = Chat(library, language=language)
    chat.say(CALL_ME[language])
    assert chat.state is not None and chat.state["flow"] == "handoff"
    assert chat.state["data"]["asked"] == "consent"
    return chat


@pytest.mark.parametrize(("language", "text"), [
    ("tr", "robot musun?"),
    ("tr", "Merhaba, siz gerçek insan mısınız?"),
    ("ar", "واش نتا روبو؟"),
    ("ar", "wach nta robot?"),
    ("bg", "робот ли сте?"),
    ("bg", "Здравейте, с човек ли говоря?"),
    ("uk", "ви робот?"),
    ("uk", "Привіт, ви людина?"),
])
def test_asked_whether_a_person_answers(library: Library, language: str, text: str) -> None:
    chat = Chat(library, language=language)
    chat.say(text)
    assert chat.state is not None and chat.state["flow"] == "offer"
    assert _actions(chat.state) == ["flow:handoff", "menu:main"]  # the automatic assistant, a call offered


@pytest.mark.parametrize(("language", "text"), [
    ("tr", "şifremi unuttum, mesajlarımı göremiyorum"),
    ("tr", "numaramı unuttum"),
    ("ar", "نسيت كلمة السر ديال الإيميل"),
    ("ar", "nsit lcode dyal numero dyali"),
    ("bg", "забравих си паролата за имейла"),
    ("bg", "забравих паролата на номера ми"),
    ("uk", "забув пароль від свого номера"),
    ("uk", "забула пароль від моїх даних"),
])
def test_a_forgotten_password_is_no_request_to_be_forgotten(library: Library, language: str, text: str) -> None:
    chat = Chat(library, language=language)
    chat.say(text)
    assert chat.state is not None and chat.state["flow"] != "forget"
    assert "forget:ask" not in _actions(chat.state)  # no privacy notice with 'delete everything' either


@pytest.mark.parametrize(("language", "text"), [
    ("tr", "beni unutun"),
    ("ar", "انساني"),
    ("bg", "забрави ме"),
    ("uk", "забудь мене"),
])
def test_a_deletion_in_words_is_still_asked(library: Library, language: str, text: str) -> None:
    chat = Chat(library, language=language)
    chat.say(text)
    assert chat.state is not None and chat.state["flow"] == "forget"


@pytest.mark.parametrize(("language", "text"), [
    ("tr", "ara beni"),
    ("tr", "arar mısınız"),
    ("ar", "عيطلي"),
    ("ar", "3ayet lia"),
    ("bg", "звънни ми"),
    ("bg", "обади ми се"),
    ("uk", "зателефонуйте"),
    ("uk", "передзвоніть"),
])
def test_a_short_call_me_at_the_consent_question_is_the_consent(library: Library, language: str, text: str) -> None:
    chat = _at_consent(library, language)
    chat.say(text)
    assert chat.state is not None and chat.state["flow"] == "handoff"
    assert chat.state["data"]["consent"] is True
    assert _actions(chat.state)[0] == "handoff:window-asap"  # when suits you


@pytest.mark.parametrize(("language", "text"), [
    ("tr", "ne demek?"),
    ("ar", "شنو؟"),
    ("bg", "какво?"),
    ("uk", "що?"),
])
def test_confusion_at_the_consent_question_keeps_the_question(library: Library, language: str, text: str) -> None:
    chat = _at_consent(library, language)
    chat.say(text)
    assert chat.state is not None and chat.state["flow"] == "handoff"
    assert chat.state["data"]["asked"] == "consent" and "consent" not in chat.state["data"]
    assert _actions(chat.state) == CONSENT_ACTIONS  # explained, the same options again
