"""The admin API, every call: sessions, users, agents, organizations, teams, API keys,
webhooks and deliveries, the audit log, figures and the signing keys.
"""
from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import pytest

from conftest import agent_client, secret_of, unique
from machineauth import (UNSET, AuthenticationError, BadRequestError, ConfigurationError, ConflictError, MachineAuthClient,
                         NotFoundError, PermissionDeniedError)
from receiver import Receiver
from server import ADMIN_EMAIL, ADMIN_PASSWORD, Server


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    listening = Receiver()
    yield listening
    listening.close()


def test_sessions(server: Server) -> None:
    client = MachineAuthClient(server.base)
    with pytest.raises(ConfigurationError):
        client.admin.me()
    session = client.admin.login(ADMIN_EMAIL, ADMIN_PASSWORD)
    assert session.user.role == "owner" and session.token_type == "Bearer" and session.csrf_token
    me = client.admin.me()
    assert me.user.email == ADMIN_EMAIL and me.expires_at > datetime.now(timezone.utc)
    organization = client.admin.organizations.create("Switch", unique("switch"))
    switched = client.admin.switch_organization(organization.id)
    assert switched.current_organization_id == organization.id
    assert client.admin.me().current_organization_id == organization.id
    assert client.admin.logout()
    with pytest.raises(ConfigurationError):
        client.admin.me()
    with pytest.raises(AuthenticationError) as wrong:
        MachineAuthClient(server.base).admin.login(ADMIN_EMAIL, "not-the-password")
    assert wrong.value.status == 401


def test_signup_creates_an_administrator_and_organization(server: Server) -> None:
    client = MachineAuthClient(server.base)
    email = unique("founder") + "@example.com"
    session = client.admin.signup(email, "a-long-enough-password", "Founders", name="Founder",
                                  organization_slug=unique("founders"))
    assert session.user.email == email and session.user.role == "admin" and session.current_organization_id
    assert [org.name for org in client.admin.me().organizations] == ["Founders"]
    with pytest.raises(ConflictError):
        MachineAuthClient(server.base).admin.signup(email, "a-long-enough-password", "Again")


def test_users(admin: MachineAuthClient, server: Server) -> None:
    organization = admin.admin.organizations.create("Users", unique("users"))
    email = unique("viewer") + "@example.com"
    user = admin.admin.users.create(email, "viewer-password-1", name="Viewer", role="viewer",
                                    organization_ids=[organization.id])
    assert (user.email, user.role, user.organization_ids) == (email, "viewer", (organization.id,))
    assert email in [listed.email for listed in admin.admin.users.list()]
    viewer = MachineAuthClient(server.base)
    viewer.admin.login(email, "viewer-password-1")
    assert viewer.admin.agents.list().pagination is not None
    with pytest.raises(PermissionDeniedError):
        viewer.admin.agents.create("not-allowed")
    updated = admin.admin.users.update(user.id, name="Renamed", role="admin", password="another-password-2")
    assert (updated.name, updated.role) == ("Renamed", "admin")
    with pytest.raises(AuthenticationError):
        viewer.admin.me()  # the new password ended the session
    assert admin.admin.users.delete(user.id).id == user.id


