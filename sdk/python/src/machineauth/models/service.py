"""Public answers of the service: identity, health, RFC 8414 metadata, /api/verify."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .._json import JSONObject, boolean, integer, obj, optional_text, optional_time, strings, text
from .agents import Agent


@dataclass(frozen=True)
class ServiceInfo:
    """``GET /``: the service's name, version and issuer."""

    service: str
    version: str
    issuer: str

    @classmethod
    def from_json(cls, data: JSONObject) -> ServiceInfo:
        return cls(text(data, "service"), text(data, "version"), text(data, "issuer"))


@dataclass(frozen=True)
class Readiness:
    """``GET /health/ready``: storage answers, with agent counts."""

    status: str
    storage: str
    agents: int
    active_agents: int

    @classmethod
    def from_json(cls, data: JSONObject) -> Readiness:
        return cls(text(data, "status"), text(data, "storage"), integer(data, "agents"), integer(data, "active_agents"))


@dataclass(frozen=True)
class ServerMetadata:
    """RFC 8414 authorization server metadata."""

    issuer: str
    token_endpoint: str
    jwks_uri: str
    introspection_endpoint: str
    revocation_endpoint: str
    userinfo_endpoint: str
    grant_types_supported: tuple[str, ...]
    scopes_supported: tuple[str, ...]
    signing_algorithms: tuple[str, ...]
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: JSONObject) -> ServerMetadata:
        return cls(
            text(data, "issuer"), text(data, "token_endpoint"), text(data, "jwks_uri"),
            text(data, "introspection_endpoint"), text(data, "revocation_endpoint"), text(data, "userinfo_endpoint"),
            strings(data, "grant_types_supported"), strings(data, "scopes_supported"),
            strings(data, "access_token_signing_alg_values_supported"), dict(data),
        )


@dataclass(frozen=True)
class RemoteVerification:
    """``/api/verify``: what the server says a bearer token or API key is.

    ``token_type`` is ``access_token`` (with ``agent``, ``claims``, ``scopes``) or ``api_key``
    (with ``api_key_id`` and ``organization_id``).
    """

    valid: bool
    token_type: str
    agent_id: str | None = None
    client_id: str | None = None
    scopes: tuple[str, ...] = ()
    expires_at: datetime | None = None
    claims: dict[str, Any] = field(default_factory=dict, repr=False)
    agent: Agent | None = None
    api_key_id: str | None = None
    organization_id: str | None = None

    @classmethod
    def from_json(cls, data: JSONObject) -> RemoteVerification:
        agent = obj(data, "agent")
        api_key = obj(data, "api_key")
        return cls(
            valid=boolean(data, "valid"), token_type=text(data, "token_type"), agent_id=optional_text(data, "agent_id"),
            client_id=optional_text(data, "client_id"), scopes=strings(data, "scopes"),
            expires_at=optional_time(data, "expires_at"), claims=dict(obj(data, "claims")),
            agent=Agent.from_json(agent) if agent else None, api_key_id=optional_text(api_key, "id"),
            organization_id=optional_text(data, "organization_id") or optional_text(api_key, "organization_id"),
        )
