"""The cached JSON Web Key Set of a verifier and when it may be fetched again."""
from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

import httpx
import jwt

from ..errors import MachineAuthError

ALGORITHMS = ("RS256", "ES256", "EdDSA")
"""The signing algorithms MachineAuth uses; a token or key with any other is refused."""


def parse_jwks(data: Any) -> dict[str, jwt.PyJWK]:
    """The usable signing keys of a JWKS document by ``kid`` (keys of other algorithms or uses,
    or that do not parse, are skipped).
    """
    keys: dict[str, jwt.PyJWK] = {}
    entries = data.get("keys") if isinstance(data, dict) else None
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict) or not isinstance(entry.get("kid"), str):
            continue
        if entry.get("alg") not in ALGORITHMS or entry.get("use", "sig") != "sig":
            continue
        try:
            keys[entry["kid"]] = jwt.PyJWK(entry)
        except jwt.PyJWTError:
            continue
    return keys


def max_age(response: httpx.Response) -> float | None:
    """The ``max-age`` of the answer's ``Cache-Control``."""
    match = re.search(r"max-age=(\d+)", response.headers.get("Cache-Control", ""))
    return float(match.group(1)) if match else None


class JWKSCache:
    """The keys last fetched and the fetching rules:

    - the set is fetched again when it is older than the server's ``max-age`` (at most ``ttl``);
    - a token with an unknown ``kid`` (a new signing key) triggers a fetch at once — but no
      fetch, of either kind, happens within ``min_interval`` of the previous one, so tokens with
      made-up key ids cannot make the verifier hammer the server;
    - when a fetch fails the keys already known stay in use.
    """

    def __init__(self, *, ttl: float = 300.0, min_interval: float = 10.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self.min_interval = min_interval
        self.clock = clock
        self.keys: dict[str, jwt.PyJWK] | None = None
        self.fetches = 0
        self._expires_at = 0.0
        self._last_attempt: float | None = None
        self._etag: str | None = None

    def due(self) -> bool:
        """Whether the set is missing or stale and a fetch is allowed now."""
        return (self.keys is None or self.clock() >= self._expires_at) and self.may_fetch()

    def may_fetch(self) -> bool:
        """Whether ``min_interval`` has passed since the previous fetch."""
        return self._last_attempt is None or self.clock() - self._last_attempt >= self.min_interval

    def lookup(self, kid: str) -> jwt.PyJWK | None:
        return (self.keys or {}).get(kid)

    def request_headers(self) -> dict[str, str]:
        """Headers of the next fetch: a conditional one when the server gave an ``ETag``."""
        self._last_attempt = self.clock()
        self.fetches += 1
        headers = {"Accept": "application/jwk-set+json, application/json"}
        if self._etag and self.keys is not None:
            headers["If-None-Match"] = self._etag
        return headers

    def store(self, response: httpx.Response) -> None:
        """Takes the answer of a fetch (200 with a set, or 304 for the same set)."""
        if response.status_code == 200:
            try:
                self.keys = parse_jwks(response.json())
            except ValueError as error:
                self.failed(f"the JWKS is not JSON: {error}")
                return
            self._etag = response.headers.get("ETag")
        elif response.status_code != 304 or self.keys is None:
            self.failed(f"the JWKS answered {response.status_code}")
            return
        age = max_age(response)
        self._expires_at = self.clock() + (min(age, self.ttl) if age is not None else self.ttl)

    def require_keys(self) -> None:
        """``jwks_unavailable`` when no set was ever fetched (a server fault, not the token's)."""
        if self.keys is None:
            raise MachineAuthError("jwks_unavailable", "cannot verify tokens: no signing keys could be fetched yet")

    def failed(self, reason: str) -> None:
        """A fetch failed: keep the known keys, or raise when there are none."""
        if self.keys is None:
            raise MachineAuthError("jwks_unavailable", f"cannot verify tokens: {reason}")
