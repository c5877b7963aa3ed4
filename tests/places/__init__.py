"""Tests for the places package (Digipunten, hours, gazetteer, nearest, texts, check, CLI)."""
