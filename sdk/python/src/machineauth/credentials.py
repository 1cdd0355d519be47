"""Client credentials (a client id with a secret, or with a signing key) and how they go on the wire."""
from __future__ import annotations

import base64
import os
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Union
from urllib.parse import quote_plus

import jwt

from .federation import AssertionProvider, WorkloadIdentity

SecretSource = str | Callable[[], str]
"""A secret, or a function returning the current one (read from a file, a vault, the environment)."""


@dataclass(frozen=True)
class ClientCredentials:
    """An agent's OAuth client id and secret.

    The secret may be a callable: it is called for every token request, so a secret rotated
    elsewhere (a file a deployment rewrites, a secrets manager) is picked up on the next
    re-authentication without rebuilding the client.

    >>> ClientCredentials("cid_…", lambda: open("/run/secrets/agent").read().strip())
    """

    client_id: str
    secret: SecretSource = field(repr=False)

    def current_secret(self) -> str:
        """The secret to authenticate with now."""
        return self.secret() if callable(self.secret) else self.secret

    def with_secret(self, secret: str) -> ClientCredentials:
        """The same client with another secret (after a rotation)."""
        return ClientCredentials(self.client_id, secret)

    def basic_authorization(self) -> str:
        """The ``Authorization`` header value for ``client_secret_basic``: both parts
        form-urlencoded before base64, as RFC 6749 §2.3.1 requires.
        """
        pair = f"{quote_plus(self.client_id, safe='')}:{quote_plus(self.current_secret(), safe='')}"
        return "Basic " + base64.b64encode(pair.encode()).decode()


KeySource = Union[str, bytes, Callable[[], Union[str, bytes]]]
"""A private key in PEM, or a function returning the current one."""

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


@dataclass(frozen=True)
class PrivateKeyCredentials:
    """An agent registered with ``token_endpoint_auth_method: private_key_jwt``: it proves who it
    is with a short-lived assertion (RFC 7523) signed with its private key, so no secret exists.
    A fresh assertion (new ``jti``) is signed for every request, retries included.

    >>> PrivateKeyCredentials("cid_…", open("agent-key.pem").read(), key_id="agent-key-1", algorithm="ES256")

    Args:
        audience: the server's issuer identifier (or token endpoint URL); default the client's
            ``base_url + "/oauth/token"``, right whenever the client talks to the issuer's address.
        lifetime: seconds each assertion is valid (the server accepts at most its ``max_lifetime``, 5 minutes by default).
    """

    client_id: str
    private_key: KeySource = field(repr=False)
    key_id: str
    algorithm: str = "ES256"
    audience: str | None = None
    lifetime: int = 60

    def assertion(self, token_endpoint: str) -> str:
        """A new signed client assertion for ``token_endpoint`` (unless ``audience`` says otherwise)."""
        key = self.private_key() if callable(self.private_key) else self.private_key
        now = int(time.time())
        claims = {"iss": self.client_id, "sub": self.client_id, "aud": self.audience or token_endpoint,
                  "iat": now, "exp": now + self.lifetime, "jti": str(uuid.uuid4())}
        return jwt.encode(claims, key, algorithm=self.algorithm, headers={"kid": self.key_id})

    def form_parameters(self, token_endpoint: str) -> dict[str, str]:
        """The form parameters that authenticate the client (``client_assertion`` and its type)."""
        return {"client_assertion_type": ASSERTION_TYPE, "client_assertion": self.assertion(token_endpoint)}


AgentCredentials = Union[ClientCredentials, PrivateKeyCredentials]
"""What an agent authenticates with (a workload without credentials has a ``WorkloadIdentity`` instead)."""


def agent_credentials(client_id: str | None, client_secret: SecretSource | None, private_key: KeySource | None,
                      key_id: str | None, key_algorithm: str, assertion_file: str | os.PathLike[str] | None = None,
                      assertion_provider: AssertionProvider | None = None) -> AgentCredentials | WorkloadIdentity | None:
    """The credentials a client's constructor arguments name: ``client_id`` with either
    ``client_secret`` or ``private_key`` and ``key_id``; or alone ``assertion_file`` or
    ``assertion_provider`` (workload identity federation); or nothing, for an admin-only client.
    """
    if assertion_file is not None or assertion_provider is not None:
        if assertion_file is not None and assertion_provider is not None:
            raise ValueError("give assertion_file or assertion_provider, not both")
        if client_id is not None or client_secret is not None or private_key is not None:
            raise ValueError("a workload exchanging a platform token (assertion_file, assertion_provider) "
                             "has no client_id, client_secret or private_key: the server's rules name its agent")
        if assertion_file is not None:
            return WorkloadIdentity.from_file(assertion_file)
        assert assertion_provider is not None
        return WorkloadIdentity(assertion_provider)
    if client_secret is not None and private_key is not None:
        raise ValueError("give client_secret or private_key, not both")
    if private_key is not None:
        if not client_id or not key_id:
            raise ValueError("private_key goes with client_id and key_id")
        return PrivateKeyCredentials(client_id, private_key, key_id=key_id, algorithm=key_algorithm)
    if (client_id is None) != (client_secret is None):
        raise ValueError("client_id and client_secret go together")
    return ClientCredentials(client_id, client_secret) if client_id and client_secret else None
