"""A request to the server as a value: what to send, how to authenticate and how to read the answer.

Every API method builds a ``Call``; the sync and async transports send it. That keeps the list
of endpoints in one place for both clients.
"""
from __future__ import annotations

import enum
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Generic, TypeVar
from urllib.parse import quote

T = TypeVar("T")


class Auth(enum.Enum):
    """How a call authenticates."""

    NONE = "none"
    AGENT = "agent"                      # the agent's own access token (cached, re-authenticated on 401)
    ADMIN = "admin"                      # an admin session token or an organization API key
    CLIENT = "client"                    # the agent's client id and secret (HTTP Basic)
    ADMIN_OR_CLIENT = "admin_or_client"  # admin credentials when configured (they see every token), else the client's


FormValue = str | Sequence[str]


@dataclass(frozen=True)
class Call(Generic[T]):
    """One request: ``parse`` turns the decoded JSON answer into the result; ``after`` updates
    the client with it (a login keeps the session, a self-rotation keeps the new secret).
    """

    method: str
    path: str
    parse: Callable[[Any], T]
    auth: Auth = Auth.NONE
    params: Mapping[str, str] | None = None
    json: Mapping[str, Any] | None = None
    form: Mapping[str, FormValue] | None = None
    text: bool = False
    after: Callable[[T], None] | None = None
    token: str | None = field(default=None, repr=False)
    """An access token the call presents itself (``/api/verify``): ``Bearer``, or ``DPoP`` with a
    proof when it is bound to the client's DPoP key."""


def path(template: str, *parts: str) -> str:
    """``template`` with each ``{}`` replaced by a percent-encoded part: ``path("/api/agents/{}", id)``."""
    return template.format(*(quote(part, safe="") for part in parts))


class Unset(enum.Enum):
    """The type of ``UNSET``: a field left out of an update, as opposed to ``None`` (sent as null)."""

    UNSET = "unset"


UNSET = Unset.UNSET


def timestamp(value: datetime | str) -> str:
    """A ``datetime`` (naive ones are taken as UTC) or an RFC 3339 string as the server reads it."""
    if isinstance(value, str):
        return value
    aware = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    return aware.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def fields(**values: Any) -> dict[str, Any]:
    """A JSON body of the given fields, leaving out ``None`` and ``UNSET``, with tuples as lists
    and datetimes as RFC 3339 strings (``nullable`` is for fields that ``None`` clears).
    """
    body: dict[str, Any] = {}
    for key, value in values.items():
        if value is None or value is UNSET:
            continue
        body[key] = _json_value(value)
    return body


def nullable(**values: Any) -> dict[str, Any]:
    """Like ``fields`` for fields that may be cleared: ``UNSET`` is left out, ``None`` is sent as null."""
    return {key: None if value is None else _json_value(value) for key, value in values.items() if value is not UNSET}


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return timestamp(value)
    if isinstance(value, (tuple, list)):
        return list(value)
    return value


def query(**values: Any) -> dict[str, str]:
    """Query parameters, leaving out ``None``; booleans as ``true``/``false``, datetimes as RFC 3339."""
    params: dict[str, str] = {}
    for key, value in values.items():
        if value is None:
            continue
        if isinstance(value, bool):
            params[key] = "true" if value else "false"
        elif isinstance(value, datetime):
            params[key] = timestamp(value)
        else:
            params[key] = str(value)
    return params


def scope_text(scope: str | Sequence[str] | None) -> str | None:
    """A scope parameter as the space-separated string OAuth sends (``None`` for none)."""
    if scope is None:
        return None
    words = scope.split() if isinstance(scope, str) else [word for item in scope for word in item.split()]
    return " ".join(words) or None


def string_list(value: str | Sequence[str] | None) -> tuple[str, ...]:
    """One string or several as a tuple."""
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)
