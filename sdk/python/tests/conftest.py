"""Fixtures: real servers (one per configuration, started once per session when first asked
for), admin clients, fresh agents, and an HTTP transport that counts what it sends.
"""
from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from machineauth import AgentCreated, MachineAuthClient
from server import ADMIN_EMAIL, ADMIN_PASSWORD, Server

_names = itertools.count(1)


def unique(prefix: str) -> str:
    """A name no other test uses (agents, organizations, slugs)."""
    return f"{prefix}-{next(_names)}"


class CountingTransport(httpx.HTTPTransport):
    """The real HTTP transport, counting requests by ``"METHOD /path"`` (and answers by status)."""

    def __init__(self) -> None:
        super().__init__()
        self.requests: Counter[str] = Counter()
        self.log: list[tuple[str, int]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        line = f"{request.method} {request.url.path}"
        self.requests[line] += 1
        self.log.append((line, response.status_code))
        return response


class AsyncCountingTransport(httpx.AsyncHTTPTransport):
    """``CountingTransport`` for ``httpx.AsyncClient``."""

    def __init__(self) -> None:
        super().__init__()
        self.requests: Counter[str] = Counter()
        self.log: list[tuple[str, int]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await super().handle_async_request(request)
        line = f"{request.method} {request.url.path}"
        self.requests[line] += 1
        self.log.append((line, response.status_code))
        return response


class Servers:
    """Servers by configuration, started on first use and stopped at the end of the session."""

    def __init__(self) -> None:
        self._started: dict[str, Server] = {}

    def get(self, name: str, **settings: Any) -> Server:
        if name not in self._started:
            self._started[name] = Server(**settings)
        return self._started[name]

    def stop(self) -> None:
        for server in self._started.values():
            server.stop()


@pytest.fixture(scope="session")
def servers() -> Iterator[Servers]:
    pool = Servers()
    yield pool
    pool.stop()


@pytest.fixture(scope="session")
def server(servers: Servers) -> Server:
    """The main server: RS256, one-hour tokens, refresh tokens for client credentials, sign-up on,
    itself as a protected resource, webhooks allowed to reach the loopback receiver.
    """
    return servers.get("main", config={"refresh_tokens": True, "allow_signup": True, "protected_resource": True},
                       WEBHOOK_ALLOW_PRIVATE_TARGETS="true")


@pytest.fixture(scope="session")
def short_server(servers: Servers) -> Server:
    """A server whose access tokens live three seconds."""
    return servers.get("short", JWT_ACCESS_TOKEN_EXPIRY="3")


def signing_server(servers: Servers, algorithm: str) -> Server:
    """A server signing with ``algorithm`` (ES256 or EdDSA; RS256 is the main server's)."""
    return servers.get(algorithm, JWT_SIGNING_ALGORITHM=algorithm)


@pytest.fixture(scope="session")
def admin(server: Server) -> Iterator[MachineAuthClient]:
    """An owner session on the main server."""
    client = MachineAuthClient(server.base)
    client.admin.login(ADMIN_EMAIL, ADMIN_PASSWORD)
    yield client
    client.close()


def admin_of(server: Server) -> MachineAuthClient:
    """An owner session on ``server``."""
    client = MachineAuthClient(server.base)
    client.admin.login(ADMIN_EMAIL, ADMIN_PASSWORD)
    return client


NewAgent = Callable[..., AgentCreated]


@pytest.fixture
def new_agent(admin: MachineAuthClient) -> NewAgent:
    """Creates an agent on the main server: ``new_agent(scopes=[…], allowed_audiences=[…])``."""
    def create(**fields: Any) -> AgentCreated:
        fields.setdefault("scopes", ["read", "write"])
        return admin.admin.agents.create(unique("agent"), **fields)
    return create


def secret_of(created: AgentCreated) -> str:
    """The client secret of an agent created with one (every agent but a private_key_jwt one)."""
    assert created.client_secret is not None, "the agent was created without a secret"
    return created.client_secret


def agent_client(server: Server, created: AgentCreated, **options: Any) -> MachineAuthClient:
    """A client authenticating as ``created`` on ``server``."""
    return MachineAuthClient(server.base, client_id=created.client_id, client_secret=created.client_secret, **options)
