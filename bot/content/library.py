"""The loaded content the engine reads: sentences, intents, guides, places (read-only, built once per revision)."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.content.answers import Answers
from bot.content.texts import Texts
from bot.content.vocab import load_vocabulary
from bot.content.voice_texts import VoiceTexts, load_voice_texts
from bot.content_base.languages import load_languages
from bot.content_base.yamlio import ContentError
from bot.settings import ContentPaths
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
    answers: Answers
    revision: str = "files"
    retention_days: int = 30
    voice: VoiceTexts | None = None  # spoken texts for phone calls (texts/voice)
    # what the flows derive from this content once and reuse (a guide's topic words); a replace() starts it afresh
    derived: dict[tuple[str, ...], frozenset[str]] = field(default_factory=dict, init=False, compare=False, repr=False)

    @classmethod
    def load(cls, paths: ContentPaths, revision: str = "files", retention_days: int = 30) -> Library:
        languages = load_languages(paths.texts)
        catalog = IntentCatalog.load(paths.intents, languages.codes)
        texts = Texts.load(paths.texts)
        _check_menus_named(catalog, texts, paths)
        guides = load_guides(paths.guides, languages)
        matcher = Matcher(catalog, languages)
        return cls(
            texts=texts,
            catalog=catalog,
            matcher=matcher,
            guides=guides,
            places=PlaceDirectory.load(paths.places, languages),
            answers=Answers(load_vocabulary(paths.texts, texts.languages), matcher.normaliser.tokens,
                            frozenset(matcher.index.word_languages)),
            revision=revision,
            retention_days=retention_days,
            voice=load_voice_texts(paths.texts, languages, tuple(guides.guides), texts.deployment.city),
        )


def _check_menus_named(catalog: IntentCatalog, texts: Texts, paths: ContentPaths) -> None:
    """An intent whose action is menu:<name> names a menu of texts/_menu.yaml."""
    problems = [f"{paths.intents / (spec.id + '.yaml')}: action '{spec.action}' names no menu of _menu.yaml "
                f"(known: {', '.join(sorted(texts.menus))})"
                for spec in catalog.intents.values()
                if spec.action.startswith("menu:") and spec.action.removeprefix("menu:") not in texts.menus]
    if problems:
        raise ContentError("\n".join(problems))
