"""Conversation flows: menu, guides, Digipunt finder, handoff; each a set of pure handlers on a Ctx."""
