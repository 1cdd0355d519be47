"""Workload identity federation (RFC 7523 §2.1, the ``jwt-bearer`` grant): the workload trades the
token its platform already gave it — a Kubernetes projected service-account token, a GitHub
Actions OIDC token, a SPIFFE JWT-SVID — for an access token. No client secret exists anywhere.

>>> MachineAuthClient(url, assertion_file="/var/run/secrets/machineauth/token")
>>> MachineAuthClient(url, assertion_provider=github_actions_token(audience="https://auth.example.com"))
"""
from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import httpx

from .errors import ConfigurationError, MachineAuthError

JWT_BEARER_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"

AssertionProvider = Callable[[], str]
"""A function returning the platform token to exchange now (called for every token request)."""


@dataclass(frozen=True)
class WorkloadIdentity:
    """The platform token a workload exchanges for its access tokens. ``provider`` is called for
    every token request, retries included, so a rotated token (Kubernetes rewrites its projected
    token file) or a single-use one (GitHub Actions) is always current.

    >>> WorkloadIdentity.from_file("/var/run/secrets/machineauth/token")
    """

    provider: AssertionProvider = field(repr=False)
    description: str = "assertion_provider"

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> WorkloadIdentity:
        """A token read from ``path`` anew for every token request (surrounding whitespace dropped)."""
        location = Path(path)

        def read() -> str:
            try:
                return location.read_text().strip()
            except OSError as error:
                raise ConfigurationError(f"cannot read the assertion file {location}: {error.strerror}") from error

        return cls(read, f"assertion_file={location}")

    def assertion(self) -> str:
        """The platform token to send now."""
        token = self.provider()
        if not token:
            raise ConfigurationError(f"the workload's {self.description} gave an empty token")
        return token

    def grant_parameters(self) -> dict[str, str]:
        """The form parameters that replace ``client_credentials`` in a token request."""
        return {"grant_type": JWT_BEARER_GRANT, "assertion": self.assertion()}


def github_actions_token(audience: str | None = None, *, environ: Mapping[str, str] | None = None,
                         timeout: float = 10.0) -> AssertionProvider:
    """A provider fetching a new GitHub Actions OIDC token for every token request, from
    ``ACTIONS_ID_TOKEN_REQUEST_URL`` with ``ACTIONS_ID_TOKEN_REQUEST_TOKEN`` (the job needs
    ``permissions: id-token: write``). ``audience`` becomes the token's ``aud``; it must be one of
    the trusted issuer's ``audiences`` on the server.

    >>> MachineAuthClient(url, assertion_provider=github_actions_token(audience="https://auth.example.com"))
    """
    env = os.environ if environ is None else environ

    def fetch() -> str:
        url, bearer = env.get("ACTIONS_ID_TOKEN_REQUEST_URL"), env.get("ACTIONS_ID_TOKEN_REQUEST_TOKEN")
        if not url or not bearer:
            raise ConfigurationError("ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set "
                                     "(a GitHub Actions job with permissions: id-token: write)")
        if audience:
            url += ("&" if "?" in url else "?") + "audience=" + quote(audience, safe="")
        response = httpx.get(url, headers={"Authorization": "bearer " + bearer, "Accept": "application/json"},
                             timeout=timeout)
        if response.status_code != 200:
            raise MachineAuthError("github_oidc_error", f"the GitHub Actions token request answered "
                                   f"{response.status_code}: {response.text[:200]}", response.status_code)
        try:
            value = json.loads(response.content)["value"]
        except (ValueError, KeyError, TypeError) as error:
            raise MachineAuthError("github_oidc_error", "the GitHub Actions token answer has no value") from error
        if not isinstance(value, str) or not value:
            raise MachineAuthError("github_oidc_error", "the GitHub Actions token answer has no value")
        return value

    return fetch
