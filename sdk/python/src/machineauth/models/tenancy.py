"""Organizations, teams and organization API keys."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from .._json import JSONObject, integer, obj, optional_text, optional_time, text, time


@dataclass(frozen=True)
class Organization:
    """A tenant: agents, teams, API keys and webhooks belong to one."""

    id: str
    name: str
    slug: str
    owner_email: str | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_json(cls, data: JSONObject) -> Organization:
        return cls(text(data, "id"), text(data, "name"), text(data, "slug"), optional_text(data, "owner_email"),
                   time(data, "created_at"), time(data, "updated_at"))

    @classmethod
    def from_envelope(cls, data: JSONObject) -> Organization:
        return cls.from_json(obj(data, "organization"))


@dataclass(frozen=True)
class OrganizationDeleted:
    """A deleted organization; ``agents_deleted`` counts the agents a cascade took with it."""

    id: str
    agents_deleted: int
    message: str

    @classmethod
    def from_json(cls, data: JSONObject) -> OrganizationDeleted:
        return cls(text(data, "id"), integer(data, "agents_deleted"), text(data, "message"))


@dataclass(frozen=True)
class Team:
    """A group of agents inside an organization."""

    id: str
    organization_id: str
    name: str
    description: str
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_json(cls, data: JSONObject) -> Team:
        return cls(text(data, "id"), text(data, "organization_id"), text(data, "name"), text(data, "description"),
                   time(data, "created_at"), time(data, "updated_at"))

    @classmethod
    def from_envelope(cls, data: JSONObject) -> Team:
        return cls.from_json(obj(data, "team"))


@dataclass(frozen=True)
class APIKey:
    """An organization API key (its ``prefix``, never its value). ``status``: active, expired, revoked."""

    id: str
    organization_id: str
    name: str
    prefix: str
    status: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None

    @classmethod
    def from_json(cls, data: JSONObject) -> APIKey:
        return cls(text(data, "id"), text(data, "organization_id"), text(data, "name"), text(data, "prefix"),
                   text(data, "status"), time(data, "created_at"), optional_time(data, "last_used_at"),
                   optional_time(data, "expires_at"), optional_time(data, "revoked_at"))

    @classmethod
    def from_envelope(cls, data: JSONObject) -> APIKey:
        return cls.from_json(obj(data, "api_key"))


@dataclass(frozen=True)
class APIKeyCreated:
    """A new API key with its ``sk_…`` value, shown only this once."""

    api_key: APIKey
    key: str = field(repr=False)
    message: str = ""

    @classmethod
    def from_json(cls, data: JSONObject) -> APIKeyCreated:
        return cls(APIKey.from_envelope(data), text(data, "key"), text(data, "message"))
