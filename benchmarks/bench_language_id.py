"""Language identification on short messages: today's way (lingua nl/en/fr), lingua on all, the light identifier.

Usage: python benchmarks/bench_language_id.py FILE.tsv [--misses]
FILE: a TSV with a header and columns `text` and `language` (other columns are ignored). Languages that
digibuur does not have count as right when they are recognised as "not one of ours" (the picker).
lingua-language-detector must be installed to measure the lingua columns (`pip install lingua-language-detector`).
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.content_base.languages import shipped_languages
from intents.catalog import IntentCatalog
from intents.matcher import Matcher

CATALOG = Path(__file__).resolve().parents[1] / "intents" / "catalog"
LINGUA_NAMES = {
    "nl": "DUTCH", "en": "ENGLISH", "fr": "FRENCH", "tr": "TURKISH", "ar": "ARABIC", "bg": "BULGARIAN",
    "uk": "UKRAINIAN", "ru": "RUSSIAN", "pl": "POLISH", "ro": "ROMANIAN", "sk": "SLOVAK", "es": "SPANISH",
    "fa": "PERSIAN", "so": "SOMALI",
}
Method = Callable[[str], "str | None"]


def read(path: Path) -> list[tuple[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [(row["text"], row["language"]) for row in csv.DictReader(handle, delimiter="\t")]


def lingua_detector(codes: list[str]) -> Any:
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(*(getattr(Language, LINGUA_NAMES[c]) for c in codes)).build()


def today_method(matcher: Matcher) -> Method:
    """digibuur before issue 14: catalogue word votes, lingua (nl/en/fr only) for 4+ words."""
    detector = lingua_detector(["nl", "en", "fr"])
    back = {"DUTCH": "nl", "ENGLISH": "en", "FRENCH": "fr"}

    def guess(text: str) -> str | None:
        words = matcher.normaliser.tokens(text)
        tally = matcher.languages.votes(words)
        ranked = sorted(tally.items(), key=lambda item: -item[1])
        voted = ranked[0][0] if ranked and ranked[0][0] in back.values() else None
        margin = ranked[0][1] - (ranked[1][1] if len(ranked) > 1 else 0.0) if ranked else 0.0
        if len(words) >= 2 and voted and margin >= 2.0:
            return voted
        if len(words) >= 4:
            values = detector.compute_language_confidence_values(text)
            if values and values[0].value >= 0.6:
                return back[values[0].language.name]
        return voted if len(words) >= 2 and margin >= 1.0 else None

    return guess


def lingua_method(codes: list[str]) -> Method:
    """lingua restricted to digibuur's languages plus the others it can name."""
    detector = lingua_detector(codes)
    back = {LINGUA_NAMES[c]: c for c in codes}

    def guess(text: str) -> str | None:
        found = detector.detect_language_of(text)
        return back[found.name] if found is not None else None

    return guess


def light_method(matcher: Matcher) -> tuple[Method, Method]:
    """The identifier in intents/language.py (best guess, and only clear decisions)."""
    identifier = matcher.languages.identifier

    def best(text: str) -> str | None:
        return identifier.identify(text, matcher.languages.votes(matcher.normaliser.tokens(text))).language

    def clear(text: str) -> str | None:
        found = identifier.identify(text, matcher.languages.votes(matcher.normaliser.tokens(text)))
        return found.language if found.clear else None

    return best, clear


def right(answer: str | None, label: str, ours: tuple[str, ...]) -> bool:
    if label in ours:
        return answer == label
    return answer is not None and answer not in ours


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--misses", action="store_true", help="print every wrong answer with its text")
    parser.add_argument("--confusion", action="store_true", help="count answers per true language (no texts)")
    args = parser.parse_args()
    rows = read(args.file)
    languages = shipped_languages()
    ours = languages.codes
    matcher = Matcher(IntentCatalog.load(CATALOG, ours), languages)
    methods: dict[str, Method] = {}
    try:
        methods["today (lingua nl/en/fr)"] = today_method(matcher)
        known = [c for c in (*ours, *(o.code for o in languages.others)) if c in LINGUA_NAMES]
        methods["lingua (all, restricted)"] = lingua_method(known)
    except ImportError:
        print("lingua is not installed: only the light identifier is measured", file=sys.stderr)
    best, clear = light_method(matcher)
    methods["light (best guess)"] = best
    methods["light (clear only)"] = clear
    groups = sorted({label if label in ours else "other" for _, label in rows}, key=lambda g: (g == "other", g))
    print(f"{len(rows)} messages; 'other' = languages digibuur does not have, right when named as not ours;")
    print("'wrong language' = answered with another language (not answering keeps the contact's language)\n")
    print("| method | " + " | ".join(groups) + " | all | wrong language | ms/msg |")
    print("| --- | " + " | ".join("---" for _ in groups) + " | --- | --- | --- |")
    for name, method in methods.items():
        hits: dict[str, list[bool]] = defaultdict(list)
        start = time.perf_counter()
        answers = [method(text) for text, _ in rows]
        elapsed = (time.perf_counter() - start) * 1000 / max(len(rows), 1)
        for (text, label), answer in zip(rows, answers, strict=True):
            hits[label if label in ours else "other"].append(right(answer, label, ours))
            if args.misses and not right(answer, label, ours):
                print(f"  {name}: {label} -> {answer}: {text}", file=sys.stderr)
        if args.confusion:
            table: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
            for (_, label), answer in zip(rows, answers, strict=True):
                table[label][str(answer)] += 1
            for label, counts in sorted(table.items()):
                print(f"  {name}: {label} -> {dict(sorted(counts.items(), key=lambda kv: -kv[1]))}", file=sys.stderr)
        cells = [f"{sum(hits[g]) / len(hits[g]):.0%} ({sum(hits[g])}/{len(hits[g])})" for g in groups]
        total = sum(sum(h) for h in hits.values())
        wrong = sum(1 for (_, label), answer in zip(rows, answers, strict=True)
                    if answer is not None and not right(answer, label, ours))
        print(f"| {name} | " + " | ".join(cells) + f" | {total / len(rows):.1%} | {wrong / len(rows):.1%} | "
              f"{elapsed:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
