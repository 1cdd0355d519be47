"""Local verification of access tokens for resource servers.

>>> from machineauth import verify_token
>>> claims = verify_token(bearer, issuer="https://auth.example.com", audience="https://api.example.com",
...                       scopes=["orders:read"])
"""
from __future__ import annotations

import threading
from collections.abc import Sequence

from .async_verifier import AsyncTokenVerifier
from .jwks import ALGORITHMS, JWKSCache
from .result import VerifiedToken
from .verifier import TokenVerifier

_verifiers: dict[tuple[str, str | None], TokenVerifier] = {}
_guard = threading.Lock()


def verify_token(token: str, *, issuer: str, audience: str | Sequence[str] | None = None,
                 scopes: Sequence[str] = (), jwks_uri: str | None = None) -> VerifiedToken:
    """Verifies ``token`` with a process-wide ``TokenVerifier`` per issuer (so its JWKS is fetched
    once and cached). For leeway, introspection or a custom HTTP client, make a ``TokenVerifier``.

    Raises:
        TokenVerificationError: ``invalid_token`` (401) or ``insufficient_scope`` (403).
    """
    with _guard:
        verifier = _verifiers.get((issuer, jwks_uri))
        if verifier is None:
            verifier = _verifiers[(issuer, jwks_uri)] = TokenVerifier(issuer, jwks_uri=jwks_uri)
    return verifier.verify(token, audience=audience, scopes=scopes)


__all__ = ["ALGORITHMS", "AsyncTokenVerifier", "JWKSCache", "TokenVerifier", "VerifiedToken", "verify_token"]
