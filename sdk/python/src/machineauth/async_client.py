"""``AsyncMachineAuthClient``: the asyncio client of the whole API."""
from __future__ import annotations

import os

import asyncio
from collections.abc import Mapping, Sequence
from types import TracebackType

import httpx

from ._async_transport import AsyncTransport
from ._retry import RetryPolicy
from ._state import ClientState
from ._token_key import TokenKey
from .api._endpoint import awaitable
from .api.admin import AsyncAdmin
from .api.self_service import AsyncSelfService
from .api.service import ServiceOps
from .api.tokens import TokenOps
from .auth import AsyncAgentTokenAuth, Scope
from .credentials import AgentCredentials, KeySource, SecretSource, agent_credentials
from .federation import AssertionProvider
from .dpop import DPoPKey, DPoPKeySource, presentation_headers, require_key
from .env import settings_from_env
from .models.tokens import Token
from .verify.async_verifier import AsyncTokenVerifier
from .verify.result import VerifiedToken


class AsyncMachineAuthClient(TokenOps, ServiceOps):
    """The asyncio twin of ``MachineAuthClient``: the same calls, awaited. Use one per event loop.

    >>> async with AsyncMachineAuthClient.from_env() as client:
    ...     token = await client.get_token(scope="read")
    ...     me = await client.agent.me()
    """

    def __init__(self, base_url: str, *, client_id: str | None = None, client_secret: SecretSource | None = None,
                 private_key: KeySource | None = None, key_id: str | None = None, key_algorithm: str = "ES256",
                 admin_token: str | None = None, api_key: str | None = None, issuer: str | None = None,
                 http_client: httpx.AsyncClient | None = None, retry: RetryPolicy = RetryPolicy(),
                 renew_before: float = 60.0, dpop_key: DPoPKeySource | None = None,
                 dpop_algorithm: str | None = None, assertion_file: str | os.PathLike[str] | None = None,
                 assertion_provider: AssertionProvider | None = None) -> None:
        credentials = agent_credentials(client_id, client_secret, private_key, key_id, key_algorithm,
                                        assertion_file, assertion_provider)
        dpop = DPoPKey.of(dpop_key, dpop_algorithm) if dpop_key is not None else None
        self._transport: AsyncTransport = AsyncTransport(
            base_url, ClientState(credentials, admin_token or api_key, dpop, issuer), http=http_client, retry=retry,
            renew_before=renew_before)
        super().__init__(self._transport)
        self.agent = AsyncSelfService(self._transport)
        self.admin = AsyncAdmin(self._transport)
        self._issuer = issuer
        self._verifier: AsyncTokenVerifier | None = None
        self._verifier_lock = asyncio.Lock()

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, *, admin_token: str | None = None,
                 api_key: str | None = None, issuer: str | None = None, http_client: httpx.AsyncClient | None = None,
                 retry: RetryPolicy = RetryPolicy(), renew_before: float = 60.0,
                 dpop_key: DPoPKeySource | None = None, dpop_algorithm: str | None = None) -> AsyncMachineAuthClient:
        """See ``MachineAuthClient.from_env``."""
        url, client_id, client_secret = settings_from_env(environ)
        return cls(url, client_id=client_id, client_secret=client_secret, admin_token=admin_token, api_key=api_key,
                   issuer=issuer, http_client=http_client, retry=retry, renew_before=renew_before,
                   dpop_key=dpop_key, dpop_algorithm=dpop_algorithm)

    @property
    def base_url(self) -> str:
        return self._transport.base_url

    @property
    def credentials(self) -> AgentCredentials | None:
        """The agent's credentials (with the new secret after ``agent.rotate_secret()``)."""
        return self._transport.state.credentials

    async def get_token(self, scope: Scope = None, resource: Scope = None, audience: str | None = None) -> Token:
        """See ``MachineAuthClient.get_token``; concurrent tasks share one request."""
        return await self._transport.token(TokenKey.of(scope, resource, audience))

    def invalidate_token(self, token: Token | str | None = None, *, scope: Scope = None, resource: Scope = None,
                         audience: str | None = None) -> None:
        """See ``MachineAuthClient.invalidate_token``."""
        access_token = token.access_token if isinstance(token, Token) else token
        self._transport.tokens.invalidate(TokenKey.of(scope, resource, audience), access_token)

    @property
    def dpop_key(self) -> DPoPKey | None:
        """The DPoP key every token request proves possession of (``None``: bearer tokens)."""
        return self._transport.state.dpop

    def dpop_proof(self, method: str, url: str, *, access_token: str | None = None,
                   nonce: str | None = None) -> str:
        """See ``MachineAuthClient.dpop_proof``."""
        return require_key(self.dpop_key).proof(method, url, access_token=access_token, nonce=nonce)

    async def dpop_headers(self, method: str, url: str, token: Token | str | None = None, *, scope: Scope = None,
                     resource: Scope = None, audience: str | None = None, nonce: str | None = None) -> dict[str, str]:
        """See ``MachineAuthClient.dpop_headers``."""
        key = require_key(self.dpop_key)
        presented = token if token is not None else await self.get_token(scope, resource, audience)
        return presentation_headers(key, method, url, presented, nonce=nonce)

    request_token = awaitable(TokenOps._request_token)
    refresh = awaitable(TokenOps._refresh)
    introspect = awaitable(TokenOps._introspect)
    revoke = awaitable(TokenOps._revoke)

    info = awaitable(ServiceOps._info)
    health = awaitable(ServiceOps._health)
    ready = awaitable(ServiceOps._ready)
    metadata = awaitable(ServiceOps._metadata)
    openid_configuration = awaitable(ServiceOps._openid_configuration)
    protected_resource = awaitable(ServiceOps._protected_resource)
    jwks = awaitable(ServiceOps._jwks)
    openapi = awaitable(ServiceOps._openapi)
    metrics = awaitable(ServiceOps._metrics)
    verify_remote = awaitable(ServiceOps._verify_remote)

    def auth(self, scope: Scope = None, resource: Scope = None, audience: str | None = None) -> AsyncAgentTokenAuth:
        """An ``httpx.Auth`` for ``httpx.AsyncClient`` sending this agent's token with every request."""
        return AsyncAgentTokenAuth(self, scope=scope, resource=resource, audience=audience)

    async def issuer(self) -> str:
        """The ``iss`` of this server's tokens (given, or read once from its metadata)."""
        if self._issuer is None:
            self._issuer = (await self.metadata()).issuer
        return self._issuer

    async def verifier(self, *, audience: Scope = None, leeway: float = 0.0, cache_ttl: float = 300.0,
                       min_refetch_interval: float = 10.0) -> AsyncTokenVerifier:
        """See ``MachineAuthClient.verifier``."""
        return AsyncTokenVerifier(await self.issuer(), jwks_uri=self.base_url + "/.well-known/jwks.json",
                                  audience=audience, leeway=leeway, cache_ttl=cache_ttl,
                                  min_refetch_interval=min_refetch_interval, http=self._transport.http,
                                  introspect=self.introspect)

    async def verify_token(self, token: str, *, audience: Scope = None, scopes: Sequence[str] = (),
                           introspect: bool = False) -> VerifiedToken:
        """See ``MachineAuthClient.verify_token``."""
        async with self._verifier_lock:
            if self._verifier is None:
                self._verifier = await self.verifier()
        return await self._verifier.verify(token, audience=audience, scopes=scopes, introspect=introspect)

    async def aclose(self) -> None:
        """Closes the HTTP client if the client made it."""
        await self._transport.aclose()

    async def __aenter__(self) -> AsyncMachineAuthClient:
        return self

    async def __aexit__(self, kind: type[BaseException] | None, error: BaseException | None,
                        traceback: TracebackType | None) -> None:
        await self.aclose()
