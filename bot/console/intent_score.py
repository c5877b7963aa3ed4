"""How well the intent set recognises its own examples when each is held out (5-fold), cached per revision."""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace

from intents.catalog import IntentCatalog
from intents.matcher import Matcher

FOLDS = 5


@dataclass(frozen=True)
class HeldOutScore:
    """Share of examples classified as their own intent by a matcher that never saw them."""

    total: int
    correct: int
    weakest: tuple[tuple[str, int, int], ...]  # (intent, correct, total), worst first

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0


def _fold(catalog: IntentCatalog, fold: int) -> tuple[IntentCatalog, list[tuple[str, str]]]:
    """The catalogue without every FOLDS-th example (each intent keeps at least one), and what was left out."""
    intents = {}
    held_out: list[tuple[str, str]] = []
    for spec in catalog.intents.values():
        examples: dict[str, tuple[str, ...]] = {}
        for language, texts in spec.examples.items():
            kept = tuple(t for i, t in enumerate(texts) if i % FOLDS != fold)
            examples[language] = kept
            held_out += [(spec.id, t) for i, t in enumerate(texts) if i % FOLDS == fold]
        if not any(examples.values()):
            examples = dict(spec.examples)
            held_out = [(intent, text) for intent, text in held_out if intent != spec.id]
        intents[spec.id] = replace(spec, examples=examples)
    return replace(catalog, intents=intents), held_out


def held_out_score(catalog: IntentCatalog) -> HeldOutScore:
    totals: dict[str, list[int]] = {}
    for fold in range(FOLDS):
        reduced, held_out = _fold(catalog, fold)
        matcher = Matcher(reduced)
        for intent, text in held_out:
            counts = totals.setdefault(intent, [0, 0])
            counts[1] += 1
            if matcher.classify(text).intent == intent:
                counts[0] += 1
    weakest = sorted(((intent, c, t) for intent, (c, t) in totals.items()), key=lambda x: (x[1] / x[2], x[0]))
    return HeldOutScore(
        total=sum(t for _, t in totals.values()), correct=sum(c for c, _ in totals.values()), weakest=tuple(weakest[:5])
    )


_cache: dict[str, HeldOutScore] = {}
_lock = threading.Lock()


def cached_score(revision: str, catalog: IntentCatalog) -> HeldOutScore:
    """The score for this content revision, computed once per process."""
    with _lock:
        found = _cache.get(revision)
    if found is not None:
        return found
    score = held_out_score(catalog)
    with _lock:
        if len(_cache) > 8:
            _cache.clear()
        _cache[revision] = score
    return score
