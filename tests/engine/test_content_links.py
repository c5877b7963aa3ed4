"""Content files agree with each other: intents start guides that exist, guides name intents that exist,
menus point at guides and flows that exist."""

from __future__ import annotations

from bot.content.library import Library
from bot.engine import ACTIONS


def test_every_guide_action_of_an_intent_has_a_guide(library: Library) -> None:
    for spec in library.catalog.intents.values():
        prefix, _, target = spec.action.partition(":")
        assert prefix in ACTIONS or prefix == "flow", f"{spec.id}: unknown action {spec.action}"
        if prefix == "guide":
            assert library.guides.get(target) is not None, f"{spec.id} -> missing guide {target}"


def test_guides_name_the_intents_that_start_them(library: Library) -> None:
    for guide in library.guides.guides.values():
        for intent_id in guide.intents:
            spec = library.catalog.intents.get(intent_id)
            assert spec is not None, f"guide {guide.id}: unknown intent {intent_id}"
            assert spec.action == f"guide:{guide.id}", f"guide {guide.id}: {intent_id} starts {spec.action}"


def test_menu_items_lead_somewhere(library: Library) -> None:
    for menu in library.texts.menus.values():
        for item in menu.items:
            prefix, _, target = item.action.partition(":")
            if prefix == "guide":
                assert library.guides.get(target) is not None, item.action
            elif prefix == "menu":
                assert target in library.texts.menus, item.action
            else:
                assert prefix == "flow", item.action
