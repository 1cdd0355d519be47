"""The parts of sending a ``Call`` that do not depend on sync or async: headers, the request,
and reading the answer (or raising its error).
"""
from __future__ import annotations

import json
from http.cookiejar import CookieJar, DefaultCookiePolicy
from typing import Any, TypeVar

import httpx

from ._call import Auth, Call
from ._retry import retry_after
from ._state import ClientState
from .credentials import PrivateKeyCredentials
from .errors import ConfigurationError, MachineAuthError, api_error

T = TypeVar("T")

USER_AGENT = "machineauth-python/0.1.0"
DEFAULT_TIMEOUT = httpx.Timeout(10.0)


def no_cookies() -> CookieJar:
    """A cookie jar that keeps nothing: the client authenticates with bearer tokens only, so the
    admin session cookie (which would demand a CSRF token) is never sent back.
    """
    return CookieJar(policy=DefaultCookiePolicy(allowed_domains=[]))


def as_client(auth: Auth, state: ClientState) -> bool:
    """Whether the call authenticates with the agent's own client credentials."""
    return auth is Auth.CLIENT or (auth is Auth.ADMIN_OR_CLIENT and state.admin_token is None and state.credentials is not None)


def authorization(auth: Auth, state: ClientState) -> str | None:
    """The ``Authorization`` header for every kind of call but ``Auth.AGENT`` (the transport's);
    ``None`` for a client that authenticates in the form instead (``client_form``).
    """
    if auth is Auth.NONE or auth is Auth.AGENT:
        return None
    if auth is Auth.CLIENT and state.workload is not None:
        return None  # the platform token goes in the form (client_form)
    if as_client(auth, state):
        credentials = state.require_credentials()
        return None if isinstance(credentials, PrivateKeyCredentials) else credentials.basic_authorization()
    return "Bearer " + state.require_admin_token()


def client_form(call: Call[Any], state: ClientState, base_url: str) -> dict[str, str]:
    """Form parameters that authenticate a private_key_jwt client (a new assertion per request), or
    that turn a workload's ``client_credentials`` request into the ``jwt-bearer`` grant with its
    current platform token. A workload has no client credentials for any other call.
    """
    if call.auth is Auth.CLIENT and state.workload is not None:
        if call.path != TOKEN_PATH or (call.form or {}).get("grant_type") != "client_credentials":
            raise ConfigurationError(f"{call.method} {call.path} needs client credentials; a workload exchanging a "
                                     "platform token has none (use an admin session or an API key)")
        return state.workload.grant_parameters()
    if as_client(call.auth, state) and isinstance(state.credentials, PrivateKeyCredentials):
        return state.credentials.form_parameters(base_url + "/oauth/token")
    return {}


TOKEN_PATH = "/oauth/token"


def proof_url(base_url: str, state: ClientState, path: str) -> str:
    """The ``htu`` of a request to MachineAuth's ``path``: the issuer URL (or ``base_url``) and the path."""
    return (state.issuer or base_url).rstrip("/") + path


def build_request(http: httpx.Client | httpx.AsyncClient, base_url: str, call: Call[Any],
                  authorization: str | None, state: ClientState | None = None, *,
                  access_token: str | None = None, bound: bool = False) -> httpx.Request:
    """The HTTP request of ``call`` against ``base_url`` (with ``state``'s client assertion, if it signs them).

    With a DPoP key in ``state`` a token request carries a fresh proof (with the latest nonce);
    ``access_token`` (or the call's own ``token``) is presented as ``Authorization: Bearer``, or,
    when ``bound`` to the key, as ``Authorization: DPoP`` with a fresh proof for this request.
    Every call builds new proofs, so every attempt of a request has its own ``jti``.
    """
    headers = {"Accept": "application/json", "User-Agent": USER_AGENT}
    if authorization is not None:
        headers["Authorization"] = authorization
    dpop = state.dpop if state is not None else None
    if dpop is not None and state is not None and call.method == "POST" and call.path == TOKEN_PATH:
        headers["DPoP"] = dpop.proof("POST", proof_url(base_url, state, TOKEN_PATH), nonce=dpop.nonce)
    presented = access_token if access_token is not None else call.token
    if presented is not None:
        if dpop is not None and state is not None and (bound or call.token is not None):
            headers.update(dpop.headers(call.method, proof_url(base_url, state, call.path), presented))
        else:
            headers["Authorization"] = "Bearer " + presented
    form = call.form
    extra = client_form(call, state, base_url) if state is not None and form is not None else {}
    if extra:
        form = {**(form or {}), **extra}
    return http.build_request(call.method, base_url + call.path, params=call.params, json=call.json,
                              data=form, headers=headers)


def asks_for_nonce(response: httpx.Response) -> bool:
    """Whether ``response`` is RFC 9449 §8's ``use_dpop_nonce`` (400 at the token endpoint, 401 at a resource)."""
    if response.status_code == 401:
        return "use_dpop_nonce" in response.headers.get("WWW-Authenticate", "")
    if response.status_code != 400:
        return False
    try:
        body = json.loads(response.content)
    except ValueError:
        return False
    return isinstance(body, dict) and body.get("error") == "use_dpop_nonce"


def take_nonce(call: Call[Any], state: ClientState, response: httpx.Response) -> bool:
    """Keeps the ``DPoP-Nonce`` a token response carries; ``True`` when the server refused the
    request for want of it (``use_dpop_nonce``), so it is worth sending once more with a new proof.
    """
    if state.dpop is None or call.path != TOKEN_PATH:
        return False
    nonce = response.headers.get("DPoP-Nonce")
    if nonce:
        state.dpop.nonce = nonce
    return bool(nonce) and asks_for_nonce(response)


def decode(call: Call[T], response: httpx.Response) -> T:
    """The result of ``call`` from its answer, or the ``APIError`` the answer describes."""
    if response.status_code >= 400:
        raise error_of(response)
    if call.text:
        return call.parse(response.text)
    try:
        data = json.loads(response.content) if response.content else {}
    except ValueError as error:
        raise MachineAuthError("invalid_response", f"{call.method} {call.path} answered non-JSON",
                               response.status_code) from error
    return call.parse(data)


def error_of(response: httpx.Response) -> MachineAuthError:
    """The error an error answer describes (its JSON body, else its status and text)."""
    try:
        body = json.loads(response.content)
    except ValueError:
        body = None
    if not isinstance(body, dict):
        body = {"error": f"http_{response.status_code}", "error_description": response.text[:200]}
    return api_error(response.status_code, body, retry_after=retry_after(response),
                     request_id=response.headers.get("X-Request-Id"))
