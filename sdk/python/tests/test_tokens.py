"""Tokens: the cached get_token with scope / resource / audience, request_token, refresh,
introspection and revocation, and the errors the token endpoint answers.
"""
from __future__ import annotations

from typing import Any

import jwt
import pytest

from conftest import NewAgent, agent_client, unique
from machineauth import AuthenticationError, BadRequestError, ConfigurationError, MachineAuthClient
from server import Server

API = "https://api.example.com"


def claims(token: str) -> dict[str, Any]:
    return jwt.decode(token, options={"verify_signature": False})


def test_get_token_is_cached_per_parameters(server: Server, new_agent: NewAgent, admin: MachineAuthClient) -> None:
    created = new_agent()
    with agent_client(server, created) as client:
        read = client.get_token(scope="read")
        assert read.scopes == ("read",) and read.token_type == "Bearer" and read.expires_in == 3600
        assert client.get_token(scope=["read"]).access_token == read.access_token
        both = client.get_token(scope="write read")
        assert client.get_token(scope=["read", "write"]).access_token == both.access_token
        assert both.access_token != read.access_token
        everything = client.get_token()
        assert set(everything.scopes) == {"read", "write"}
    assert admin.admin.agents.get(created.agent.id).token_count == 3


def test_resource_and_audience_set_the_tokens_audience(server: Server, new_agent: NewAgent) -> None:
    created = new_agent(allowed_audiences=[API, "https://billing.example.com"])
    with agent_client(server, created) as client:
        assert claims(client.get_token().access_token)["aud"] == server.base
        assert claims(client.get_token(resource=API).access_token)["aud"] == API
        assert claims(client.get_token(audience="https://billing.example.com").access_token)["aud"] == \
            "https://billing.example.com"
        both = claims(client.get_token(resource=[API, "https://billing.example.com"]).access_token)["aud"]
        assert sorted(both) == [API, "https://billing.example.com"]


def test_request_token_bypasses_the_cache(server: Server, new_agent: NewAgent) -> None:
    with agent_client(server, new_agent()) as client:
        first, second = client.request_token(scope="read"), client.request_token(scope="read")
        assert first.access_token != second.access_token
        assert client.get_token(scope="read").access_token not in (first.access_token, second.access_token)


def test_token_errors_carry_the_oauth_error(server: Server, new_agent: NewAgent) -> None:
    created = new_agent(scopes=["read"])
    with agent_client(server, created) as client:
        with pytest.raises(BadRequestError) as scope:
            client.get_token(scope="admin")
        assert (scope.value.status, scope.value.error) == (400, "invalid_scope")
        assert "admin" in scope.value.description
        with pytest.raises(BadRequestError) as target:
            client.get_token(resource="https://elsewhere.example.com")
        assert target.value.error == "invalid_target"
    wrong = MachineAuthClient(server.base, client_id=created.client_id, client_secret="cs_wrong")
    with pytest.raises(AuthenticationError) as refused:
        wrong.get_token()
    assert (refused.value.status, refused.value.error) == (401, "invalid_client")
    assert refused.value.request_id
    with pytest.raises(ConfigurationError):
        MachineAuthClient(server.base).get_token()


def test_refresh_rotates_and_a_replay_revokes_the_grant(server: Server, new_agent: NewAgent) -> None:
    with agent_client(server, new_agent()) as client:
        first = client.request_token(scope="read")
        assert first.refresh_token and first.refresh_token.startswith("rt_")
        second = client.refresh(first.refresh_token)
        assert second.refresh_token and second.refresh_token != first.refresh_token
        assert second.scopes == ("read",)
        with pytest.raises(BadRequestError) as replay:
            client.refresh(first.refresh_token)
        assert replay.value.error == "invalid_grant"
        with pytest.raises(BadRequestError):
            client.refresh(second.refresh_token)  # the replay revoked the whole grant


def test_introspection_with_client_credentials_and_admin(server: Server, new_agent: NewAgent,
                                                         admin: MachineAuthClient) -> None:
    created, other = new_agent(), new_agent()
    with agent_client(server, created) as client, agent_client(server, other) as stranger:
        token = client.request_token(scope="read")
        own = client.introspect(token.access_token)
        assert own.active and own.client_id == created.client_id and own.scopes == ("read",)
        assert own.agent_id == created.agent.id and own.audience == (server.base,) and own.expires_at
        assert own.token_type == "Bearer"
        assert token.refresh_token
        refresh = client.introspect(token.refresh_token, token_type_hint="refresh_token")
        assert refresh.active and refresh.token_type == "refresh_token"
        assert not stranger.introspect(token.access_token).active  # not the caller's
        assert admin.introspect(token.access_token).active
        assert not admin.introspect("not-a-token").active


def test_revocation_of_access_and_refresh_tokens(server: Server, new_agent: NewAgent,
                                                 admin: MachineAuthClient) -> None:
    with agent_client(server, new_agent()) as client:
        token = client.request_token()
        client.revoke(token.access_token)
        assert not client.introspect(token.access_token).active
        other = client.request_token()
        assert other.refresh_token
        admin.revoke(other.refresh_token, token_type_hint="refresh_token")
        with pytest.raises(BadRequestError) as spent:
            client.refresh(other.refresh_token)
        assert spent.value.error == "invalid_grant"
        client.revoke("whatever")  # RFC 7009: the same answer for any token


def test_api_key_introspects_its_organizations_agents(server: Server, admin: MachineAuthClient) -> None:
    organization = admin.admin.organizations.create("Introspection", unique("introspection"))
    key = admin.admin.api_keys.create(organization.id, "resource-server")
    created = admin.admin.organizations.create_agent(organization.id, unique("member"), scopes=["read"])
    with agent_client(server, created) as client, MachineAuthClient(server.base, api_key=key.key) as resource:
        token = client.get_token()
        assert resource.introspect(token.access_token).active
        outsider = admin.admin.agents.create(unique("outsider"), scopes=["read"])
        with agent_client(server, outsider) as other:
            assert not resource.introspect(other.get_token().access_token).active

