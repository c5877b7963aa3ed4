"""Intent recognition: text normalisation, the YAML intent catalogue, the fuzzy matcher and its evaluation."""
