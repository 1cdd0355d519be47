"""``MachineAuthClient``: the blocking client of the whole API."""
from __future__ import annotations

import os
import threading
from collections.abc import Mapping, Sequence
from types import TracebackType

import httpx

from ._retry import RetryPolicy
from ._state import ClientState
from ._token_key import TokenKey
from ._transport import Transport
from .api._endpoint import blocking
from .api.admin import Admin
from .api.self_service import SelfService
from .api.service import ServiceOps
from .api.tokens import TokenOps
from .auth import AgentTokenAuth, Scope
from .credentials import AgentCredentials, KeySource, SecretSource, agent_credentials
from .federation import AssertionProvider
from .dpop import DPoPKey, DPoPKeySource, presentation_headers, require_key
from .env import settings_from_env
from .models.tokens import Token
from .verify.result import VerifiedToken
from .verify.verifier import TokenVerifier


class MachineAuthClient(TokenOps, ServiceOps):
    """A MachineAuth client for an agent, an administrator, or both.

    >>> client = MachineAuthClient("https://auth.example.com", client_id="cid_…", client_secret="cs_…")
    >>> client.get_token(scope="read").access_token       # cached, renewed before it expires
    >>> client.agent.me().name                            # the agent's own API, with its token
    >>> client.admin.login("admin@example.com", "…")      # or admin_token= / api_key=
    >>> client.admin.agents.create("worker", scopes=["read"]).client_secret

    Args:
        base_url: where MachineAuth answers.
        client_id / client_secret: the agent's credentials; the secret may be a callable
            returning the current one (see ``ClientCredentials``).
        private_key / key_id / key_algorithm: instead of a secret, the PEM private key of an agent
            registered with ``private_key_jwt``, the ``kid`` of its public key and the algorithm
            (``ES256``, ``EdDSA``, ``RS256``, ``PS256``); every request signs a fresh assertion
            (see ``PrivateKeyCredentials``).
        admin_token / api_key: an admin session token or an organization ``sk_`` API key for the
            admin API (``admin.login`` sets one too).
        issuer: the ``iss`` of tokens, for ``verify_token``; default from the server's metadata.
        http_client: an ``httpx.Client`` to send with (default: one of the client's own).
        retry: how 429 and 503 answers are retried.
        renew_before: cached tokens are renewed this many seconds before they expire (at most a
            fifth of their lifetime).
        dpop_key / dpop_algorithm: a private key (PEM, a ``cryptography`` key or a ``DPoPKey``; EC
            P-256, Ed25519 or RSA) for DPoP (RFC 9449): every token request carries a fresh proof,
            so the server binds the tokens to the key (``token_type: DPoP``), and the client presents
            them to MachineAuth's API as ``Authorization: DPoP`` with a proof. The algorithm defaults
            to the key's (ES256, EdDSA, RS256). Proof URLs start with ``issuer`` when given, else ``base_url``.
        assertion_file / assertion_provider: instead of client credentials, workload identity
            federation: the path of a platform token file (a Kubernetes projected service-account
            token; read anew for every token request, as the kubelet rotates it) or a function
            returning the current token (``github_actions_token(audience=…)``). Token requests use
            the ``jwt-bearer`` grant; the server's trusted-issuer rules name the agent.
    """

    def __init__(self, base_url: str, *, client_id: str | None = None, client_secret: SecretSource | None = None,
                 private_key: KeySource | None = None, key_id: str | None = None, key_algorithm: str = "ES256",
                 admin_token: str | None = None, api_key: str | None = None, issuer: str | None = None,
                 http_client: httpx.Client | None = None, retry: RetryPolicy = RetryPolicy(),
                 renew_before: float = 60.0, dpop_key: DPoPKeySource | None = None,
                 dpop_algorithm: str | None = None, assertion_file: str | os.PathLike[str] | None = None,
                 assertion_provider: AssertionProvider | None = None) -> None:
        credentials = agent_credentials(client_id, client_secret, private_key, key_id, key_algorithm,
                                        assertion_file, assertion_provider)
        dpop = DPoPKey.of(dpop_key, dpop_algorithm) if dpop_key is not None else None
        self._transport: Transport = Transport(base_url, ClientState(credentials, admin_token or api_key, dpop, issuer),
                                               http=http_client, retry=retry, renew_before=renew_before)
        super().__init__(self._transport)
        self.agent = SelfService(self._transport)
        self.admin = Admin(self._transport)
        self._issuer = issuer
        self._verifier: TokenVerifier | None = None
        self._verifier_lock = threading.Lock()

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, *, admin_token: str | None = None,
                 api_key: str | None = None, issuer: str | None = None, http_client: httpx.Client | None = None,
                 retry: RetryPolicy = RetryPolicy(), renew_before: float = 60.0,
                 dpop_key: DPoPKeySource | None = None, dpop_algorithm: str | None = None) -> MachineAuthClient:
        """A client from ``MACHINEAUTH_URL``, ``MACHINEAUTH_CLIENT_ID`` and ``MACHINEAUTH_CLIENT_SECRET``
        (``os.environ``, or ``environ``); the other arguments are the constructor's.
        """
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

    def get_token(self, scope: Scope = None, resource: Scope = None, audience: str | None = None) -> Token:
        """A valid access token from the cache, asking the server only when there is none or it is
        due for renewal; concurrent callers share one request. See ``request_token`` for an uncached one.

        Args:
            scope: scopes to ask for; none asks for all the agent's.
            resource / audience: whom the token is for (one of the agent's ``allowed_audiences``);
                default MachineAuth itself.
        """
        return self._transport.token(TokenKey.of(scope, resource, audience))

    def invalidate_token(self, token: Token | str | None = None, *, scope: Scope = None, resource: Scope = None,
                         audience: str | None = None) -> None:
        """Drops the cached token of these parameters (only if it is still ``token``, when given),
        say after a resource server refused it; the next ``get_token`` asks for a new one.
        """
        access_token = token.access_token if isinstance(token, Token) else token
        self._transport.tokens.invalidate(TokenKey.of(scope, resource, audience), access_token)

    @property
    def dpop_key(self) -> DPoPKey | None:
        """The DPoP key every token request proves possession of (``None``: bearer tokens)."""
        return self._transport.state.dpop

    def dpop_proof(self, method: str, url: str, *, access_token: str | None = None,
                   nonce: str | None = None) -> str:
        """A fresh DPoP proof for ``method`` ``url`` (with ``ath`` when ``access_token`` is given),
        signed with the client's ``dpop_key``; see ``dpop_headers`` for the whole set of headers.
        """
        return require_key(self.dpop_key).proof(method, url, access_token=access_token, nonce=nonce)

    def dpop_headers(self, method: str, url: str, token: Token | str | None = None, *, scope: Scope = None,
                     resource: Scope = None, audience: str | None = None, nonce: str | None = None) -> dict[str, str]:
        """The headers for one request of yours to a resource server: the agent's token (``token``,
        else ``get_token(scope, resource, audience)``) as ``Authorization: DPoP`` and a fresh ``DPoP``
        proof for ``method`` ``url`` with the token's ``ath``. A ``Token`` the server did not bind
        (``token_type: Bearer``) gets ``Authorization: Bearer`` alone.

        >>> httpx.get(url, headers=client.dpop_headers("GET", url, resource="https://api.example.com"))

        Raises:
            ConfigurationError: the client has no ``dpop_key``.
        """
        key = require_key(self.dpop_key)
        presented = token if token is not None else self.get_token(scope, resource, audience)
        return presentation_headers(key, method, url, presented, nonce=nonce)

    request_token = blocking(TokenOps._request_token)
    refresh = blocking(TokenOps._refresh)
    introspect = blocking(TokenOps._introspect)
    revoke = blocking(TokenOps._revoke)

    info = blocking(ServiceOps._info)
    health = blocking(ServiceOps._health)
    ready = blocking(ServiceOps._ready)
    metadata = blocking(ServiceOps._metadata)
    openid_configuration = blocking(ServiceOps._openid_configuration)
    protected_resource = blocking(ServiceOps._protected_resource)
    jwks = blocking(ServiceOps._jwks)
    openapi = blocking(ServiceOps._openapi)
    metrics = blocking(ServiceOps._metrics)
    verify_remote = blocking(ServiceOps._verify_remote)

    def auth(self, scope: Scope = None, resource: Scope = None, audience: str | None = None) -> AgentTokenAuth:
        """An ``httpx.Auth`` sending this agent's token for these parameters with every request."""
        return AgentTokenAuth(self, scope=scope, resource=resource, audience=audience)

    def issuer(self) -> str:
        """The ``iss`` of this server's tokens (given, or read once from its metadata)."""
        if self._issuer is None:
            self._issuer = self.metadata().issuer
        return self._issuer

    def verifier(self, *, audience: Scope = None, leeway: float = 0.0, cache_ttl: float = 300.0,
                 min_refetch_interval: float = 10.0) -> TokenVerifier:
        """A ``TokenVerifier`` for this server's tokens whose ``introspect=True`` asks this client's
        ``introspect`` (give the client admin credentials or an API key to see other agents' tokens).
        """
        return TokenVerifier(self.issuer(), jwks_uri=self.base_url + "/.well-known/jwks.json", audience=audience,
                             leeway=leeway, cache_ttl=cache_ttl, min_refetch_interval=min_refetch_interval,
                             http=self._transport.http, introspect=self.introspect)

    def verify_token(self, token: str, *, audience: Scope = None, scopes: Sequence[str] = (),
                     introspect: bool = False) -> VerifiedToken:
        """Verifies an access token locally with the client's verifier (see ``TokenVerifier.verify``);
        ``audience`` defaults to the issuer, so pass your resource server's identifier.
        """
        with self._verifier_lock:
            if self._verifier is None:
                self._verifier = self.verifier()
        return self._verifier.verify(token, audience=audience, scopes=scopes, introspect=introspect)

    def close(self) -> None:
        """Closes the HTTP client if the client made it."""
        self._transport.close()

    def __enter__(self) -> MachineAuthClient:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()
