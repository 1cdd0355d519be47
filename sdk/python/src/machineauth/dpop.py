"""DPoP (RFC 9449): a key pair whose proofs bind access tokens to the client that holds it.

A proof is a short JWT signed with the private key, naming one request's method and URL, with
the public key (``jwk``) in its header. The token endpoint binds a token to the key
(``token_type: DPoP``, the key's RFC 7638 thumbprint in ``cnf.jkt``); wherever the token is
presented it must come as ``Authorization: DPoP <token>`` with a fresh proof carrying ``ath``,
the SHA-256 of the token.

>>> key = DPoPKey.generate()                          # or DPoPKey(open("dpop-key.pem").read())
>>> key.proof("GET", "https://api.example.com/v1/orders", access_token=token)
"""
from __future__ import annotations

import base64
import hashlib
import json
import threading
import time
import uuid
from typing import Any, Union
from urllib.parse import urlsplit, urlunsplit

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from .errors import ConfigurationError
from .models.tokens import Token

DPoPPrivateKey = Union[ec.EllipticCurvePrivateKey, ed25519.Ed25519PrivateKey, rsa.RSAPrivateKey]
"""The private keys a proof can be signed with: EC P-256, Ed25519 or RSA."""

DPoPKeySource = Union[str, bytes, ec.EllipticCurvePrivateKey, ed25519.Ed25519PrivateKey, rsa.RSAPrivateKey, "DPoPKey"]
"""A ``DPoPKey``, a private key in PEM (unencrypted), or a ``cryptography`` private key."""

PROOF_TYPE = "dpop+jwt"
_ALGORITHMS = {"EC": ("ES256",), "OKP": ("EdDSA",), "RSA": ("RS256", "PS256")}


def b64url(data: bytes) -> str:
    """Base64url without padding (RFC 7515 §2)."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def access_token_hash(access_token: str) -> str:
    """The ``ath`` claim of a proof that presents ``access_token``: base64url(SHA-256(token))."""
    return b64url(hashlib.sha256(access_token.encode("ascii")).digest())


def htu(url: str) -> str:
    """The ``htu`` of a request to ``url``: the URL without its query and fragment (RFC 9449 §4.2)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", "", ""))


def public_jwk(key: DPoPPrivateKey) -> dict[str, str]:
    """The public JWK of ``key`` with its required members only (what RFC 7638 hashes)."""
    if isinstance(key, ec.EllipticCurvePrivateKey):
        if not isinstance(key.curve, ec.SECP256R1):
            raise ValueError(f"DPoP keys on the EC curve {key.curve.name} are not supported; use P-256")
        jwk = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(key.public_key()))
        return {"kty": "EC", "crv": jwk["crv"], "x": jwk["x"], "y": jwk["y"]}
    if isinstance(key, ed25519.Ed25519PrivateKey):
        jwk = json.loads(jwt.algorithms.OKPAlgorithm.to_jwk(key.public_key()))
        return {"kty": "OKP", "crv": jwk["crv"], "x": jwk["x"]}
    if isinstance(key, rsa.RSAPrivateKey):
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
        return {"kty": "RSA", "n": jwk["n"], "e": jwk["e"]}
    raise TypeError(f"unsupported DPoP key type {type(key).__name__}: use EC P-256, Ed25519 or RSA")


def thumbprint(jwk: dict[str, str]) -> str:
    """The RFC 7638 SHA-256 thumbprint of a public JWK (what a bound token's ``cnf.jkt`` holds)."""
    members = {"EC": ("crv", "kty", "x", "y"), "OKP": ("crv", "kty", "x"), "RSA": ("e", "kty", "n")}[jwk["kty"]]
    canonical = json.dumps({name: jwk[name] for name in members}, separators=(",", ":"), sort_keys=True)
    return b64url(hashlib.sha256(canonical.encode()).digest())


