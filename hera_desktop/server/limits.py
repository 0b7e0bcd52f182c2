"""Per-token rate limits: a sliding window of the last requests each token made, in this worker.

A token may make ``requests`` requests in any ``seconds`` long window; one more is answered 429 with
``Retry-After``, the whole seconds until the oldest request in the window leaves it. Each worker process
keeps its own windows, so N workers allow up to N times the limit in all (documented in docs/server.md).
"""
from __future__ import annotations

import math
import threading
import time
from collections import deque
from typing import Callable

from .errors import ApiError


class RateLimit:
    def __init__(self, requests: int = 600, seconds: float = 10.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if requests < 1 or seconds <= 0:
            raise ValueError("a rate limit needs at least one request per a positive number of seconds")
        self.requests, self.seconds, self.clock = requests, seconds, clock
        self._windows: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    @classmethod
    def parse(cls, text: str) -> "RateLimit":
        """``"600/10"``: 600 requests per 10 seconds."""
        count, _, seconds = text.partition("/")
        try:
            return cls(int(count), float(seconds or 1))
        except ValueError:
            raise ValueError(f"{text!r} is not a rate limit; write REQUESTS/SECONDS, e.g. 600/10") from None

    def admit(self, key: str) -> None:
        now = self.clock()
        with self._lock:
            window = self._windows.setdefault(key, deque())
            while window and window[0] <= now - self.seconds:
                window.popleft()
            if len(window) >= self.requests:
                wait = max(1, math.ceil(window[0] + self.seconds - now))
                raise ApiError(429, "RATE_LIMITED", f"Too many requests for this token: at most {self.requests} "
                                                    f"in {self.seconds:g} s; try again in {wait} s",
                               headers={"Retry-After": str(wait)})
            window.append(now)
