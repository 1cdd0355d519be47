"""What an agent does with its own token: profile, usage, userinfo, deactivation, deletion."""
from __future__ import annotations

import asyncio

import pytest

from conftest import NewAgent, agent_client
from machineauth import AsyncMachineAuthClient, AuthenticationError, ClientCredentials, MachineAuthClient, PermissionDeniedError
from server import Server


def test_profile_usage_and_userinfo(server: Server, new_agent: NewAgent) -> None:
    created = new_agent(metadata={"team": "search"}, tags=["sdk"])
    with agent_client(server, created) as client:
        me = client.agent.me()
        assert (me.id, me.name, me.client_id, me.status, me.is_active) == (
            created.agent.id, created.agent.name, created.client_id, "active", True)
        assert me.metadata == {"team": "search"} and me.tags == ("sdk",) and me.scopes == ("read", "write")
        usage = client.agent.usage()
        assert usage.agent_id == me.id and usage.token_count == 1 and usage.last_token_at is not None
        info = client.agent.userinfo()
        assert (info.subject, info.client_id, info.name, info.status) == (
            created.client_id, created.client_id, me.name, "active")
        assert set(info.scope.split()) == {"read", "write"}


def test_deactivate_and_reactivate_itself(server: Server, new_agent: NewAgent, admin: MachineAuthClient) -> None:
    created = new_agent()
    with agent_client(server, created) as client:
        deactivated = client.agent.deactivate()
        assert deactivated.status == "inactive" and deactivated.deactivated_by == "self"
        with pytest.raises(AuthenticationError):
            client.agent.me()
        assert client.agent.reactivate().status == "active"
        assert client.agent.me().is_active
        admin.admin.agents.deactivate(created.agent.id)
        with pytest.raises(PermissionDeniedError) as refused:
            client.agent.reactivate()  # an administrator's deactivation is not the agent's to undo
        assert (refused.value.status, refused.value.error) == (403, "access_denied")


def test_delete_itself(server: Server, new_agent: NewAgent, admin: MachineAuthClient) -> None:
    created = new_agent()
    with agent_client(server, created) as client:
        assert client.agent.delete().id == created.agent.id
        with pytest.raises(AuthenticationError):
            client.agent.me()
    assert all(agent.id != created.agent.id for agent in admin.admin.agents.list(q=created.agent.name))


def test_async_self_service(server: Server, new_agent: NewAgent) -> None:
    created = new_agent()

    async def run() -> None:
        async with AsyncMachineAuthClient(server.base, client_id=created.client_id,
                                          client_secret=created.client_secret) as client:
            me, usage, info = await asyncio.gather(client.agent.me(), client.agent.usage(), client.agent.userinfo())
            assert me.id == usage.agent_id == info.agent_id == created.agent.id
            assert (await client.agent.deactivate()).status == "inactive"
            assert (await client.agent.reactivate()).status == "active"
            rotated = await client.agent.rotate_secret()
            assert isinstance(client.credentials, ClientCredentials) and client.credentials.current_secret() == rotated.client_secret
            assert (await client.agent.me()).id == created.agent.id
            assert (await client.agent.delete()).id == created.agent.id

    asyncio.run(run())
