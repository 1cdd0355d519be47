"""Public endpoints: identity, health, metadata, JWKS, OpenAPI, metrics, /api/verify; and from_env."""
from __future__ import annotations

import asyncio

import pytest

from conftest import NewAgent, agent_client, secret_of
from machineauth import AsyncMachineAuthClient, AuthenticationError, ConfigurationError, MachineAuthClient
from server import Server


def test_public_endpoints(server: Server) -> None:
    with MachineAuthClient(server.base) as client:
        info = client.info()
        assert info.service == "MachineAuth" and info.issuer == server.base and info.version
        assert client.health() is True
        ready = client.ready()
        assert ready.status == "ready" and ready.storage == "json"
        metadata = client.metadata()
        assert metadata.issuer == server.base and metadata.token_endpoint == server.base + "/oauth/token"
        assert metadata.signing_algorithms == ("RS256",) and "client_credentials" in metadata.grant_types_supported
        assert client.openid_configuration()["issuer"] == server.base
        resource = client.protected_resource()
        assert resource["resource"] == server.base and resource["authorization_servers"] == [server.base]
        assert client.protected_resource("v1/reports")["resource"] == server.base  # matched by host
        assert [key["alg"] for key in client.jwks()["keys"]][0] == "RS256"
        assert client.openapi()["openapi"].startswith("3.1")
        assert "# TYPE" in client.metrics()
        assert client.issuer() == server.base


def test_verify_remote(server: Server, new_agent: NewAgent) -> None:
    created = new_agent()
    with agent_client(server, created) as client:
        token = client.get_token(scope="read")
        described = client.verify_remote(token.access_token)
        assert described.valid and described.token_type == "access_token" and described.scopes == ("read",)
        assert described.agent is not None and described.agent.id == created.agent.id
        assert described.claims["client_id"] == created.client_id
        client.revoke(token.access_token)
        with pytest.raises(AuthenticationError) as revoked:
            client.verify_remote(token.access_token)
        assert revoked.value.error == "invalid_token"


def test_from_env(server: Server, new_agent: NewAgent) -> None:
    created = new_agent()
    environ = {"MACHINEAUTH_URL": server.base, "MACHINEAUTH_CLIENT_ID": created.client_id,
               "MACHINEAUTH_CLIENT_SECRET": secret_of(created)}
    with MachineAuthClient.from_env(environ) as client:
        assert client.agent.me().id == created.agent.id

    async def run() -> str:
        async with AsyncMachineAuthClient.from_env(environ) as client:
            return (await client.agent.me()).id

    assert asyncio.run(run()) == created.agent.id
    with pytest.raises(ConfigurationError):
        MachineAuthClient.from_env({})
    with pytest.raises(ConfigurationError) as half:
        MachineAuthClient.from_env({"MACHINEAUTH_URL": server.base, "MACHINEAUTH_CLIENT_ID": "cid_x"})
    assert "MACHINEAUTH_CLIENT_SECRET" in half.value.description
    with MachineAuthClient.from_env({"MACHINEAUTH_URL": server.base}) as anonymous:
        assert anonymous.credentials is None and anonymous.health()


def test_async_public_endpoints(server: Server) -> None:
    async def run() -> None:
        async with AsyncMachineAuthClient(server.base) as client:
            info, ready, metadata, jwks = await asyncio.gather(
                client.info(), client.ready(), client.metadata(), client.jwks())
            assert info.issuer == metadata.issuer == await client.issuer() == server.base
            assert ready.status == "ready" and jwks["keys"]
            assert await client.health() and "# TYPE" in await client.metrics()
            assert (await client.openapi())["paths"] and (await client.openid_configuration())["jwks_uri"]
            assert isinstance(await client.protected_resource(), dict)

    asyncio.run(run())
