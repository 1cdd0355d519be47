"""The OAuth endpoints: token (uncached), refresh, introspection, revocation."""
from __future__ import annotations

from collections.abc import Sequence

from .._call import Auth, Call, scope_text
from .._token_key import TokenKey
from ..models.tokens import Introspection, Token
from ._endpoint import Resource


class TokenOps(Resource):
    def _request_token(self, scope: str | Sequence[str] | None = None, resource: str | Sequence[str] | None = None,
                       audience: str | None = None) -> Call[Token]:
        """A new token by the ``client_credentials`` grant, bypassing the cache.

        Args:
            scope: scopes to ask for (a space-separated string or a list); none asks for all the agent's.
            resource: RFC 8707 resource indicator(s) the token is for (its ``aud``).
            audience: the audience, for servers that name it so; one of the agent's ``allowed_audiences``.
        """
        return TokenKey.of(scope, resource, audience).grant()

    def _refresh(self, refresh_token: str, *, scope: str | Sequence[str] | None = None) -> Call[Token]:
        """A new token for a refresh token. The refresh token rotates: keep the one returned, the
        old one is spent (presenting it again revokes the whole grant).
        """
        form = {"grant_type": "refresh_token", "refresh_token": refresh_token}
        words = scope_text(scope)
        if words:
            form["scope"] = words
        return Call("POST", "/oauth/token", Token.from_json, Auth.CLIENT, form=form)

    def _introspect(self, token: str, *, token_type_hint: str | None = None) -> Call[Introspection]:
        """RFC 7662 introspection of an access or refresh token. With admin credentials (a session
        or an organization API key) any token the caller may see; with client credentials only the
        agent's own — any other answers ``active=False``.
        """
        form = {"token": token}
        if token_type_hint:
            form["token_type_hint"] = token_type_hint
        return Call("POST", "/oauth/introspect", Introspection.from_json, Auth.ADMIN_OR_CLIENT, form=form)

    def _revoke(self, token: str, *, token_type_hint: str | None = None) -> Call[None]:
        """RFC 7009 revocation: an access token is denylisted until it expires, a refresh token
        revokes its whole grant. The server answers the same whatever the token was.
        """
        form = {"token": token}
        if token_type_hint:
            form["token_type_hint"] = token_type_hint
        return Call("POST", "/oauth/revoke", lambda _: None, Auth.ADMIN_OR_CLIENT, form=form)
