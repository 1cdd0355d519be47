"""``httpx.Auth`` that sends a fresh agent token with every request of any httpx client.

>>> api = httpx.Client(base_url="https://api.example.com", auth=client.auth(resource="https://api.example.com"))
>>> api.get("/v1/orders")          # Authorization: Bearer <cached, renewed before expiry>

With a ``dpop_key`` on the client, bound tokens go as ``Authorization: DPoP`` with a fresh proof.
"""
from __future__ import annotations

from collections.abc import AsyncGenerator, Generator, Sequence
from typing import Protocol

import httpx

from ._http import asks_for_nonce
from .dpop import is_bound
from .models.tokens import Token

Scope = str | Sequence[str] | None


class TokenSource(Protocol):
    """What ``AgentTokenAuth`` needs of a client (``MachineAuthClient`` is one)."""

    def get_token(self, scope: Scope = None, resource: Scope = None, audience: str | None = None) -> Token: ...

    def invalidate_token(self, token: Token | str | None = None, *, scope: Scope = None, resource: Scope = None,
                         audience: str | None = None) -> None: ...

    def dpop_proof(self, method: str, url: str, *, access_token: str | None = None,
                   nonce: str | None = None) -> str: ...


class AsyncTokenSource(Protocol):
    """What ``AsyncAgentTokenAuth`` needs of a client (``AsyncMachineAuthClient`` is one)."""

    async def get_token(self, scope: Scope = None, resource: Scope = None, audience: str | None = None) -> Token: ...

    def invalidate_token(self, token: Token | str | None = None, *, scope: Scope = None, resource: Scope = None,
                         audience: str | None = None) -> None: ...

    def dpop_proof(self, method: str, url: str, *, access_token: str | None = None,
                   nonce: str | None = None) -> str: ...


def _present(request: httpx.Request, token: Token, client: TokenSource | AsyncTokenSource,
             nonce: str | None = None) -> None:
    """Puts ``token`` on ``request``: ``Bearer``, or for a DPoP-bound token ``DPoP`` with a fresh proof."""
    if is_bound(token):
        request.headers["Authorization"] = "DPoP " + token.access_token
        request.headers["DPoP"] = client.dpop_proof(request.method, str(request.url), access_token=token.access_token,
                                                    nonce=nonce)
    else:
        request.headers["Authorization"] = "Bearer " + token.access_token
        request.headers.pop("DPoP", None)


def _resource_nonce(response: httpx.Response, token: Token) -> str | None:
    """The nonce a resource asks a DPoP-bound token's proof to carry (401 ``use_dpop_nonce``), if it does."""
    if is_bound(token) and asks_for_nonce(response):
        return response.headers.get("DPoP-Nonce") or None
    return None


class AgentTokenAuth(httpx.Auth):
    """Sets ``Authorization: Bearer`` from the client's token cache; on a 401 drops the token and
    sends the request once more with a new one (a second 401 is returned as it is).

    A DPoP-bound token (the client has a ``dpop_key``) goes as ``Authorization: DPoP`` with a
    fresh proof for each request (``htm``/``htu`` from the request, ``ath`` from the token); a
    resource's 401 ``use_dpop_nonce`` is answered once with a proof carrying its nonce.
    """

    requires_request_body = True

    def __init__(self, client: TokenSource, *, scope: Scope = None, resource: Scope = None,
                 audience: str | None = None) -> None:
        self._client = client
        self._scope, self._resource, self._audience = scope, resource, audience

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.read()
        token = self._client.get_token(self._scope, self._resource, self._audience)
        _present(request, token, self._client)
        response = yield request
        if response.status_code == 401:
            nonce = _resource_nonce(response, token)
            if nonce is None:
                self._client.invalidate_token(token, scope=self._scope, resource=self._resource,
                                              audience=self._audience)
                token = self._client.get_token(self._scope, self._resource, self._audience)
            _present(request, token, self._client, nonce)
            yield request

    async def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        raise RuntimeError("AgentTokenAuth is for httpx.Client; use AsyncAgentTokenAuth (async_client.auth())")
        yield request  # pragma: no cover - makes this an async generator


class AsyncAgentTokenAuth(httpx.Auth):
    """``AgentTokenAuth`` for ``httpx.AsyncClient``, backed by an ``AsyncMachineAuthClient``."""

    requires_request_body = True

    def __init__(self, client: AsyncTokenSource, *, scope: Scope = None, resource: Scope = None,
                 audience: str | None = None) -> None:
        self._client = client
        self._scope, self._resource, self._audience = scope, resource, audience

    async def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        await request.aread()
        token = await self._client.get_token(self._scope, self._resource, self._audience)
        _present(request, token, self._client)
        response = yield request
        if response.status_code == 401:
            nonce = _resource_nonce(response, token)
            if nonce is None:
                self._client.invalidate_token(token, scope=self._scope, resource=self._resource,
                                              audience=self._audience)
                token = await self._client.get_token(self._scope, self._resource, self._audience)
            _present(request, token, self._client, nonce)
            yield request

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        raise RuntimeError("AsyncAgentTokenAuth is for httpx.AsyncClient; use AgentTokenAuth (client.auth())")
        yield request  # pragma: no cover - makes this a generator
