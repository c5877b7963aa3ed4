"""Web middleware of the app: request body caps, security headers, a small per-key rate limiter."""
