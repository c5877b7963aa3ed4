"""Handoff to human helpers: tickets, routing, notifications."""
