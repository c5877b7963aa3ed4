"""A small in-process limiter: at most N requests per key in a sliding minute, with bounded memory."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

WINDOW_SECONDS = 60.0
MAX_KEYS = 10_000


class RateLimiter:
    """`allow(key)` is True for the first `per_minute` calls of a key within any 60 seconds, then False."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self.clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: str) -> bool:
        now = self.clock()
        with self._lock:
            hits = self._hits.get(key)
            if hits is None:
                if len(self._hits) >= MAX_KEYS:
                    self._forget_idle(now)
                hits = self._hits[key] = deque()
            while hits and now - hits[0] >= WINDOW_SECONDS:
                hits.popleft()
            if len(hits) >= self.per_minute:
                return False
            hits.append(now)
            return True

    def retry_after(self, key: str) -> int:
        """Whole seconds until `key` may try again (0 when it may now)."""
        with self._lock:
            hits = self._hits.get(key)
            if not hits or len(hits) < self.per_minute:
                return 0
            return max(1, int(WINDOW_SECONDS - (self.clock() - hits[0])) + 1)

    def _forget_idle(self, now: float) -> None:
        idle = [key for key, hits in self._hits.items() if not hits or now - hits[-1] >= WINDOW_SECONDS]
        for key in idle:
            del self._hits[key]
        if len(self._hits) >= MAX_KEYS:  # still full of active keys: drop the oldest half
            for key in sorted(self._hits, key=lambda k: self._hits[k][-1])[: MAX_KEYS // 2]:
                del self._hits[key]
