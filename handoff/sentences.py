"""What handoff needs of digibuur's sentences; the caller hands them in (e.g. the live library's texts)."""

from __future__ import annotations

from typing import Any, Protocol


class Sentences(Protocol):
    """A sentence by key in a language, with its {placeholders} filled in."""

    def get(self, language: str, key: str, **values: Any) -> str: ...
