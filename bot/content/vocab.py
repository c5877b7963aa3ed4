"""Natural-answer vocabulary: per-language word lists (texts/vocab/<lang>.yaml), validated with file and line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from bot.content_base.yamlio import ContentError, compose_yaml

VOCAB_DIR = "vocab"
SPEC_VERSIONS = ("1",)
STR_TAG = "tag:yaml.org,2002:str"
# Every language file must have these (the contract with the content writers).
REQUIRED: tuple[str, ...] = ("yes", "no", "trouble", "place_question", "forget_request")
# A language may have these; a missing list simply never matches in that language.
OPTIONAL: tuple[str, ...] = (
    "done",             # progress at a guide step: "gevonden", "ik zie het", "it rings" (not a yes to a question)
    "worked",           # the goal reached: "het werkt", "ça marche" (with thanks inside a guide: it ends, done)
    "address",          # "waar is dat juist?", "hours": picks an option such as "Adres en uren"
    "later",            # "ik doe straks verder": stop a guide for now, resumable
    "this_number",      # "op dit nummer": a helper may call the number they write from
    "other_number",     # "op een ander nummer"
    "number_before",    # "op dat dat ik net gaf": the number the resident wrote earlier in the conversation
    "call_me_short",    # "bellen", "call me" as the whole message: a helper (a word, so only when it is all)
    "call_me",          # "kan iemand mij bellen", "talk to a real person": a helper, also inside a step
    "asap",             # callback windows
    "morning",
    "afternoon",
    "other_day",
    "any_time",         # "maakt niet uit": no preference (with other_day: the first day offered)
    "after_holidays",   # "na nieuwjaar", "après les fêtes": the first working day after the year-end holidays
    "stop_request",     # STOP in plain words: "stop texting me"
    "who_are_you",      # "wie is dit?"
    "language_request",  # words around a language name that ask to switch: "can you write in", "svp"
    "place_words",      # computer, pc, internet: a place question only when a location is named too
    "first",            # "de eerste", "the first one": option 1 of a list
    "second",
    "third",
    "filler",           # words that may surround an answer without changing it: hoor, merci, please
    "negation",         # words that turn a yes into something else: niet, not, pas
    "clause_breaks",    # words that may join two requests in one message: en, and, et, maar
    "forget_words",     # deletion words that make a privacy message a request to delete: wissen, delete
    "personal_data",    # "mijn nummer", "my address": the resident's own data, which a deletion word may name
    "distance_question",  # "is dat ver?", "c'est loin a pied ?": after a list, the distance and the walk
    "having",           # "ik heb whatsapp ja": saying what one has inside a guide asks for no other guide
    "asks_how",         # "kunt u dat uitleggen?", "pouvez-vous m'expliquer ?": asks about what the message said before
    "wanting",          # "ik wil", "I need", "je voudrais": with another guide's topic inside a guide, a new request
    "product_names",    # "proximus", "teams", "wifree": a product one guide is about (one list serves all languages)
    "device_brands",    # "samsung", "motorola", "iphone": a resident's device named by its make (one list serves all)
    "device_words",     # "gsm", "phone", "tablette": what every device option mentions, so they pick none alone
    "place_facts",      # "is het gratis?", "op voorhand bellen?": a question the place's detail answers (free, booking)
    "bring_question",   # "moet ik iets meebrengen?": what to bring to a Digipunt
    "said_question_mark",  # "vraagteken": punctuation said aloud to voice-to-text (bot/flows/dictation.py)
    "said_comma",       # "komma"
    "said_full_stop",   # "punt" (at the end, or in a message with other said marks)
    "said_mark_not_after",  # "een", "digitaal": a 'punt' after these is a word ('een digitaal punt')
    "unsure",           # "we zien wel", "maybe": no yes to an offer of news or alerts
    "asks_if_human",    # "ben je een robot?", "is this a real person?": who answers, and a person offered
    "asks_when",        # "wanneer kunnen jullie?", "when can you call?": asked back where the time is asked
    "repeat_request",   # "nog eens aub, ik zie slecht", "again please": the last message again (opening the message)
    "confused",         # "wat?", "ik snap het niet", "hoe bedoel je": the question explained, not a miss
    "nearest_question",  # "which is closest", "welke is het dichtst": the nearest of the places shown, in detail
    "closer",           # "en dichterbij is er niks?": the places shown are the nearest ones
    "refers_back",      # "bestaat er zoiets?": a question about what the message said before it
    "pressed",          # "we pressed call me": a button pressed on the phone, no request ('call me' is its name)
    "where_words",      # "waar kan ik": a question opening with these asks for a place ('waar kan ik dat doen?')
    "question_openers",  # "hoe", "is er", "can I": a clause that opens like this asks (in a sentence ending '?')
    "place_company",    # "mag mijn zoon mee komen?": may someone come along to a Digipunt
    "place_duration",   # "hoe lang mag ik blijven?": how long a visit may last
    "place_unknown_fact",  # "is het rolstoeltoegankelijk?", parking, waiting: facts the data does not hold
    "one_place",        # the message speaks of one Digipunt ("dat digipunt in de kongostraat"): its detail
    "all_works",        # the whole goal works ("hij doet het", "it works"): late in a guide, it ends there
    "correction",       # "nee ik bedoel", "no I mean": an opening that corrects what was said; the rest is read
    "goal_reached",     # the goal named ("de laptop doet het", "we are talking"): at any step of a guide, it ends
    "language_poor",    # a language the resident reads badly: "je parle mal", "mijn nederlands is slecht"
    "language_described",  # a language named to describe, not to ask: "alles staat in het Engels"
    "country_names",    # "Bulgarije", "Turquie": a country, no language ('my mother in Bulgaria' wants no Bulgarian)
    "introduction",     # "ik ben Georges", "ici Martine", "uit Wondelgem": who the resident is, before any request
    "forgot_something",  # "j'ai oublié mon mot de passe", "ik ben mijn code vergeten": no request to be forgotten
    "data_question",    # "wat doen jullie daarmee?", "who sees what I write?": with own data named, the notice
    "asks_cost",        # "kost dit geld die smsjes?": whether digibuur itself costs money (not a Digipunt)
    "first_contact",    # "mijn kleinzoon gaf mij dit nummer", "first time using this": how they came, no request
)
CATEGORIES: tuple[str, ...] = REQUIRED + OPTIONAL


@dataclass(frozen=True)
class Vocabulary:
    """Phrases per language and category, as written in the files (normalised by the reader)."""

    phrases: dict[str, dict[str, tuple[str, ...]]]

    def languages(self) -> tuple[str, ...]:
        return tuple(self.phrases)

    def of(self, language: str, category: str) -> tuple[str, ...]:
        return self.phrases.get(language, {}).get(category, ())


def _line(node: Node) -> int:
    return node.start_mark.line + 1


def parse_vocab(text: str, filename: str) -> tuple[dict[str, tuple[str, ...]], list[str]]:
    """One language file: its categories, and every problem as 'file:line: reason'."""
    problems: list[str] = []
    try:
        root = compose_yaml(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        return {}, [f"{filename}:{mark.line + 1 if mark else 0}: invalid YAML: {exc.problem}"]
    if not isinstance(root, MappingNode):
        return {}, [f"{filename}:1: expected a mapping of category -> list of words"]
    found: dict[str, tuple[str, ...]] = {}
    version_seen = False
    for key_node, value_node in root.value:
        name = key_node.value if isinstance(key_node, ScalarNode) else None
        where = f"{filename}:{_line(key_node)}"
        if name == "spec_version":
            version_seen = True
            if not isinstance(value_node, ScalarNode) or value_node.value not in SPEC_VERSIONS:
                problems.append(f"{where}: spec_version must be one of {', '.join(SPEC_VERSIONS)}")
            continue
        if name not in CATEGORIES:
            problems.append(f"{where}: unknown category {name!r} (known: {', '.join(CATEGORIES)})")
            continue
        if name in found:
            problems.append(f"{where}: category {name!r} is listed twice")
            continue
        if not isinstance(value_node, SequenceNode):
            problems.append(f"{where}: {name} must be a list of words or phrases")
            continue
        words: list[str] = []
        for item in value_node.value:
            if not isinstance(item, ScalarNode) or not item.value.strip():
                problems.append(f"{filename}:{_line(item)}: {name}: an entry must be a word or phrase")
                continue
            if item.tag != STR_TAG:  # unquoted yes/no/on/off/1 are read as booleans or numbers
                kind = item.tag.rsplit(":", 1)[-1]
                problems.append(f"{filename}:{_line(item)}: {name}: {item.value!r} is read as {kind}, not text; "
                                "put it in quotes")
                continue
            words.append(item.value.strip())
        found[str(name)] = tuple(words)
    if not version_seen:
        problems.append(f"{filename}:1: spec_version is missing")
    for name in REQUIRED:
        if not found.get(name):
            problems.append(f"{filename}:1: category {name!r} is missing or empty")
    return found, problems


def load_vocabulary(texts_dir: Path, languages: tuple[str, ...]) -> Vocabulary:
    """Every language's vocabulary file; raises ContentError naming file, line and reason."""
    phrases: dict[str, dict[str, tuple[str, ...]]] = {}
    problems: list[str] = []
    for language in languages:
        path = texts_dir / VOCAB_DIR / f"{language}.yaml"
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            problems.append(f"{path}: cannot read: {exc.strerror}")
            continue
        found, file_problems = parse_vocab(text, str(path))
        phrases[language] = found
        problems += file_problems
    if problems:
        raise ContentError("\n".join(problems))
    return Vocabulary(phrases)
