"""Errors raised by the client: every one carries the OAuth ``error`` code, its description and,
for answers of the server, the HTTP status.

>>> try:
...     client.get_token(scope="admin")
... except MachineAuthError as error:
...     print(error.status, error.error, error.description)
400 invalid_scope scope not granted to this client: admin
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class MachineAuthError(Exception):
    """Base of every error of this package.

    Attributes:
        error: the machine-readable code (``invalid_client``, ``invalid_token``, ``not_found`` …).
        description: the human-readable ``error_description``.
        status: the HTTP status of the server's answer, ``None`` when no answer is involved.
    """

    def __init__(self, error: str, description: str = "", status: int | None = None) -> None:
        super().__init__(f"{error}: {description}" if description else error)
        self.error = error
        self.description = description
        self.status = status


class ConfigurationError(MachineAuthError):
    """The client lacks what a call needs (client credentials, an admin session or an API key)."""

    def __init__(self, description: str) -> None:
        super().__init__("configuration_error", description)


class APIError(MachineAuthError):
    """The server answered with an error status.

    Attributes:
        field: the request field at fault (validation errors of the REST API).
        retry_after: seconds the server asked to wait (429/503), when it said.
        request_id: the server's ``X-Request-Id``, for its logs.
        body: the decoded JSON error body.
    """

    def __init__(self, status: int, error: str, description: str = "", *, field: str | None = None,
                 retry_after: float | None = None, request_id: str | None = None,
                 body: Mapping[str, Any] | None = None) -> None:
        super().__init__(error, description, status)
        self.field = field
        self.retry_after = retry_after
        self.request_id = request_id
        self.body: Mapping[str, Any] = body or {}

    def __str__(self) -> str:
        return f"{self.status} {super().__str__()}"


class BadRequestError(APIError):
    """400: an invalid request, scope, grant or target (see ``error``), or a field at fault."""


class AuthenticationError(APIError):
    """401: missing, wrong or expired credentials (``invalid_client``, ``invalid_token`` …)."""


class PermissionDeniedError(APIError):
    """403: the credentials are valid but the route's rule does not admit the caller."""


class NotFoundError(APIError):
    """404: no such object (or not one the caller may see)."""


class ConflictError(APIError):
    """409: the object exists already."""


class RateLimitError(APIError):
    """429: too many attempts; ``retry_after`` says how long to wait."""


class ServerError(APIError):
    """5xx: the server could not answer (503 ``temporarily_unavailable`` when storage is away)."""


_BY_STATUS: dict[int, type[APIError]] = {
    400: BadRequestError, 401: AuthenticationError, 403: PermissionDeniedError,
    404: NotFoundError, 409: ConflictError, 429: RateLimitError,
}


def api_error(status: int, body: Mapping[str, Any], *, retry_after: float | None = None,
              request_id: str | None = None) -> APIError:
    """The error for an answer with ``status`` and the decoded JSON ``body``."""
    kind = _BY_STATUS.get(status, ServerError if status >= 500 else APIError)
    error = body.get("error")
    description = body.get("error_description")
    field = body.get("field")
    return kind(
        status,
        error if isinstance(error, str) else f"http_{status}",
        description if isinstance(description, str) else "",
        field=field if isinstance(field, str) else None,
        retry_after=retry_after, request_id=request_id, body=body,
    )


class TokenVerificationError(MachineAuthError):
    """A token failed local verification (``invalid_token``, 401) or lacks a scope
    (``insufficient_scope``, 403). ``www_authenticate()`` renders the RFC 6750 challenge.

    >>> error.www_authenticate(realm="api")
    'Bearer realm="api", error="insufficient_scope", error_description="…", scope="write"'
    """

    def __init__(self, error: str, description: str, *, required_scopes: tuple[str, ...] = ()) -> None:
        super().__init__(error, description, 403 if error == "insufficient_scope" else 401)
        self.required_scopes = required_scopes

    def www_authenticate(self, realm: str | None = None) -> str:
        """The ``WWW-Authenticate`` header value a resource server should answer with."""
        def quoted(value: str) -> str:
            return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'

        parts = [f"realm={quoted(realm)}"] if realm else []
        parts += [f"error={quoted(self.error)}", f"error_description={quoted(self.description)}"]
        if self.required_scopes:
            parts.append(f"scope={quoted(' '.join(self.required_scopes))}")
        return "Bearer " + ", ".join(parts)
