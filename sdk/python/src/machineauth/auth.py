"""``httpx.Auth`` that sends a fresh agent token with every request of any httpx client.

>>> api = httpx.Client(base_url="https://api.example.com", auth=client.auth(resource="https://api.example.com"))
>>> api.get("/v1/orders")          # Authorization: Bearer <cached, renewed before expiry>
"""
from __future__ import annotations

from collections.abc import AsyncGenerator, Generator, Sequence
from typing import Protocol

import httpx

from .models.tokens import Token

Scope = str | Sequence[str] | None


class TokenSource(Protocol):
    """What ``AgentTokenAuth`` needs of a client (``MachineAuthClient`` is one)."""

    def get_token(self, scope: Scope = None, resource: Scope = None, audience: str | None = None) -> Token: ...

    def invalidate_token(self, token: Token | str | None = None, *, scope: Scope = None, resource: Scope = None,
                         audience: str | None = None) -> None: ...


class AsyncTokenSource(Protocol):
    """What ``AsyncAgentTokenAuth`` needs of a client (``AsyncMachineAuthClient`` is one)."""

    async def get_token(self, scope: Scope = None, resource: Scope = None, audience: str | None = None) -> Token: ...

    def invalidate_token(self, token: Token | str | None = None, *, scope: Scope = None, resource: Scope = None,
                         audience: str | None = None) -> None: ...


class AgentTokenAuth(httpx.Auth):
    """Sets ``Authorization: Bearer`` from the client's token cache; on a 401 drops the token and
    sends the request once more with a new one (a second 401 is returned as it is).
    """

    requires_request_body = True

    def __init__(self, client: TokenSource, *, scope: Scope = None, resource: Scope = None,
                 audience: str | None = None) -> None:
        self._client = client
        self._scope, self._resource, self._audience = scope, resource, audience

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.read()
        token = self._client.get_token(self._scope, self._resource, self._audience)
        request.headers["Authorization"] = "Bearer " + token.access_token
        response = yield request
        if response.status_code == 401:
            self._client.invalidate_token(token, scope=self._scope, resource=self._resource, audience=self._audience)
            token = self._client.get_token(self._scope, self._resource, self._audience)
            request.headers["Authorization"] = "Bearer " + token.access_token
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
        request.headers["Authorization"] = "Bearer " + token.access_token
        response = yield request
        if response.status_code == 401:
            self._client.invalidate_token(token, scope=self._scope, resource=self._resource, audience=self._audience)
            token = await self._client.get_token(self._scope, self._resource, self._audience)
            request.headers["Authorization"] = "Bearer " + token.access_token
            yield request

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        raise RuntimeError("AsyncAgentTokenAuth is for httpx.AsyncClient; use AgentTokenAuth (client.auth())")
        yield request  # pragma: no cover - makes this a generator
