"""Time Matcher.classify per message (median, p99) on the shipped catalogue and on one ten times larger."""

from __future__ import annotations

import random
import statistics
import string
import time
from pathlib import Path

from intents.catalog import IntentCatalog
from intents.evaluate import load_labelled
from intents.matcher import Matcher

ROOT = Path(__file__).resolve().parent.parent
CATALOG_DIR = ROOT / "intents" / "catalog"
DEV_SET = ROOT / "tests" / "data" / "intents_dev.tsv"
FILLERS = ("aub", "graag", "vandaag", "nu", "please", "today", "svp", "maintenant", "eens", "nog")
ROUNDS = 5


def perturb_word(word: str, rng: random.Random) -> str:
    """One typo: drop, double, swap or replace a letter."""
    if len(word) < 3:
        return word
    i = rng.randrange(len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return word[:i] + word[i + 1 :]
    if kind == 1:
        return word[: i + 1] + word[i] + word[i + 1 :]
    if kind == 2:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + rng.choice(string.ascii_lowercase) + word[i + 1 :]


def perturb(text: str, rng: random.Random) -> str:
    """A variant of an example: typos in one or two words, sometimes a filler word or a swapped pair."""
    words = text.split()
    for _ in range(rng.randint(1, 2)):
        i = rng.randrange(len(words))
        words[i] = perturb_word(words[i], rng)
    if rng.random() < 0.5:
        words.insert(rng.randrange(len(words) + 1), rng.choice(FILLERS))
    if len(words) > 2 and rng.random() < 0.3:
        i = rng.randrange(len(words) - 1)
        words[i], words[i + 1] = words[i + 1], words[i]
    return " ".join(words)


def enlarged(catalog: IntentCatalog, factor: int, rng: random.Random) -> IntentCatalog:
    """The catalogue with (factor - 1) perturbed copies of every example added."""
    extra = [
        (spec.id, language, perturb(text, rng))
        for spec in catalog.intents.values()
        for language, texts in spec.examples.items()
        for text in texts
        for _ in range(factor - 1)
    ]
    return catalog.with_examples(extra)


def time_classify(matcher: Matcher, messages: list[str]) -> list[float]:
    """Microseconds per classify call, over ROUNDS passes (the first pass warms caches)."""
    for text in messages:
        matcher.classify(text)
    timings: list[float] = []
    for _ in range(ROUNDS):
        for text in messages:
            start = time.perf_counter_ns()
            matcher.classify(text)
            timings.append((time.perf_counter_ns() - start) / 1000.0)
    return timings


def summary(label: str, matcher: Matcher, build_ms: float, messages: list[str]) -> float:
    timings = sorted(time_classify(matcher, messages))
    median = statistics.median(timings)
    p99 = timings[int(len(timings) * 0.99) - 1]
    print(
        f"{label:<22} phrases={len(matcher.index.phrases):>6}  build={build_ms:7.1f} ms  "
        f"median={median:7.1f} us  p99={p99:8.1f} us  mean={statistics.fmean(timings):7.1f} us"
    )
    return median


def main() -> None:
    rng = random.Random(20250101)
    catalog = IntentCatalog.load(CATALOG_DIR)
    rows = load_labelled(DEV_SET)
    messages = [row.text for row in rows] + [perturb(row.text, rng) for row in rows]
    print(f"{len(messages)} messages (dev set + a perturbed copy of each), {ROUNDS} timed passes")
    start = time.perf_counter()
    shipped = Matcher(catalog)
    base = summary("shipped catalogue", shipped, (time.perf_counter() - start) * 1000, messages)
    big_catalog = enlarged(catalog, 10, rng)
    start = time.perf_counter()
    big = Matcher(big_catalog)
    large = summary("10x catalogue", big, (time.perf_counter() - start) * 1000, messages)
    print(f"median ratio 10x / shipped: {large / base:.2f}x")


if __name__ == "__main__":
    main()
