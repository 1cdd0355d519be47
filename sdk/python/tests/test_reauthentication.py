"""A 401 makes the client re-authenticate once: after a secret rotation it picks up the new
secret from its secret source; with no new secret the refusal is surfaced, not looped on.
"""
from __future__ import annotations

import asyncio

import httpx
import pytest

from conftest import AsyncCountingTransport, CountingTransport, NewAgent, agent_client, secret_of
from machineauth import AsyncMachineAuthClient, AuthenticationError, ClientCredentials, MachineAuthClient
from server import Server

TOKEN, ME = "POST /oauth/token", "GET /api/agents/me"


def test_rotation_elsewhere_is_picked_up_from_the_secret_source(server: Server, new_agent: NewAgent,
                                                                 admin: MachineAuthClient) -> None:
    created = new_agent()
    vault = {"secret": secret_of(created)}
    counting = CountingTransport()
    client = MachineAuthClient(server.base, client_id=created.client_id, client_secret=lambda: vault["secret"],
                               http_client=httpx.Client(transport=counting))
    assert client.agent.me().id == created.agent.id
    vault["secret"] = admin.admin.agents.rotate(created.agent.id, grace_period_seconds=0).client_secret
    counting.log.clear()
    assert client.agent.me().id == created.agent.id
    assert counting.log == [(ME, 401), (TOKEN, 200), (ME, 200)]


def test_without_a_new_secret_the_refusal_is_raised_after_one_attempt(server: Server, new_agent: NewAgent,
                                                                       admin: MachineAuthClient) -> None:
    created = new_agent()
    counting = CountingTransport()
    client = MachineAuthClient(server.base, client_id=created.client_id, client_secret=created.client_secret,
                               http_client=httpx.Client(transport=counting))
    client.agent.me()
    admin.admin.agents.rotate(created.agent.id, grace_period_seconds=0)
    counting.log.clear()
    with pytest.raises(AuthenticationError) as refused:
        client.agent.me()
    assert (refused.value.status, refused.value.error) == (401, "invalid_client")
    assert counting.log == [(ME, 401), (TOKEN, 401)]


def test_a_second_401_is_raised_as_is(server: Server, new_agent: NewAgent, admin: MachineAuthClient) -> None:
    created = new_agent()
    with agent_client(server, created) as client:
        client.agent.me()
        admin.admin.agents.deactivate(created.agent.id)
        with pytest.raises(AuthenticationError) as refused:
            client.agent.me()  # the token is refused, and so is a new one
        assert refused.value.error == "invalid_client"
        admin.admin.agents.reactivate(created.agent.id)
        assert client.agent.me().status == "active"


def test_self_rotation_switches_the_client_to_the_new_secret(server: Server, new_agent: NewAgent) -> None:
    created = new_agent()
    counting = CountingTransport()
    client = MachineAuthClient(server.base, client_id=created.client_id, client_secret=created.client_secret,
                               http_client=httpx.Client(transport=counting))
    rotated = client.agent.rotate_secret()
    assert rotated.client_secret != created.client_secret and rotated.grace_period_seconds == 0
    assert isinstance(client.credentials, ClientCredentials) and client.credentials.current_secret() == rotated.client_secret
    counting.log.clear()
    assert client.agent.me().id == created.agent.id
    assert counting.log == [(TOKEN, 200), (ME, 200)]  # the cached token was dropped, not tried
    with pytest.raises(AuthenticationError):
        MachineAuthClient(server.base, client_id=created.client_id, client_secret=created.client_secret).get_token()


def test_grace_period_keeps_the_old_secret_working(server: Server, new_agent: NewAgent) -> None:
    created = new_agent()
    with agent_client(server, created) as client:
        rotated = client.agent.rotate_secret(grace_period_seconds=60)
        assert rotated.grace_period_seconds == 60 and rotated.previous_secret_expires_at is not None
        with agent_client(server, created) as old:
            assert old.get_token().access_token


def test_async_rotation_is_picked_up_from_the_secret_source(server: Server, new_agent: NewAgent,
                                                             admin: MachineAuthClient) -> None:
    created = new_agent()
    vault = {"secret": secret_of(created)}
    counting = AsyncCountingTransport()

    async def run() -> None:
        async with AsyncMachineAuthClient(server.base, client_id=created.client_id,
                                          client_secret=lambda: vault["secret"],
                                          http_client=httpx.AsyncClient(transport=counting)) as client:
            await client.agent.me()
            vault["secret"] = admin.admin.agents.rotate(created.agent.id).client_secret
            counting.log.clear()
            await asyncio.gather(*(client.agent.me() for _ in range(10)))
            calls = [line for line, _ in counting.log]
            assert calls.count(TOKEN) == 1  # ten refused calls, one re-authentication
            assert calls.count(ME) == 20
            vault["secret"] = "cs_wrong"
            admin.admin.agents.rotate(created.agent.id)
            with pytest.raises(AuthenticationError) as refused:
                await client.agent.me()
            assert refused.value.error == "invalid_client"

    asyncio.run(run())
