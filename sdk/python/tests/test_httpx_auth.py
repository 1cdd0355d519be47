"""``client.auth()`` makes any httpx client send a fresh agent token, and re-authenticates once on a 401."""
from __future__ import annotations

import asyncio

import httpx
import pytest

from conftest import NewAgent, agent_client, secret_of
from machineauth import AsyncMachineAuthClient, AuthenticationError, MachineAuthClient
from server import Server

API = "https://api.example.com"


def test_httpx_client_sends_the_agents_token(server: Server, new_agent: NewAgent, admin: MachineAuthClient) -> None:
    created = new_agent()
    with agent_client(server, created) as client, httpx.Client(base_url=server.base, auth=client.auth()) as http:
        for _ in range(3):
            answer = http.get("/api/agents/me")
            assert answer.status_code == 200 and answer.json()["agent"]["id"] == created.agent.id
        assert http.post("/oauth/userinfo").json()["client_id"] == created.client_id
    assert admin.admin.agents.get(created.agent.id).token_count == 1


def test_httpx_auth_reauthenticates_once_after_a_rotation(server: Server, new_agent: NewAgent,
                                                          admin: MachineAuthClient) -> None:
    created = new_agent()
    vault = {"secret": secret_of(created)}
    client = MachineAuthClient(server.base, client_id=created.client_id, client_secret=lambda: vault["secret"])
    with httpx.Client(base_url=server.base, auth=client.auth()) as http:
        assert http.get("/api/agents/me").status_code == 200
        vault["secret"] = admin.admin.agents.rotate(created.agent.id).client_secret
        answer = http.get("/api/agents/me")
        assert answer.status_code == 200 and [r.status_code for r in answer.history] == [401]


def test_httpx_auth_returns_a_second_401(server: Server, new_agent: NewAgent, admin: MachineAuthClient) -> None:
    created = new_agent(allowed_audiences=[API])
    with agent_client(server, created) as client, httpx.Client(base_url=server.base,
                                                               auth=client.auth(resource=API)) as http:
        answer = http.get("/api/agents/me")  # MachineAuth's API refuses tokens for another audience
        assert answer.status_code == 401 and [r.status_code for r in answer.history] == [401]
        assert 'error="invalid_token"' in answer.headers["WWW-Authenticate"]
    assert admin.admin.agents.get(created.agent.id).token_count == 2


def test_async_httpx_client_sends_the_agents_token(server: Server, new_agent: NewAgent,
                                                   admin: MachineAuthClient) -> None:
    created = new_agent()

    async def run() -> None:
        async with AsyncMachineAuthClient(server.base, client_id=created.client_id,
                                          client_secret=created.client_secret) as client:
            async with httpx.AsyncClient(base_url=server.base, auth=client.auth(scope="read")) as http:
                answers = await asyncio.gather(*(http.get("/oauth/userinfo") for _ in range(20)))
                assert {answer.json()["scope"] for answer in answers} == {"read"}
                admin.admin.agents.rotate(created.agent.id)  # the old token and the old secret stop working
                with pytest.raises(AuthenticationError) as refused:
                    await http.get("/oauth/userinfo")  # 401, then re-authentication is refused
                assert refused.value.error == "invalid_client"

    asyncio.run(run())
    assert admin.admin.agents.get(created.agent.id).token_count == 1
