"""Client credentials (client id and secret) and how they go on the wire."""
from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote_plus

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
