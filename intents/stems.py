"""Inflection tolerance for matching: Arabic words without their clitics, shared word beginnings elsewhere."""

from __future__ import annotations

# Arabic attaches "and", "so", "with", "for", "in" (Moroccan "f") and the article to the next word, and
# possessives and object pronouns to its end: "بالحاسوب", "فالدار", "معلوماتي", "نعطيه"; imperatives start
# with alef ("احذف"). Longest first.
# Verb endings go too ("امسحوا", Moroccan "مسحو"), and the accusative alef ("حاسوبا", "مجانيا").
ARABIC_PREFIXES = ("وال", "بال", "فال", "كال", "لل", "ال", "و", "ف", "ب", "ل", "ا")
ARABIC_SUFFIXES = ("كم", "هم", "ها", "نا", "ني", "وا", "ي", "ه", "ك", "و", "ا")
MIN_ARABIC_STEM = 3


def is_arabic(word: str) -> bool:
    """True for a word written in Arabic letters (after normalisation Arabic words stay Arabic)."""
    return bool(word) and "\u0621" <= word[0] <= "\u064a"


def arabic_stems(word: str) -> set[str]:
    """The word without one leading clitic and/or one trailing pronoun: "بالحاسوب" -> {"حاسوب", ...}."""
    starts = [word] + [word[len(p) :] for p in ARABIC_PREFIXES if word.startswith(p)]
    stems: set[str] = set()
    for start in starts:
        stems.add(start)
        stems.update(start[: -len(s)] for s in ARABIC_SUFFIXES if start.endswith(s))
    return {stem for stem in stems if len(stem) >= MIN_ARABIC_STEM and stem != word}
