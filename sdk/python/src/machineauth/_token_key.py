"""What a cached token is for, and when it is due for renewal."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ._call import Auth, Call, scope_text, string_list
from .models.tokens import Token


@dataclass(frozen=True)
class TokenKey:
    """The parameters a token was asked with; tokens are cached per key. Scopes and resources
    are normalized (sorted, deduplicated) so ``"read write"`` and ``["write", "read"]`` share a token.
    """

    scope: str | None = None
    resources: tuple[str, ...] = ()
    audience: str | None = None

    @classmethod
    def of(cls, scope: str | Sequence[str] | None = None, resource: str | Sequence[str] | None = None,
           audience: str | None = None) -> TokenKey:
        words = scope_text(scope)
        return cls(" ".join(sorted(set(words.split()))) if words else None,
                   tuple(sorted(set(string_list(resource)))), audience)

    def grant(self) -> Call[Token]:
        """The ``client_credentials`` request for a token of this key."""
        form: dict[str, str | list[str]] = {"grant_type": "client_credentials"}
        if self.scope:
            form["scope"] = self.scope
        if self.resources:
            form["resource"] = list(self.resources)
        if self.audience:
            form["audience"] = self.audience
        return Call("POST", "/oauth/token", Token.from_json, Auth.CLIENT, form=form)


DEFAULT_KEY = TokenKey()
"""The key of the token for MachineAuth's own API: no scope asked (all the agent's), default audience."""


@dataclass(frozen=True)
class CachedToken:
    """A token and when it stops being served: ``renew_before`` seconds before it expires, but
    never later than four fifths into its life (so a 10 s token is renewed after 8 s).
    Times are ``time.monotonic()`` seconds, taken before the token was requested.
    """

    token: Token
    renew_at: float

    @classmethod
    def obtained(cls, token: Token, requested_at: float, renew_before: float) -> CachedToken:
        lifetime = max(0, token.expires_in)
        return cls(token, requested_at + lifetime - min(renew_before, lifetime / 5))

    def is_fresh(self, now: float) -> bool:
        return now < self.renew_at
