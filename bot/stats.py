"""Pseudonymous keys for statistics: a keyed hash of the address, never the number itself."""

from __future__ import annotations

import hashlib
import hmac


def stats_key(secret: str, channel: str, address: str) -> str:
    digest = hmac.new(secret.encode(), f"{channel}:{address}".encode(), hashlib.sha256).hexdigest()
    return digest[:32]
