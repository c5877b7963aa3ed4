"""After a list of Digipunten (blind set): a landmark that is one of the listed places picks its detail
('tell me more about the library one'), not a new list around that landmark."""

from __future__ import annotations

from bot.library import Library
from tests.engine.understanding import Chat, joined


def test_the_library_one_is_the_listed_library(library: Library) -> None:
    chat = Chat(library, language="en")
    listing = joined(chat.say("hi, public computer near the Zuid?"))
    assert listing.startswith("Near Gent Zuid") and "1 De Krook" in listing
    answer = joined(chat.say("tell me more about the library one"))
    assert answer.startswith("Digipunt Bibliotheek De Krook, Miriam Makebaplein 1")
    assert "Near" not in answer


def test_a_landmark_far_from_the_listed_places_still_lists_around_it(library: Library) -> None:
    chat = Chat(library, language="en")
    chat.say("hi, public computer near the Zuid?")
    answer = joined(chat.say("and near Dampoort station?"))
    assert answer.startswith("Near") and "Kongostraat" in answer
