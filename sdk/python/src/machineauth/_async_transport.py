"""Sends ``Call``s with an ``httpx.AsyncClient``: the asyncio twin of ``_transport``."""
from __future__ import annotations

import asyncio
from typing import TypeVar

import httpx

from ._call import Auth, Call
from ._http import DEFAULT_TIMEOUT, authorization, build_request, decode, no_cookies, take_nonce
from .dpop import is_bound
from ._retry import RetryPolicy
from ._state import ClientState
from ._token_key import DEFAULT_KEY, TokenKey
from .models.tokens import Token
from .token_cache import AsyncTokenCache

T = TypeVar("T")


class AsyncTransport:
    """The transport of ``AsyncMachineAuthClient``; same rules as ``Transport``."""

    def __init__(self, base_url: str, state: ClientState, *, http: httpx.AsyncClient | None = None,
                 retry: RetryPolicy = RetryPolicy(), renew_before: float = 60.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.state = state
        self.retry = retry
        self._owns_http = http is None
        self.http = http or httpx.AsyncClient(timeout=DEFAULT_TIMEOUT, cookies=no_cookies())
        self.tokens = AsyncTokenCache(self._request_token, renew_before=renew_before)
        state.on_credentials_change(self.tokens.clear)

    async def send(self, call: Call[T]) -> T:
        """Sends ``call`` and returns its result, or raises the ``APIError`` the server answered."""
        if call.auth is Auth.AGENT:
            response = await self._as_agent(call)
        elif call.token is not None:
            response = await self.exchange(call, None, call.token, bound=True)
        else:
            response = await self.exchange(call, authorization(call.auth, self.state))
        result = decode(call, response)
        if call.after is not None:
            call.after(result)
        return result

    async def token(self, key: TokenKey) -> Token:
        """The cached token of ``key`` (renewed when due)."""
        return await self.tokens.get(key)

    async def _as_agent(self, call: Call[T]) -> httpx.Response:
        token = await self.tokens.get(DEFAULT_KEY)
        response = await self.exchange(call, None, token.access_token, bound=is_bound(token))
        if response.status_code != 401:
            return response
        self.tokens.invalidate(DEFAULT_KEY, token.access_token)
        token = await self.tokens.get(DEFAULT_KEY)
        return await self.exchange(call, None, token.access_token, bound=is_bound(token))

    async def _request_token(self, key: TokenKey) -> Token:
        return await self.send(key.grant())

    async def exchange(self, call: Call[T], authorization: str | None, access_token: str | None = None, *,
                       bound: bool = False) -> httpx.Response:
        """See ``Transport.exchange``."""
        attempt = 0
        nonce_retry = True
        while True:
            response = await self.http.send(build_request(self.http, self.base_url, call, authorization, self.state,
                                                          access_token=access_token, bound=bound))
            if take_nonce(call, self.state, response) and nonce_retry:
                nonce_retry = False
                await response.aclose()
                continue
            delay = self.retry.delay(response, attempt)
            if delay is None:
                return response
            await response.aclose()
            await asyncio.sleep(delay)
            attempt += 1

    async def aclose(self) -> None:
        """Closes the HTTP client if this transport made it."""
        if self._owns_http:
            await self.http.aclose()