class DPoPKey:
    """A DPoP key pair: signs proofs and remembers the authorization server's latest nonce.

    Args:
        key: a private key in PEM (unencrypted PKCS#8 or traditional) or a ``cryptography``
            private key: EC P-256, Ed25519 or RSA (2048 bits or more).
        algorithm: the proofs' ``alg``; default from the key (``ES256``, ``EdDSA``, ``RS256``;
            ``PS256`` is the other choice for RSA).

    Thread-safe: proofs are independent, and the nonce is one value replaced as a whole.
    """

    def __init__(self, key: str | bytes | DPoPPrivateKey, algorithm: str | None = None) -> None:
        if isinstance(key, (str, bytes)):
            loaded = serialization.load_pem_private_key(key.encode() if isinstance(key, str) else key, password=None)
            if not isinstance(loaded, (ec.EllipticCurvePrivateKey, ed25519.Ed25519PrivateKey, rsa.RSAPrivateKey)):
                raise TypeError(f"unsupported DPoP key type {type(loaded).__name__}: use EC P-256, Ed25519 or RSA")
            key = loaded
        self._key: DPoPPrivateKey = key
        self.public_jwk: dict[str, str] = public_jwk(key)
        """The public key as a JWK (``kty`` and its required members)."""
        allowed = _ALGORITHMS[self.public_jwk["kty"]]
        self.algorithm: str = algorithm or allowed[0]
        if self.algorithm not in allowed:
            raise ValueError(f"a {self.public_jwk['kty']} key signs DPoP proofs with {' or '.join(allowed)}, "
                             f"not {self.algorithm}")
        self.thumbprint: str = thumbprint(self.public_jwk)
        """The key's RFC 7638 thumbprint: the ``cnf.jkt`` of the tokens bound to it."""
        self._nonce: str | None = None
        self._lock = threading.Lock()

    @classmethod
    def generate(cls, algorithm: str = "ES256") -> DPoPKey:
        """A new key pair for ``algorithm`` (``ES256``: P-256, ``EdDSA``: Ed25519, ``RS256``/``PS256``: RSA 2048)."""
        if algorithm == "ES256":
            return cls(ec.generate_private_key(ec.SECP256R1()), algorithm)
        if algorithm == "EdDSA":
            return cls(ed25519.Ed25519PrivateKey.generate(), algorithm)
        if algorithm in ("RS256", "PS256"):
            return cls(rsa.generate_private_key(public_exponent=65537, key_size=2048), algorithm)
        raise ValueError(f"unsupported DPoP algorithm {algorithm}")

    @classmethod
    def of(cls, source: DPoPKeySource, algorithm: str | None = None) -> DPoPKey:
        """``source`` itself if it is a ``DPoPKey``, else a ``DPoPKey`` of it."""
        if isinstance(source, DPoPKey):
            if algorithm is not None and algorithm != source.algorithm:
                raise ValueError(f"the DPoPKey signs with {source.algorithm}, not {algorithm}")
            return source
        return cls(source, algorithm)

    @property
    def nonce(self) -> str | None:
        """The latest ``DPoP-Nonce`` the authorization server sent (put in token-request proofs)."""
        with self._lock:
            return self._nonce

    @nonce.setter
    def nonce(self, value: str | None) -> None:
        with self._lock:
            self._nonce = value

    def proof(self, method: str, url: str, *, access_token: str | None = None, nonce: str | None = None) -> str:
        """A new proof (fresh ``jti``, current ``iat``) for one ``method`` request to ``url``.

        Args:
            url: the request's URL; its query and fragment are left out of ``htu``.
            access_token: the token the request presents; adds its hash as ``ath`` (resources need it).
            nonce: a server-provided nonce to include.
        """
        claims: dict[str, Any] = {"jti": str(uuid.uuid4()), "htm": method.upper(), "htu": htu(url),
                                  "iat": int(time.time())}
        if access_token is not None:
            claims["ath"] = access_token_hash(access_token)
        if nonce is not None:
            claims["nonce"] = nonce
        return jwt.encode(claims, self._key, algorithm=self.algorithm,
                          headers={"typ": PROOF_TYPE, "jwk": self.public_jwk})

    def headers(self, method: str, url: str, access_token: str, *, nonce: str | None = None) -> dict[str, str]:
        """``Authorization: DPoP <token>`` and a ``DPoP`` proof for one request presenting ``access_token``."""
        return {"Authorization": "DPoP " + access_token,
                "DPoP": self.proof(method, url, access_token=access_token, nonce=nonce)}

    def binds(self, access_token: str) -> bool:
        """Whether the JWT ``access_token`` says (unverified) it is bound to this key (``cnf.jkt``)."""
        try:
            claims = jwt.decode(access_token, options={"verify_signature": False})
        except jwt.InvalidTokenError:
            return False
        cnf = claims.get("cnf")
        return isinstance(cnf, dict) and cnf.get("jkt") == self.thumbprint

    def __repr__(self) -> str:
        return f"DPoPKey(algorithm={self.algorithm!r}, thumbprint={self.thumbprint!r})"


def is_bound(token: Token) -> bool:
    """Whether the server bound ``token`` to a DPoP key (``token_type: DPoP``)."""
    return token.token_type.lower() == "dpop"


def require_key(key: DPoPKey | None) -> DPoPKey:
    """``key``, or the ``ConfigurationError`` of a client made without one."""
    if key is None:
        raise ConfigurationError("this client has no DPoP key: pass dpop_key= to the client")
    return key


def presentation_headers(key: DPoPKey | None, method: str, url: str, token: Token | str, *,
                         nonce: str | None = None) -> dict[str, str]:
    """The headers that present ``token`` in a ``method`` request to ``url``: ``Authorization: DPoP``
    and a fresh proof with ``ath``; a ``Token`` the server did not bind (``token_type: Bearer``,
    say DPoP is off) goes as ``Authorization: Bearer`` alone. A string is taken as bound.
    """
    if isinstance(token, Token) and not is_bound(token):
        return {"Authorization": "Bearer " + token.access_token}
    access_token = token.access_token if isinstance(token, Token) else token
    return require_key(key).headers(method, url, access_token, nonce=nonce)
