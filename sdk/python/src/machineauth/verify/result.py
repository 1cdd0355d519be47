"""What a verified access token says."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .._json import JSONObject, epoch_time, optional_text, strings, text


@dataclass(frozen=True)
class VerifiedToken:
    """The claims of a verified access token (RFC 9068), typed; ``claims`` holds every claim,
    including those an enricher added (``org_id``, ``team_id``, custom ones).
    """

    subject: str
    client_id: str
    agent_id: str
    issuer: str
    audience: tuple[str, ...]
    scopes: tuple[str, ...]
    expires_at: datetime | None
    issued_at: datetime | None
    jti: str | None
    claims: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def org_id(self) -> str | None:
        """The agent's organization, when the ``org_team`` enricher is on."""
        return optional_text(self.claims, "org_id")

    @property
    def team_id(self) -> str | None:
        """The agent's team, when the ``org_team`` enricher is on."""
        return optional_text(self.claims, "team_id")

    def has_scopes(self, *scopes: str) -> bool:
        """Whether the token grants every one of ``scopes``."""
        return set(scopes) <= set(self.scopes)

    @classmethod
    def from_claims(cls, claims: JSONObject) -> VerifiedToken:
        return cls(
            subject=text(claims, "sub"), client_id=text(claims, "client_id"), agent_id=text(claims, "agent_id"),
            issuer=text(claims, "iss"), audience=strings(claims, "aud"), scopes=tuple(text(claims, "scope").split()),
            expires_at=epoch_time(claims, "exp"), issued_at=epoch_time(claims, "iat"), jti=optional_text(claims, "jti"),
            claims=dict(claims),
        )
