"""The loaded content the engine reads: sentences, intents, guides, places (read-only, built once per revision)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.languages import load_languages
from bot.settings import ContentPaths
from bot.texts import Texts
from guides.loader import GuideBook, load_guides
from intents.catalog import IntentCatalog
from intents.matcher import Matcher
from places.directory import PlaceDirectory


@dataclass(frozen=True)
class Library:
    """All content, validated, as one value the engine receives as an argument."""

    texts: Texts
    catalog: IntentCatalog
    matcher: Matcher
    guides: GuideBook
    places: PlaceDirectory
    revision: str = "files"
    retention_days: int = 30

    @classmethod
    def load(cls, paths: ContentPaths, revision: str = "files", retention_days: int = 30) -> Library:
        languages = load_languages(paths.texts)
        catalog = IntentCatalog.load(paths.intents, languages.codes)
        return cls(
            texts=Texts.load(paths.texts),
            catalog=catalog,
            matcher=Matcher(catalog, languages),
            guides=load_guides(paths.guides, languages),
            places=PlaceDirectory.load(paths.places, languages),
            revision=revision,
            retention_days=retention_days,
        )
