"""Honest translations: which texts in which language are still drafts, and which a reviewer has read."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from bot.content.library import Library
from storage.models import TextReview

KINDS = ("text", "guide", "place")


@dataclass(frozen=True)
class ReviewItem:
    """One thing a reviewer reads in one language: a bot sentence, a whole guide, a place's note."""

    kind: str
    key: str
    language: str
    text: str
    source: str  # the same text in the source language, for the reviewer to compare

    @property
    def hash(self) -> str:
        return text_hash(self.text)


@dataclass(frozen=True)
class ReviewState:
    """An item and its status: reviewed by whom and when, or draft (never reviewed, or changed since)."""

    item: ReviewItem
    status: str
    reviewer: str | None = None
    when: datetime | None = None
    changed_since: bool = False


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _guide_text(library: Library, guide_id: str, language: str) -> str:
    guide = library.guides.guides[guide_id]
    parts = [guide.title.get(language, "")]
    for step in guide.steps.values():
        parts.append(step.text.get(language, ""))
        parts += [option.label.get(language, "") for option in step.options]
    return "\n".join(parts)


def review_items(library: Library, language: str) -> list[ReviewItem]:
    """Everything a resident reads in `language` that a reviewer can check (only what exists in it)."""
    source = library.texts.catalogue.source
    items: list[ReviewItem] = []
    sentences = library.texts.sentences.get(language, {})
    for key, text in sentences.items():
        items.append(ReviewItem("text", key, language, text, library.texts.sentences[source].get(key, "")))
    for guide_id, guide in sorted(library.guides.guides.items()):
        if language in guide.languages():
            items.append(ReviewItem("guide", guide_id, language, _guide_text(library, guide_id, language),
                                    _guide_text(library, guide_id, source)))
    for place in library.places.places:
        if place.notes.get(language):
            items.append(ReviewItem("place", place.id, language, place.notes[language], place.notes.get(source, "")))
    return items


def states(items: list[ReviewItem], latest: Mapping[tuple[str, str, str], TextReview]) -> list[ReviewState]:
    """Each item's status: reviewed only when the newest review says so AND the text is the one reviewed."""
    result: list[ReviewState] = []
    for item in items:
        row = latest.get((item.kind, item.key, item.language))
        if row is None:
            result.append(ReviewState(item, "draft"))
        elif row.status == "reviewed" and row.text_hash == item.hash:
            result.append(ReviewState(item, "reviewed", row.reviewer, row.created_at))
        else:
            changed = row.status == "reviewed"
            result.append(ReviewState(item, "draft", row.reviewer, row.created_at, changed_since=changed))
    return result


@dataclass(frozen=True)
class LanguageSummary:
    code: str
    name: str
    active: bool
    total: int
    reviewed: int

    @property
    def draft(self) -> int:
        return self.total - self.reviewed

    @property
    def share_draft(self) -> float:
        return self.draft / self.total if self.total else 0.0


def summaries(library: Library, latest: Mapping[tuple[str, str, str], TextReview]) -> list[LanguageSummary]:
    """Per language other than the source: how many texts exist and how many are reviewed."""
    catalogue = library.texts.catalogue
    result = []
    for language in catalogue.languages:
        if language.code == catalogue.source:
            continue
        found = states(review_items(library, language.code), latest)
        reviewed = sum(1 for state in found if state.status == "reviewed")
        result.append(LanguageSummary(language.code, language.name, language.active, len(found), reviewed))
    return result


def draft_languages(library: Library, latest: Mapping[tuple[str, str, str], TextReview]) -> set[str]:
    """Active languages with at least one text that is still a draft (the source language never is)."""
    return {summary.code for summary in summaries(library, latest) if summary.active and summary.draft}
