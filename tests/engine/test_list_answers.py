"""After a list of Digipunten (blind set): a landmark that is one of the listed places picks its detail
('tell me more about the library one'), not a new list around that landmark."""

from __future__ import annotations

from bot.content.library import Library
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


def test_die_eerste_picks_the_first_listed_place(library: Library) -> None:
    chat = Chat(library, language="nl")
    listing = joined(chat.say("morgen, zit er iets in oostakker? gentstraat"))
    first = listing.splitlines()[1].split(",")[0].removeprefix("1 ")
    answer = joined(chat.say("die eerste, waar is dat juist en tot hoe laat"))
    assert first in answer.split(",")[0] and "Ik begrijp" not in answer


def test_a_window_in_words_is_not_an_ordinal(library: Library) -> None:
    """'na de middag' held 'de', which '2de' (read as Arabizi) had become: it picked option 2, the morning."""
    said = library.answers.read("na de middag, voormiddag moet ik werken", ("first", "second", "third"))
    assert said is None
    assert library.answers.read("na de middag, voormiddag moet ik werken",
                                ("asap", "morning", "afternoon", "other_day")) == "afternoon"


def test_a_place_named_where_a_digipunt_nearby_is_offered_lists_it(library: Library) -> None:
    chat = Chat(library, language="nl")
    offered = chat.say("hallo mijn zoon heeft huiswerk op computer en ik kan niet helpen")
    assert "Digipunt in de buurt" in [option.label for reply in offered.replies for option in reply.options]
    answer = joined(chat.say("ja we wonen in gent, bloemekenswijk"))
    assert answer.startswith("Dichtbij Bloemekenswijk")
