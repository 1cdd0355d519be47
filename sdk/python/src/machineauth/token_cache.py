"""Token caches: one token request at a time per key, however many callers ask.

``TokenCache`` serves threads, ``AsyncTokenCache`` one asyncio event loop. Both renew a token
before it expires (see ``CachedToken``), share one request among every caller that asks while it
is in flight (its error too: fifty callers with a wrong secret cost one failed authentication),
and drop a token the server refused (``invalidate``).
"""
from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Awaitable, Callable

from ._token_key import CachedToken, TokenKey
from .models.tokens import Token

Clock = Callable[[], float]


class _Flight:
    """A token request in progress that other threads wait for."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.token: Token | None = None
        self.error: BaseException | None = None

    def result(self) -> Token:
        self.done.wait()
        if self.error is not None:
            raise self.error
        assert self.token is not None
        return self.token


class TokenCache:
    """A thread-safe, single-flight token cache around ``fetch``.

    >>> cache = TokenCache(lambda key: request_token(key), renew_before=60)
    >>> cache.get(TokenKey.of(scope="read")).access_token
    """

    def __init__(self, fetch: Callable[[TokenKey], Token], *, renew_before: float = 60.0,
                 clock: Clock = time.monotonic) -> None:
        self._fetch = fetch
        self._renew_before = renew_before
        self._clock = clock
        self._guard = threading.Lock()
        self._entries: dict[TokenKey, CachedToken] = {}
        self._flights: dict[TokenKey, _Flight] = {}

    def get(self, key: TokenKey) -> Token:
        """A fresh token for ``key``: the cached one, or one new request shared by all who ask now."""
        with self._guard:
            entry = self._entries.get(key)
            if entry is not None and entry.is_fresh(self._clock()):
                return entry.token
            flight = self._flights.get(key)
            leading = flight is None
            if flight is None:
                flight = self._flights[key] = _Flight()
        if not leading:
            return flight.result()
        try:
            requested_at = self._clock()
            flight.token = self._fetch(key)
            with self._guard:
                self._entries[key] = CachedToken.obtained(flight.token, requested_at, self._renew_before)
            return flight.token
        except BaseException as error:
            flight.error = error
            raise
        finally:
            with self._guard:
                del self._flights[key]
            flight.done.set()

    def invalidate(self, key: TokenKey, access_token: str | None = None) -> None:
        """Forget the token of ``key`` — only if it is still ``access_token``, so callers that saw
        the same refused token drop it once and then share the replacement.
        """
        with self._guard:
            entry = self._entries.get(key)
            if entry is not None and (access_token is None or entry.token.access_token == access_token):
                del self._entries[key]

    def clear(self) -> None:
        """Forget every token (the credentials changed)."""
        with self._guard:
            self._entries.clear()


class AsyncTokenCache:
    """The asyncio counterpart of ``TokenCache``, for one event loop. A caller cancelled while
    waiting does not cancel the request the others wait for.
    """

    def __init__(self, fetch: Callable[[TokenKey], Awaitable[Token]], *, renew_before: float = 60.0,
                 clock: Clock = time.monotonic) -> None:
        self._fetch = fetch
        self._renew_before = renew_before
        self._clock = clock
        self._entries: dict[TokenKey, CachedToken] = {}
        self._flights: dict[TokenKey, asyncio.Task[Token]] = {}

    async def get(self, key: TokenKey) -> Token:
        """A fresh token for ``key``: the cached one, or one new request shared by all who ask now."""
        entry = self._entries.get(key)
        if entry is not None and entry.is_fresh(self._clock()):
            return entry.token
        flight = self._flights.get(key)
        if flight is None:
            flight = asyncio.ensure_future(self._obtain(key))
            self._flights[key] = flight
            flight.add_done_callback(lambda done: self._landed(key, done))
        return await asyncio.shield(flight)

    async def _obtain(self, key: TokenKey) -> Token:
        requested_at = self._clock()
        token = await self._fetch(key)
        self._entries[key] = CachedToken.obtained(token, requested_at, self._renew_before)
        return token

    def _landed(self, key: TokenKey, flight: asyncio.Task[Token]) -> None:
        if self._flights.get(key) is flight:
            del self._flights[key]
        if not flight.cancelled():
            flight.exception()  # retrieved here, so an error nobody awaited is not reported as lost

    def invalidate(self, key: TokenKey, access_token: str | None = None) -> None:
        """Forget the token of ``key`` if it is still ``access_token`` (see ``TokenCache.invalidate``)."""
        entry = self._entries.get(key)
        if entry is not None and (access_token is None or entry.token.access_token == access_token):
            del self._entries[key]

    def clear(self) -> None:
        """Forget every token (the credentials changed)."""
        self._entries.clear()
