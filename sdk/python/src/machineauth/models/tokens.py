"""Token endpoint, introspection and userinfo answers."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .._json import JSONObject, boolean, epoch_time, integer, optional_text, strings, text


@dataclass(frozen=True)
class Token:
    """An RFC 6749 §5.1 token response.

    ``scope`` is what was granted (space-separated); ``refresh_token`` is there when the server
    issues one for the grant.
    """

    access_token: str
    token_type: str
    expires_in: int
    scope: str
    refresh_token: str | None = field(default=None, repr=False)

    @property
    def scopes(self) -> tuple[str, ...]:
        """The granted scopes one by one."""
        return tuple(self.scope.split())

    @classmethod
    def from_json(cls, data: JSONObject) -> Token:
        return cls(text(data, "access_token"), text(data, "token_type", "Bearer"), integer(data, "expires_in"),
                   text(data, "scope"), optional_text(data, "refresh_token"))


@dataclass(frozen=True)
class Introspection:
    """An RFC 7662 answer. For a token that is not active (revoked, expired, unknown, or not the
    caller's) only ``active`` is ``False`` and everything else is empty.
    """

    active: bool
    token_type: str | None = None
    scope: str = ""
    client_id: str | None = None
    agent_id: str | None = None
    subject: str | None = None
    audience: tuple[str, ...] = ()
    issuer: str | None = None
    expires_at: datetime | None = None
    issued_at: datetime | None = None
    jti: str | None = None
    claims: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def scopes(self) -> tuple[str, ...]:
        return tuple(self.scope.split())

    @classmethod
    def from_json(cls, data: JSONObject) -> Introspection:
        return cls(
            active=boolean(data, "active"), token_type=optional_text(data, "token_type"), scope=text(data, "scope"),
            client_id=optional_text(data, "client_id"), agent_id=optional_text(data, "agent_id"),
            subject=optional_text(data, "sub"), audience=strings(data, "aud"), issuer=optional_text(data, "iss"),
            expires_at=epoch_time(data, "exp"), issued_at=epoch_time(data, "iat"), jti=optional_text(data, "jti"),
            claims=dict(data),
        )


@dataclass(frozen=True)
class UserInfo:
    """``/oauth/userinfo``: the calling agent's profile."""

    subject: str
    client_id: str
    agent_id: str
    name: str
    scope: str
    status: str
    org_id: str | None = None
    team_id: str | None = None

    @classmethod
    def from_json(cls, data: JSONObject) -> UserInfo:
        return cls(text(data, "sub"), text(data, "client_id"), text(data, "agent_id"), text(data, "name"),
                   text(data, "scope"), text(data, "status"), optional_text(data, "org_id"), optional_text(data, "team_id"))
