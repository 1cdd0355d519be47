"""Agents as the admin API and the agents themselves see them."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .._json import (JSONObject, boolean, integer, obj, optional_text, optional_time, string_map, strings, text,
                     time)


@dataclass(frozen=True)
class Agent:
    """An OAuth client of MachineAuth (never its secret). ``status`` is ``active``, ``inactive`` or
    ``expired``; ``deactivated_by`` is ``self`` or ``administrator`` for an inactive agent.
    """

    id: str
    name: str
    client_id: str
    description: str
    scopes: tuple[str, ...]
    grant_types: tuple[str, ...]
    allowed_audiences: tuple[str, ...]
    tags: tuple[str, ...]
    metadata: dict[str, str]
    status: str
    is_active: bool
    organization_id: str | None
    team_id: str | None
    created_at: datetime
    updated_at: datetime
    expires_at: datetime | None
    token_count: int
    refresh_count: int
    failed_auth_count: int
    last_token_at: datetime | None
    last_activity_at: datetime | None
    deactivated_by: str | None
    token_endpoint_auth_method: str = "client_secret_basic"
    jwks: dict[str, Any] | None = None
    dpop_bound_access_tokens: bool = False
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: JSONObject) -> Agent:
        return cls(
            id=text(data, "id"), name=text(data, "name"), client_id=text(data, "client_id"),
            description=text(data, "description"), scopes=strings(data, "scopes"),
            grant_types=strings(data, "grant_types"), allowed_audiences=strings(data, "allowed_audiences"),
            tags=strings(data, "tags"), metadata=string_map(data, "metadata"), status=text(data, "status"),
            is_active=boolean(data, "is_active"), organization_id=optional_text(data, "organization_id"),
            team_id=optional_text(data, "team_id"), created_at=time(data, "created_at"),
            updated_at=time(data, "updated_at"), expires_at=optional_time(data, "expires_at"),
            token_count=integer(data, "token_count"), refresh_count=integer(data, "refresh_count"),
            failed_auth_count=integer(data, "failed_auth_count"), last_token_at=optional_time(data, "last_token_at"),
            last_activity_at=optional_time(data, "last_activity_at"),
            deactivated_by=optional_text(data, "deactivated_by"),
            token_endpoint_auth_method=optional_text(data, "token_endpoint_auth_method") or "client_secret_basic",
            jwks=dict(obj(data, "jwks")) or None,
            dpop_bound_access_tokens=boolean(data, "dpop_bound_access_tokens"), raw=dict(data),
        )

    @classmethod
    def from_envelope(cls, data: JSONObject) -> Agent:
        """The agent of an ``{"agent": {...}, ...}`` answer."""
        return cls.from_json(obj(data, "agent"))


@dataclass(frozen=True)
class AgentCreated:
    """A new agent with its ``client_secret``, which the server shows only this once (``None``
    for a ``private_key_jwt`` agent, which has no secret).
    """

    agent: Agent
    client_id: str
    client_secret: str | None = field(repr=False)
    message: str = ""

    @classmethod
    def from_json(cls, data: JSONObject) -> AgentCreated:
        return cls(Agent.from_envelope(data), text(data, "client_id"), optional_text(data, "client_secret"), text(data, "message"))


@dataclass(frozen=True)
class AgentRotated:
    """A rotated secret. With a grace period the previous one works until
    ``previous_secret_expires_at``; without, it and every token issued with it stop at once.
    """

    agent: Agent
    client_id: str
    client_secret: str = field(repr=False)
    grace_period_seconds: int = 0
    previous_secret_expires_at: datetime | None = None
    message: str = ""

    @classmethod
    def from_json(cls, data: JSONObject) -> AgentRotated:
        return cls(Agent.from_envelope(data), text(data, "client_id"), text(data, "client_secret"),
                   integer(data, "grace_period_seconds"), optional_time(data, "previous_secret_expires_at"),
                   text(data, "message"))


@dataclass(frozen=True)
class AgentUsage:
    """An agent's usage counters (including those not yet written to storage)."""

    agent_id: str
    client_id: str
    token_count: int
    refresh_count: int
    failed_auth_count: int
    last_token_at: datetime | None
    last_activity_at: datetime | None

    @classmethod
    def from_json(cls, data: JSONObject) -> AgentUsage:
        return cls(text(data, "agent_id"), text(data, "client_id"), integer(data, "token_count"),
                   integer(data, "refresh_count"), integer(data, "failed_auth_count"),
                   optional_time(data, "last_token_at"), optional_time(data, "last_activity_at"))
