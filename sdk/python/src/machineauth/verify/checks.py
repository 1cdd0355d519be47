"""The checks of a token, apart from fetching keys: header, signature, issuer, audience,
lifetime and scopes. Every failure is a ``TokenVerificationError``.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import jwt

from ..errors import TokenVerificationError
from ..models.tokens import Introspection
from .jwks import ALGORITHMS
from .result import VerifiedToken

ACCESS_TOKEN_TYPES = ("at+jwt", "application/at+jwt")
"""RFC 9068 ``typ`` of access tokens; MachineAuth's admin sessions (``admin+jwt``) are refused."""

REQUIRED_CLAIMS = ["exp", "iat", "iss", "sub", "aud"]


def invalid(description: str) -> TokenVerificationError:
    return TokenVerificationError("invalid_token", description)


@dataclass(frozen=True)
class Header:
    """The parts of a JWT header that pick the key."""

    algorithm: str
    kid: str


def read_header(token: str, *, require_typ: bool = True) -> Header:
    """The token's algorithm and key id, refusing algorithms other than ``ALGORITHMS`` (no
    ``none``, no HMAC) and, with ``require_typ``, tokens that are not RFC 9068 access tokens.
    """
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError:
        raise invalid("the token is not a JWT") from None
    algorithm, kid, typ = header.get("alg"), header.get("kid"), header.get("typ")
    if algorithm not in ALGORITHMS:
        raise invalid(f"the token's algorithm {algorithm!r} is not accepted")
    if not isinstance(kid, str) or not kid:
        raise invalid("the token names no signing key (kid)")
    if require_typ and (not isinstance(typ, str) or typ.lower() not in ACCESS_TOKEN_TYPES):
        raise invalid(f"the token is not an access token (typ {typ!r})")
    return Header(str(algorithm), kid)


def check_token(token: str, header: Header, key: jwt.PyJWK, *, issuer: str, audiences: Sequence[str],
                scopes: Sequence[str], leeway: float) -> VerifiedToken:
    """The verified claims: the signature by ``key`` (whose own algorithm must be the header's),
    ``iss`` equal to ``issuer``, an ``aud`` among ``audiences``, ``exp``/``nbf``/``iat`` within
    ``leeway`` seconds, then every one of ``scopes`` granted (else ``insufficient_scope``).
    """
    if key.algorithm_name != header.algorithm:
        raise invalid(f"key {header.kid} is for {key.algorithm_name}, the token says {header.algorithm}")
    try:
        claims = jwt.decode(token, key.key, algorithms=[header.algorithm], audience=list(audiences), issuer=issuer,
                            leeway=leeway, options={"require": REQUIRED_CLAIMS})
    except jwt.ExpiredSignatureError:
        raise invalid("the token has expired") from None
    except jwt.ImmatureSignatureError:
        raise invalid("the token is not valid yet") from None
    except jwt.InvalidAudienceError:
        raise invalid("the token is not meant for this audience") from None
    except jwt.InvalidIssuerError:
        raise invalid("the token is from another issuer") from None
    except jwt.MissingRequiredClaimError as error:
        raise invalid(f"the token lacks the {error.claim} claim") from None
    except jwt.InvalidSignatureError:
        raise invalid("the token's signature is invalid") from None
    except jwt.PyJWTError as error:
        raise invalid(f"the token is invalid: {error}") from None
    verified = VerifiedToken.from_claims(claims)
    check_scopes(verified, scopes)
    return verified


def check_scopes(token: VerifiedToken, scopes: Sequence[str]) -> None:
    """``insufficient_scope`` (403) naming the scopes when the token lacks one of them."""
    if scopes and not token.has_scopes(*scopes):
        missing = " ".join(scope for scope in scopes if scope not in token.scopes)
        raise TokenVerificationError("insufficient_scope", f"the token lacks the scope {missing}",
                                     required_scopes=tuple(scopes))


def check_active(introspection: Introspection) -> None:
    """``invalid_token`` when introspection says the token is no longer active (revoked, or its
    agent deactivated, rotated or deleted).
    """
    if not introspection.active:
        raise invalid("the token is not active (revoked, or its agent is no longer active)")
