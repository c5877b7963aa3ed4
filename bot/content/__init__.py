"""Content: loading the YAML (texts, languages, vocabulary, intents, guides, places) and the one live-content cache."""
