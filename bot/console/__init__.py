"""Staff console and helper inbox (web UI)."""
