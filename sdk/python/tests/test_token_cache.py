"""The token cache: fifty concurrent callers ask the server once (threads and asyncio), a
failure is shared rather than repeated, and tokens are renewed before they expire.
"""
from __future__ import annotations

import asyncio
import threading
import time

import httpx
import pytest

from conftest import AsyncCountingTransport, CountingTransport, NewAgent, admin_of
from machineauth import AsyncMachineAuthClient, AuthenticationError, MachineAuthClient
from server import Server

CALLERS = 50
TOKEN = "POST /oauth/token"


def test_fifty_threads_share_one_token_request(server: Server, new_agent: NewAgent,
                                               admin: MachineAuthClient) -> None:
    created = new_agent()
    counting = CountingTransport()
    client = MachineAuthClient(server.base, client_id=created.client_id, client_secret=created.client_secret,
                               http_client=httpx.Client(transport=counting))
    start = threading.Barrier(CALLERS)
    tokens: list[str] = []

    def caller() -> None:
        start.wait()
        tokens.append(client.get_token(scope="read").access_token)

    threads = [threading.Thread(target=caller) for _ in range(CALLERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(tokens) == CALLERS and len(set(tokens)) == 1
    assert counting.requests[TOKEN] == 1
    assert admin.admin.agents.get(created.agent.id).token_count == 1


def test_fifty_tasks_share_one_token_request(server: Server, new_agent: NewAgent, admin: MachineAuthClient) -> None:
    created = new_agent()
    counting = AsyncCountingTransport()

    async def run() -> list[str]:
        async with AsyncMachineAuthClient(server.base, client_id=created.client_id,
                                          client_secret=created.client_secret,
                                          http_client=httpx.AsyncClient(transport=counting)) as client:
            tokens = await asyncio.gather(*(client.get_token(scope="read") for _ in range(CALLERS)))
            return [token.access_token for token in tokens]

    tokens = asyncio.run(run())
    assert len(tokens) == CALLERS and len(set(tokens)) == 1
    assert counting.requests[TOKEN] == 1
    assert admin.admin.agents.get(created.agent.id).token_count == 1


def test_a_refused_request_is_shared_not_repeated(server: Server, new_agent: NewAgent,
                                                  admin: MachineAuthClient) -> None:
    created = new_agent()
    counting = CountingTransport()
    client = MachineAuthClient(server.base, client_id=created.client_id, client_secret="cs_wrong",
                               http_client=httpx.Client(transport=counting))
    start = threading.Barrier(CALLERS)
    errors: list[BaseException] = []

    def caller() -> None:
        start.wait()
        try:
            client.get_token()
        except AuthenticationError as error:
            errors.append(error)

    threads = [threading.Thread(target=caller) for _ in range(CALLERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(errors) == CALLERS and all(getattr(e, "error", None) == "invalid_client" for e in errors)
    assert counting.requests[TOKEN] < CALLERS / 5  # callers arriving after a failure try again, together
    assert admin.admin.agents.get(created.agent.id).failed_auth_count == counting.requests[TOKEN]


def test_a_cancelled_waiter_does_not_cancel_the_shared_request(server: Server, new_agent: NewAgent) -> None:
    created = new_agent()

    async def run() -> None:
        async with AsyncMachineAuthClient(server.base, client_id=created.client_id,
                                          client_secret=created.client_secret) as client:
            impatient = asyncio.ensure_future(client.get_token())
            patient = asyncio.ensure_future(client.get_token())
            await asyncio.sleep(0)
            impatient.cancel()
            token = await patient
            assert token.access_token
            with pytest.raises(asyncio.CancelledError):
                await impatient

    asyncio.run(run())


def test_tokens_are_renewed_before_they_expire(short_server: Server) -> None:
    admin = admin_of(short_server)
    created = admin.admin.agents.create("short-lived", scopes=["read"])
    counting = CountingTransport()
    with MachineAuthClient(short_server.base, client_id=created.client_id, client_secret=created.client_secret,
                           http_client=httpx.Client(transport=counting)) as client:
        first = client.get_token()
        assert first.expires_in == 3
        assert client.get_token().access_token == first.access_token
        time.sleep(2.5)  # past four fifths of its life, still before it expires
        assert client.introspect(first.access_token).active
        second = client.get_token()
        assert second.access_token != first.access_token
        assert client.agent.me().client_id == created.client_id  # the renewed token works
        assert counting.requests[TOKEN] == 2


def test_async_tokens_are_renewed_before_they_expire(short_server: Server) -> None:
    admin = admin_of(short_server)
    created = admin.admin.agents.create("short-lived-async", scopes=["read"])

    async def run() -> None:
        async with AsyncMachineAuthClient(short_server.base, client_id=created.client_id,
                                          client_secret=created.client_secret) as client:
            first = await client.get_token()
            await asyncio.sleep(1.0)
            assert (await client.get_token()).access_token == first.access_token
            await asyncio.sleep(1.6)  # past four fifths of its three seconds
            second = await client.get_token()
            assert second.access_token != first.access_token

    asyncio.run(run())
    assert admin.admin.agents.get(created.agent.id).token_count == 2
