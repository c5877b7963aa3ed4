"""digibuur: the running service (engine, channels, console, CLI, jobs)."""