def test_agents(admin: MachineAuthClient, server: Server) -> None:
    name = unique("managed")
    expiry = datetime.now(timezone.utc) + timedelta(days=1)
    created = admin.admin.agents.create(name, description="does things", scopes=["read"], tags=["a", "b"],
                                        metadata={"owner": "search"}, grant_types=["client_credentials"],
                                        allowed_audiences=["https://api.example.com"], expires_at=expiry)
    agent = created.agent
    assert secret_of(created).startswith("cs_") and created.client_id == agent.client_id
    assert (agent.name, agent.description, agent.scopes, agent.tags, agent.metadata) == (
        name, "does things", ("read",), ("a", "b"), {"owner": "search"})
    assert agent.grant_types == ("client_credentials",) and agent.allowed_audiences == ("https://api.example.com",)
    assert agent.expires_at is not None and abs((agent.expires_at - expiry).total_seconds()) < 2
    assert admin.admin.agents.get(agent.id).client_id == agent.client_id
    listed = admin.admin.agents.list(q=name, scope="read", status="active", limit=5)
    assert [found.id for found in listed] == [agent.id] and listed.pagination and listed.pagination.limit == 5
    updated = admin.admin.agents.update(agent.id, description="does more", scopes=["read", "write"], expires_at=None)
    assert updated.description == "does more" and updated.scopes == ("read", "write") and updated.expires_at is None
    assert admin.admin.agents.update(agent.id, expires_in=3600).expires_at is not None
    assert admin.admin.agents.update(agent.id, name=name + "-x", expires_in=UNSET).name == name + "-x"
    rotated = admin.admin.agents.rotate(agent.id, grace_period_seconds=30)
    assert rotated.client_secret != created.client_secret and rotated.previous_secret_expires_at is not None
    assert admin.admin.agents.deactivate(agent.id).deactivated_by == "administrator"
    assert admin.admin.agents.reactivate(agent.id).status == "active"
    with agent_client(server, created) as client:
        assert client.get_token(resource="https://api.example.com").access_token  # the grace period
    assert admin.admin.agents.delete(agent.id).id == agent.id
    with pytest.raises(NotFoundError) as gone:
        admin.admin.agents.get(agent.id)
    assert gone.value.status == 404


def test_validation_errors_name_the_field(admin: MachineAuthClient) -> None:
    with pytest.raises(BadRequestError) as invalid:
        admin.admin.agents.create("x" * 300)
    assert invalid.value.field == "name" and invalid.value.error == "invalid_request"


def test_pages(admin: MachineAuthClient) -> None:
    prefix = unique("paged")
    for index in range(3):
        admin.admin.agents.create(f"{prefix}-{index}")
    first = admin.admin.agents.list(q=prefix, limit=2, page=1)
    second = admin.admin.agents.list(q=prefix, limit=2, page=2)
    assert len(first) == 2 and first.has_next and len(second) == 1 and not second.has_next
    assert first.pagination and first.pagination.total == 3 and first.pagination.total_pages == 2


def test_organizations_and_their_agents(admin: MachineAuthClient) -> None:
    slug = unique("acme")
    organization = admin.admin.organizations.create("Acme", slug, owner_email="owner@acme.example")
    assert (organization.name, organization.slug, organization.owner_email) == ("Acme", slug, "owner@acme.example")
    assert admin.admin.organizations.get(organization.id).slug == slug
    assert organization.id in [listed.id for listed in admin.admin.organizations.list(limit=500)]
    updated = admin.admin.organizations.update(organization.id, name="Acme Inc", owner_email=None)
    assert updated.name == "Acme Inc" and updated.owner_email is None
    member = admin.admin.organizations.create_agent(organization.id, unique("member"), scopes=["read"])
    assert member.agent.organization_id == organization.id
    assert [agent.id for agent in admin.admin.organizations.list_agents(organization.id)] == [member.agent.id]
    assert [agent.id for agent in admin.admin.agents.list(organization_id=organization.id)] == [member.agent.id]
    with pytest.raises(ConflictError):
        admin.admin.organizations.create("Again", slug)
    deleted = admin.admin.organizations.delete(organization.id, cascade=True)
    assert deleted.id == organization.id and deleted.agents_deleted == 1


def test_teams(admin: MachineAuthClient) -> None:
    organization = admin.admin.organizations.create("Teams", unique("teams"))
    team = admin.admin.teams.create(organization.id, "Search", description="finds things")
    assert (team.name, team.description, team.organization_id) == ("Search", "finds things", organization.id)
    assert admin.admin.teams.get(organization.id, team.id).name == "Search"
    assert [listed.id for listed in admin.admin.teams.list(organization.id)] == [team.id]
    assert admin.admin.teams.update(organization.id, team.id, name="Discovery").name == "Discovery"
    member = admin.admin.organizations.create_agent(organization.id, unique("teammate"), team_id=team.id)
    assert member.agent.team_id == team.id
    assert [agent.id for agent in admin.admin.agents.list(team_id=team.id)] == [member.agent.id]
    assert admin.admin.agents.update(member.agent.id, team_id=None).team_id is None
    assert admin.admin.teams.delete(organization.id, team.id).id == team.id
    assert admin.admin.teams.list(organization.id) == []


