"""Sends ``Call``s with a blocking ``httpx.Client``: authentication, retries, the token cache."""
from __future__ import annotations

import time
from typing import TypeVar

import httpx

from ._call import Auth, Call
from ._http import DEFAULT_TIMEOUT, authorization, build_request, decode, no_cookies, take_nonce
from .dpop import is_bound
from ._retry import RetryPolicy
from ._state import ClientState
from ._token_key import DEFAULT_KEY, TokenKey
from .models.tokens import Token
from .token_cache import TokenCache

T = TypeVar("T")


class Transport:
    """The blocking transport of ``MachineAuthClient``.

    Calls authenticated as the agent take the cached token and, when the server answers 401,
    drop it and try once more with a new one; a second 401 (or a refused re-authentication,
    say after the secret was rotated elsewhere) is raised.
    """

    def __init__(self, base_url: str, state: ClientState, *, http: httpx.Client | None = None,
                 retry: RetryPolicy = RetryPolicy(), renew_before: float = 60.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.state = state
        self.retry = retry
        self._owns_http = http is None
        self.http = http or httpx.Client(timeout=DEFAULT_TIMEOUT, cookies=no_cookies())
        self.tokens = TokenCache(self._request_token, renew_before=renew_before)
        state.on_credentials_change(self.tokens.clear)

    def send(self, call: Call[T]) -> T:
        """Sends ``call`` and returns its result, or raises the ``APIError`` the server answered."""
        if call.auth is Auth.AGENT:
            response = self._as_agent(call)
        elif call.token is not None:
            response = self.exchange(call, None, call.token, bound=True)
        else:
            response = self.exchange(call, authorization(call.auth, self.state))
        result = decode(call, response)
        if call.after is not None:
            call.after(result)
        return result

    def token(self, key: TokenKey) -> Token:
        """The cached token of ``key`` (renewed when due)."""
        return self.tokens.get(key)

    def _as_agent(self, call: Call[T]) -> httpx.Response:
        token = self.tokens.get(DEFAULT_KEY)
        response = self.exchange(call, None, token.access_token, bound=is_bound(token))
        if response.status_code != 401:
            return response
        self.tokens.invalidate(DEFAULT_KEY, token.access_token)
        token = self.tokens.get(DEFAULT_KEY)
        return self.exchange(call, None, token.access_token, bound=is_bound(token))

    def _request_token(self, key: TokenKey) -> Token:
        return self.send(key.grant())

    def exchange(self, call: Call[T], authorization: str | None, access_token: str | None = None, *,
                 bound: bool = False) -> httpx.Response:
        """One request and its retries on 429/503 (see ``RetryPolicy``); ``access_token`` is presented
        as ``Bearer``, or as ``DPoP`` with a proof when ``bound``. A token request the server refuses
        with ``use_dpop_nonce`` is sent once more with its nonce (and a new proof).
        """
        attempt = 0
        nonce_retry = True
        while True:
            response = self.http.send(build_request(self.http, self.base_url, call, authorization, self.state,
                                                    access_token=access_token, bound=bound))
            if take_nonce(call, self.state, response) and nonce_retry:
                nonce_retry = False
                response.close()
                continue
            delay = self.retry.delay(response, attempt)
            if delay is None:
                return response
            response.close()
            time.sleep(delay)
            attempt += 1

    def close(self) -> None:
        """Closes the HTTP client if this transport made it."""
        if self._owns_http:
            self.http.close()
