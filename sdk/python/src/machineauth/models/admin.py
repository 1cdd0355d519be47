"""Administrator sessions and accounts, the audit trail, instance figures and the signing key ring."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .._json import JSONObject, integer, obj, objects, optional_text, optional_time, strings, text, time
from .tenancy import Organization


@dataclass(frozen=True)
class SessionUser:
    """Who a session belongs to; ``role`` is owner, admin or viewer."""

    id: str
    email: str
    role: str

    @classmethod
    def from_json(cls, data: JSONObject) -> SessionUser:
        return cls(text(data, "id"), text(data, "email"), text(data, "role"))


@dataclass(frozen=True)
class Session:
    """An administrator session. The client sends ``token`` as a bearer token; ``csrf_token`` only
    matters to browsers that use the session cookie instead.
    """

    token: str = field(repr=False)
    token_type: str
    expires_in: int
    expires_at: datetime
    user: SessionUser
    current_organization_id: str | None
    csrf_token: str = field(repr=False)

    @classmethod
    def from_json(cls, data: JSONObject) -> Session:
        return cls(text(data, "token"), text(data, "token_type", "Bearer"), integer(data, "expires_in"),
                   time(data, "expires_at"), SessionUser.from_json(obj(data, "user")),
                   optional_text(data, "current_organization_id"), text(data, "csrf_token"))


@dataclass(frozen=True)
class AdminMe:
    """The signed-in account, its session's expiry and the organizations it may work in."""

    user: SessionUser
    expires_at: datetime
    current_organization_id: str | None
    organizations: tuple[Organization, ...]

    @classmethod
    def from_json(cls, data: JSONObject) -> AdminMe:
        return cls(SessionUser.from_json(obj(data, "user")), time(data, "expires_at"),
                   optional_text(data, "current_organization_id"),
                   tuple(Organization.from_json(item) for item in objects(data, "organizations")))


@dataclass(frozen=True)
class User:
    """An administrator account (role admin or viewer) and the organizations it belongs to."""

    id: str
    email: str
    name: str
    role: str
    organization_ids: tuple[str, ...]
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_json(cls, data: JSONObject) -> User:
        return cls(text(data, "id"), text(data, "email"), text(data, "name"), text(data, "role"),
                   strings(data, "organization_ids"), time(data, "created_at"), time(data, "updated_at"))

    @classmethod
    def from_envelope(cls, data: JSONObject) -> User:
        return cls.from_json(obj(data, "user"))


@dataclass(frozen=True)
class AuditRecord:
    """One audited operation: what (``action``), who (``actor_type``/``actor_id``), on what, how it went."""

    id: str
    time: datetime
    action: str
    actor_type: str
    outcome: str
    actor_id: str | None = None
    agent_id: str | None = None
    organization_id: str | None = None
    target_type: str | None = None
    target_id: str | None = None
    ip_address: str | None = None
    user_agent: str | None = None
    request_id: str | None = None
    details: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_json(cls, data: JSONObject) -> AuditRecord:
        return cls(
            id=text(data, "id"), time=time(data, "time"), action=text(data, "action"),
            actor_type=text(data, "actor_type"), outcome=text(data, "outcome"), actor_id=optional_text(data, "actor_id"),
            agent_id=optional_text(data, "agent_id"), organization_id=optional_text(data, "organization_id"),
            target_type=optional_text(data, "target_type"), target_id=optional_text(data, "target_id"),
            ip_address=optional_text(data, "ip_address"), user_agent=optional_text(data, "user_agent"),
            request_id=optional_text(data, "request_id"), details=dict(obj(data, "details")),
        )


@dataclass(frozen=True)
class Stats:
    """Instance-wide figures: agents by status, tokens issued/refreshed, failed authentications."""

    agents_total: int
    agents_active: int
    agents_inactive: int
    agents_expired: int
    tokens_issued: int
    tokens_refreshed: int
    failed_authentications: int
    revoked_active: int
    signing_algorithm: str
    signing_key_id: str
    storage: str
    version: str

    @classmethod
    def from_json(cls, data: JSONObject) -> Stats:
        agents, tokens, signing = obj(data, "agents"), obj(data, "tokens"), obj(data, "signing")
        return cls(
            integer(agents, "total"), integer(agents, "active"), integer(agents, "inactive"), integer(agents, "expired"),
            integer(tokens, "issued"), integer(tokens, "refreshed"), integer(tokens, "failed_authentications"),
            integer(tokens, "revoked_active"), text(signing, "algorithm"), text(signing, "key_id"),
            text(data, "storage"), text(data, "version"),
        )


@dataclass(frozen=True)
class SigningKey:
    """A key of the signing ring; a retired one stays published until ``published_until``."""

    kid: str
    algorithm: str
    status: str
    created_at: datetime
    retired_at: datetime | None
    published_until: datetime | None

    @classmethod
    def from_json(cls, data: JSONObject) -> SigningKey:
        return cls(text(data, "kid"), text(data, "algorithm"), text(data, "status"), time(data, "created_at"),
                   optional_time(data, "retired_at"), optional_time(data, "published_until"))


@dataclass(frozen=True)
class KeyRing:
    """The signing key ring; ``active_kid`` is set after a rotation (else the active key's kid)."""

    keys: tuple[SigningKey, ...]
    active_kid: str

    @classmethod
    def from_json(cls, data: JSONObject) -> KeyRing:
        keys = tuple(SigningKey.from_json(item) for item in objects(data, "keys"))
        active = text(data, "active_kid") or next((key.kid for key in keys if key.status == "active"), "")
        return cls(keys, active)