def test_api_keys_act_for_their_organization(admin: MachineAuthClient, server: Server) -> None:
    organization = admin.admin.organizations.create("Keys", unique("keys"))
    created = admin.admin.api_keys.create(organization.id, "ci", expires_in=3600)
    assert created.key.startswith("sk_") and created.api_key.status == "active"
    assert created.api_key.expires_at is not None and created.key.startswith(created.api_key.prefix)
    assert [key.id for key in admin.admin.api_keys.list(organization.id)] == [created.api_key.id]
    with MachineAuthClient(server.base, api_key=created.key) as keyed:
        agent = keyed.admin.agents.create(unique("by-key"), scopes=["read"])
        assert agent.agent.organization_id == organization.id
        assert [found.id for found in keyed.admin.agents.list()] == [agent.agent.id]
        with pytest.raises(PermissionDeniedError):
            keyed.admin.audit_logs()
        assert admin.admin.api_keys.revoke(organization.id, created.api_key.id).status == "revoked"
        with pytest.raises(AuthenticationError):
            keyed.admin.agents.list()


def test_webhooks_and_deliveries(admin: MachineAuthClient, receiver: Receiver) -> None:
    assert "agent.created" in [event.type for event in admin.admin.webhooks.event_types()]
    created = admin.admin.webhooks.create(receiver.url, events=["agent.*"], name="sdk", max_retries=2,
                                          retry_backoff_base=2)
    webhook = created.webhook
    assert created.secret.startswith("whsec_") and webhook.events == ("agent.*",) and webhook.max_retries == 2
    assert admin.admin.webhooks.get(webhook.id).url == receiver.url
    assert webhook.id in [listed.id for listed in admin.admin.webhooks.list()]
    delivery = admin.admin.webhooks.test(webhook.id, message="hello")
    assert delivery.status == "delivered" and delivery.event == "webhook.test"
    assert delivery.attempt_history and delivery.attempt_history[-1].status_code == 204
    assert any(body and body.get("type") == "webhook.test" for _, body in receiver.received)
    deliveries = admin.admin.webhooks.deliveries(webhook.id, status="delivered")
    assert delivery.id in [listed.id for listed in deliveries]
    updated = admin.admin.webhooks.update(webhook.id, events=["*"], name="everything", is_active=False)
    assert updated.events == ("*",) and not updated.is_active and updated.name == "everything"
    rotated = admin.admin.webhooks.rotate_secret(webhook.id)
    assert rotated.secret.startswith("whsec_") and rotated.secret != created.secret
    assert admin.admin.webhooks.delete(webhook.id).id == webhook.id
    with pytest.raises(NotFoundError):
        admin.admin.webhooks.get(webhook.id)


def test_audit_log_stats_and_signing_keys(admin: MachineAuthClient) -> None:
    created = admin.admin.agents.create(unique("audited"))
    deadline = time.monotonic() + 10
    while True:  # the audit notifier writes in batches (flush_interval, 1 s)
        records = admin.admin.audit_logs(agent_id=created.agent.id, action="agent.*",
                                         since=datetime.now(timezone.utc) - timedelta(minutes=5), limit=10)
        if records.items or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert "agent.created" in [record.action for record in records]
    assert all(record.agent_id == created.agent.id for record in records)
    stats = admin.admin.stats()
    assert stats.agents_total >= 1 and stats.signing_algorithm == "RS256" and stats.storage == "json"
    ring = admin.admin.keys.list()
    assert ring.active_kid == stats.signing_key_id
    rotated = admin.admin.keys.rotate()
    assert rotated.active_kid != ring.active_kid
    assert {key.kid for key in rotated.keys} >= {ring.active_kid, rotated.active_kid}
    assert [key.status for key in rotated.keys if key.kid == ring.active_kid] == ["retired"]
