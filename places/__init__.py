"""places package."""
