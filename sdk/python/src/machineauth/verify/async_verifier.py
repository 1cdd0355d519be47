"""``AsyncTokenVerifier``: the asyncio twin of ``TokenVerifier``."""
from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence

import httpx
import jwt

from .._call import string_list
from .._http import DEFAULT_TIMEOUT
from ..models.tokens import Introspection
from .checks import check_active, check_token, invalid, read_header
from .jwks import JWKSCache
from .result import VerifiedToken

AsyncIntrospector = Callable[[str], Awaitable[Introspection]]


class AsyncTokenVerifier:
    """Verifies access tokens like ``TokenVerifier`` (same arguments), fetching keys with an
    ``httpx.AsyncClient``; one JWKS fetch at a time however many requests verify at once.

    >>> claims = await AsyncTokenVerifier(issuer, audience="https://api.example.com").verify(bearer)
    """

    def __init__(self, issuer: str, *, jwks_uri: str | None = None, audience: str | Sequence[str] | None = None,
                 leeway: float = 0.0, require_typ: bool = True, cache_ttl: float = 300.0,
                 min_refetch_interval: float = 10.0, http: httpx.AsyncClient | None = None,
                 introspect: AsyncIntrospector | None = None) -> None:
        self.issuer = issuer
        self.jwks_uri = jwks_uri or issuer.rstrip("/") + "/.well-known/jwks.json"
        self.audiences = string_list(audience) or (issuer,)
        self.leeway = leeway
        self.require_typ = require_typ
        self.keys = JWKSCache(ttl=cache_ttl, min_interval=min_refetch_interval)
        self._introspect = introspect
        self._owns_http = http is None
        self._http = http or httpx.AsyncClient(timeout=DEFAULT_TIMEOUT)
        self._lock = asyncio.Lock()

    async def verify(self, token: str, *, audience: str | Sequence[str] | None = None, scopes: Sequence[str] = (),
                     introspect: bool = False) -> VerifiedToken:
        """See ``TokenVerifier.verify``."""
        header = read_header(token, require_typ=self.require_typ)
        key = await self._key(header.kid)
        verified = check_token(token, header, key, issuer=self.issuer, leeway=self.leeway, scopes=scopes,
                               audiences=string_list(audience) or self.audiences)
        if introspect:
            if self._introspect is None:
                raise ValueError("introspect=True needs a verifier made with introspect= (client.verifier())")
            check_active(await self._introspect(token))
        return verified

    async def _key(self, kid: str) -> jwt.PyJWK:
        async with self._lock:
            if self.keys.due():
                await self._fetch()
            key = self.keys.lookup(kid)
            if key is None and self.keys.may_fetch():
                await self._fetch()
                key = self.keys.lookup(kid)
            self.keys.require_keys()
        if key is None:
            raise invalid(f"the token is signed with an unknown key ({kid})")
        return key

    async def _fetch(self) -> None:
        try:
            response = await self._http.get(self.jwks_uri, headers=self.keys.request_headers())
        except httpx.HTTPError as error:
            self.keys.failed(f"{type(error).__name__}: {error}")
            return
        self.keys.store(response)

    async def aclose(self) -> None:
        """Closes the HTTP client if the verifier made it."""
        if self._owns_http:
            await self._http.aclose()
