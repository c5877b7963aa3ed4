"""The content base: YAML read with line numbers (aliases refused) and the one language list. Below bot.content:
intents, guides, places and handoff import these two modules, and they import only the kernel (and PyYAML)."""
