"""When to try a request again: 429 and 503, after the server's ``Retry-After``."""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

import httpx


@dataclass(frozen=True)
class RetryPolicy:
    """Retries of answers 429 (rate limited) and 503 (temporarily unavailable).

    The wait is the server's ``Retry-After`` (seconds or an HTTP date), else an exponential
    backoff with jitter from ``backoff``. A wait longer than ``max_delay`` is not sat out: the
    error is raised at once, with its ``retry_after``, for the caller to decide.

    >>> MachineAuthClient(url, retry=RetryPolicy(max_retries=5, max_delay=10))
    """

    max_retries: int = 2
    max_delay: float = 30.0
    backoff: float = 0.5
    statuses: frozenset[int] = frozenset({429, 503})

    def delay(self, response: httpx.Response, attempt: int) -> float | None:
        """Seconds to wait before attempt ``attempt + 1``, or ``None`` to give up and raise."""
        if response.status_code not in self.statuses or attempt >= self.max_retries:
            return None
        wait = retry_after(response)
        if wait is None:
            wait = self.backoff * (2 ** attempt) * (0.5 + random.random() / 2)
        return wait if wait <= self.max_delay else None


NO_RETRIES = RetryPolicy(max_retries=0)


def retry_after(response: httpx.Response) -> float | None:
    """The ``Retry-After`` header in seconds (RFC 9110: delay-seconds or an HTTP date)."""
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())
