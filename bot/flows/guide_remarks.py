"""Reads remarks at a guide step that answer nothing asked: the resident's device described ('samsung a12',
'motorola. blauwe'), or what the resident has ('ik heb whatsapp ja')."""

from __future__ import annotations

from bot.content.answers import QUESTION_MARKS
from bot.flows.context import Ctx
from bot.flows.understand_base import STRONG


def names_only_device(ctx: Ctx) -> bool:
    """'tablet', 'motorola. blauwe', 'samsung a12': the resident's device (and small words), no request; also when
    a clause describing it follows ('een samsung, zo een nieuwe met 3 camera's achteraan') and asks nothing."""
    if device_alone(ctx, ctx.text):
        return True
    answers = ctx.library.answers
    clauses = answers.clauses(ctx.text)
    if len(clauses) < 2 or not device_alone(ctx, clauses[0]) or ctx.text.rstrip().endswith(QUESTION_MARKS):
        return False
    match = ctx.match()
    return not (match.keyword or match.score >= STRONG) and not answers.has(ctx.text, "trouble")


def device_alone(ctx: Ctx, text: str) -> bool:
    """The text is a device and words describing it ('motorola blauwe'), nothing a request would use."""
    answers = ctx.library.answers
    devices = answers.words_of("device_words", "device_brands")
    stop = ctx.library.catalog.spelling.stopwords
    words = [word for word in answers.tokens(text) if word not in stop and word not in answers.filler]
    if not words or words[0] not in devices or len(words) > MAX_DEVICE_WORDS:
        return False
    # the other words describe it ('blauwe', 'a12'), they are no words the requests use ('app', 'smartschool')
    known = ctx.library.matcher.index.word_languages
    return all(word in devices or word not in known for word in words[1:])


MAX_DEVICE_WORDS = 3  # 'samsung galaxy a12', 'motorola blauwe'


def only_says_having(ctx: Ctx) -> bool:
    """'ik heb whatsapp ja', 'I have WhatsApp already', 'j'ai whatsapp': a statement of what one has."""
    asks = ctx.text.rstrip().endswith(QUESTION_MARKS)
    return not asks and ctx.library.answers.has(ctx.text, "having") and not ctx.library.answers.has(
        ctx.text, "place_question")
