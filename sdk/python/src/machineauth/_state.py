"""What a client knows about its caller: the agent's credentials and the admin credentials."""
from __future__ import annotations

from collections.abc import Callable

from .credentials import AgentCredentials, ClientCredentials
from .dpop import DPoPKey
from .federation import WorkloadIdentity
from .errors import ConfigurationError


class ClientState:
    """The credentials a client sends, shared by its API namespaces and its transport.

    Changing the agent's credentials (``replace_secret``) tells the listeners, which drop the
    tokens cached under the old secret.
    """

    def __init__(self, credentials: AgentCredentials | WorkloadIdentity | None, admin_token: str | None,
                 dpop: DPoPKey | None = None, issuer: str | None = None) -> None:
        self.workload = credentials if isinstance(credentials, WorkloadIdentity) else None
        """The platform token the agent's tokens are exchanged for (workload identity federation)."""
        self.credentials: AgentCredentials | None = None if isinstance(credentials, WorkloadIdentity) else credentials
        self.admin_token = admin_token
        self.dpop = dpop
        """The DPoP key token requests prove possession of (``None``: bearer tokens only)."""
        self.issuer = issuer
        """The server's issuer URL when given: the base of proof ``htu``s (else the client's ``base_url``)."""
        self._listeners: list[Callable[[], None]] = []

    def on_credentials_change(self, listener: Callable[[], None]) -> None:
        """Call ``listener`` whenever the agent's credentials change."""
        self._listeners.append(listener)

    def replace_secret(self, secret: str) -> None:
        """Use ``secret`` from now on (after the agent rotated its own secret)."""
        current = self.require_credentials()
        if not isinstance(current, ClientCredentials):
            raise ConfigurationError("this agent has no secret to replace: it signs client assertions (private_key_jwt) "
                                     "or exchanges a platform token (workload identity)")
        self.credentials = current.with_secret(secret)
        for listener in self._listeners:
            listener()

    def require_credentials(self) -> AgentCredentials:
        """The agent's credentials, or a ``ConfigurationError`` naming what is missing."""
        if self.credentials is None:
            if self.workload is not None:
                raise ConfigurationError("this call needs client credentials; a workload exchanging a platform "
                                         "token has none (use an admin session or an API key)")
            raise ConfigurationError("this call needs the agent's client_id with its client_secret or private_key, "
                                     "or a platform token (assertion_file, assertion_provider)")
        return self.credentials

    def require_admin_token(self) -> str:
        """The admin bearer (a session token or an sk_ API key), or a ``ConfigurationError``."""
        if self.admin_token is None:
            raise ConfigurationError(
                "this call needs administrator credentials: call admin.login(), or pass admin_token= or api_key=")
        return self.admin_token
