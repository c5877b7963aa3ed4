"""Scheduled jobs, one per module: each has run(deps, now) -> counts, scans due rows, and is safe to repeat."""
