"""``TokenVerifier``: local verification of MachineAuth access tokens for resource servers."""
from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

import httpx
import jwt

from .._call import string_list
from .._http import DEFAULT_TIMEOUT
from ..models.tokens import Introspection
from .checks import check_active, check_token, invalid, read_header
from .jwks import JWKSCache
from .result import VerifiedToken

Introspector = Callable[[str], Introspection]


class TokenVerifier:
    """Verifies access tokens against the issuer's JWKS, fetched and cached as ``JWKSCache`` says.

    >>> verifier = TokenVerifier("https://auth.example.com", audience="https://api.example.com")
    >>> claims = verifier.verify(bearer, scopes=["orders:read"])
    >>> claims.agent_id, claims.scopes

    Args:
        issuer: the ``iss`` tokens must carry (MachineAuth's ``ISSUER``).
        jwks_uri: where the keys are; default ``{issuer}/.well-known/jwks.json``.
        audience: the audience(s) accepted when ``verify`` is not given one; default the issuer.
        leeway: seconds of clock skew tolerated on ``exp``, ``nbf`` and ``iat``.
        require_typ: refuse tokens whose ``typ`` is not ``at+jwt`` (admin sessions, ID tokens).
        cache_ttl / min_refetch_interval: see ``JWKSCache``.
        introspect: a function asking the server whether a token is still active
            (``client.introspect``), used by ``verify(…, introspect=True)``.
    """

    def __init__(self, issuer: str, *, jwks_uri: str | None = None, audience: str | Sequence[str] | None = None,
                 leeway: float = 0.0, require_typ: bool = True, cache_ttl: float = 300.0,
                 min_refetch_interval: float = 10.0, http: httpx.Client | None = None,
                 introspect: Introspector | None = None) -> None:
        self.issuer = issuer
        self.jwks_uri = jwks_uri or issuer.rstrip("/") + "/.well-known/jwks.json"
        self.audiences = string_list(audience) or (issuer,)
        self.leeway = leeway
        self.require_typ = require_typ
        self.keys = JWKSCache(ttl=cache_ttl, min_interval=min_refetch_interval)
        self._introspect = introspect
        self._owns_http = http is None
        self._http = http or httpx.Client(timeout=DEFAULT_TIMEOUT)
        self._lock = threading.Lock()

    def verify(self, token: str, *, audience: str | Sequence[str] | None = None, scopes: Sequence[str] = (),
               introspect: bool = False) -> VerifiedToken:
        """The token's claims once signature, issuer, audience, lifetime and ``scopes`` check out;
        with ``introspect`` also asks the server that the token was not revoked since.

        Raises:
            TokenVerificationError: ``invalid_token`` (401) or ``insufficient_scope`` (403).
            MachineAuthError: ``jwks_unavailable`` when no keys could ever be fetched.
        """
        header = read_header(token, require_typ=self.require_typ)
        key = self._key(header.kid)
        verified = check_token(token, header, key, issuer=self.issuer, leeway=self.leeway, scopes=scopes,
                               audiences=string_list(audience) or self.audiences)
        if introspect:
            if self._introspect is None:
                raise ValueError("introspect=True needs a verifier made with introspect= (client.verifier())")
            check_active(self._introspect(token))
        return verified

    def _key(self, kid: str) -> jwt.PyJWK:
        with self._lock:
            if self.keys.due():
                self._fetch()
            key = self.keys.lookup(kid)
            if key is None and self.keys.may_fetch():
                self._fetch()
                key = self.keys.lookup(kid)
            self.keys.require_keys()
        if key is None:
            raise invalid(f"the token is signed with an unknown key ({kid})")
        return key

    def _fetch(self) -> None:
        try:
            response = self._http.get(self.jwks_uri, headers=self.keys.request_headers())
        except httpx.HTTPError as error:
            self.keys.failed(f"{type(error).__name__}: {error}")
            return
        self.keys.store(response)

    def close(self) -> None:
        """Closes the HTTP client if the verifier made it."""
        if self._owns_http:
            self._http.close()
