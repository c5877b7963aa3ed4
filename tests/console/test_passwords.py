"""New passwords: at least 12 characters and not on the shipped list of common passwords (nor a listed word
with digits or signs around it, in leetspeak, or repeated)."""

from __future__ import annotations

import pytest

from bot.console.passwords import AccountError, check_new_password, common_passwords, is_common_password


@pytest.mark.parametrize(
    "password",
    ["123456789012", "passwordpassword", "Welkom2024!!", "P@ssw0rd2024", "motdepasse123", "iloveyou1234",
     "aaaaaaaaaaaa", "abcabcabcabc", "qwertyuiopas", "Digibuur2026!", "azertyuiop12", "1q2w3e4r5t6y"],
)
def test_common_passwords_are_refused(password: str) -> None:
    assert len(password) >= 12
    with pytest.raises(AccountError, match="common passwords"):
        check_new_password(password)


@pytest.mark.parametrize(
    "password", ["correct horse battery", "a long passphrase", "Gent is mooi in de lente", "zonnebloem tuin 7"]
)
def test_long_uncommon_passwords_are_accepted(password: str) -> None:
    check_new_password(password)
    assert not is_common_password(password)


def test_eleven_characters_are_too_short() -> None:
    with pytest.raises(AccountError, match="at least 12 characters"):
        check_new_password("x7!Kq9#mZ2p")
    check_new_password("x7!Kq9#mZ2pL")


def test_the_shipped_list_is_loaded() -> None:
    words = common_passwords()
    assert len(words) > 300 and "wachtwoord" in words and "motdepasse" in words
    assert all(word == word.lower() and " " not in word for word in words)
