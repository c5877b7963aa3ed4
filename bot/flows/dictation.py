"""Punctuation said aloud to voice-to-text ('... morgen voormiddag punt mijn computer is kapot ... vraagteken')
written back as marks, so that sentences and questions are read as the resident meant them."""

from __future__ import annotations

from bot.content.answers import Answers

MARKS = (("said_question_mark", "?"), ("said_comma", ","), ("said_full_stop", "."))


def written_marks(text: str, answers: Answers) -> str:
    """The text with said marks written as marks. Only a dictated message changes: one with a said question mark
    or comma, or ending on a said full stop; a 'punt' after 'een' or 'digitaal' (vocab said_mark_not_after) is a
    word ('een digitaal punt'), not a full stop."""
    raw = text.split()
    tokens: list[str] = []
    owner: list[int] = []  # the raw word each token comes from
    for index, word in enumerate(raw):
        for token in answers.tokens(word):
            tokens.append(token)
            owner.append(index)
    hits = sorted(answers.hits(tokens, [category for category, _ in MARKS]), key=lambda hit: (hit.start, -hit.size))
    if not any(hit.category != "said_full_stop" or hit.end == len(tokens) for hit in hits):
        return text
    marks: dict[int, str] = {}  # raw index of the word the mark follows -> mark
    taken: set[int] = set()
    for hit in hits:
        first, last = owner[hit.start], owner[hit.end - 1]
        if first == 0 or taken & set(range(first, last + 1)):
            continue
        if hit.category == "said_full_stop" and answers.has(raw[first - 1], "said_mark_not_after"):
            continue
        taken.update(range(first, last + 1))
        marks[first - 1] = dict(MARKS)[hit.category]
    return " ".join(word + marks.get(index, "") for index, word in enumerate(raw) if index not in taken)
