"""Step-by-step guides: the model, loader and validator, SMS lint, the pure walk, and content/ (YAML)."""
