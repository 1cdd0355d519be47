"""Typed readers for the server's JSON: each takes a field, or its default when it is missing or
of another type, so a newer server with more (or fewer optional) fields never breaks a client.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any

JSONObject = Mapping[str, Any]


def text(data: JSONObject, key: str, default: str = "") -> str:
    """The string at ``key``."""
    value = data.get(key)
    return value if isinstance(value, str) else default


def optional_text(data: JSONObject, key: str) -> str | None:
    """The string at ``key``, or ``None`` (for fields the server sends as ``null``)."""
    value = data.get(key)
    return value if isinstance(value, str) else None


def integer(data: JSONObject, key: str, default: int = 0) -> int:
    """The whole number at ``key``."""
    value = data.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def optional_integer(data: JSONObject, key: str) -> int | None:
    """The whole number at ``key``, or ``None``."""
    value = data.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def number(data: JSONObject, key: str, default: float = 0.0) -> float:
    """The number at ``key``."""
    value = data.get(key)
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else default


def boolean(data: JSONObject, key: str, default: bool = False) -> bool:
    """The boolean at ``key``."""
    value = data.get(key)
    return value if isinstance(value, bool) else default


def strings(data: JSONObject, key: str) -> tuple[str, ...]:
    """The list of strings at ``key`` (a single string counts as a list of one: ``aud``)."""
    value = data.get(key)
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return tuple(item for item in value if isinstance(item, str))
    return ()


def obj(data: JSONObject, key: str) -> JSONObject:
    """The object at ``key``, or an empty one."""
    value = data.get(key)
    return value if isinstance(value, Mapping) else {}


def objects(data: JSONObject, key: str) -> list[JSONObject]:
    """The objects of the list at ``key``."""
    value = data.get(key)
    return [item for item in value if isinstance(item, Mapping)] if isinstance(value, list) else []


def string_map(data: JSONObject, key: str) -> dict[str, str]:
    """The string-to-string object at ``key`` (agent ``metadata``)."""
    return {k: v for k, v in obj(data, key).items() if isinstance(v, str)}


def parse_time(value: str) -> datetime:
    """An RFC 3339 timestamp as an aware ``datetime`` (``Z`` included, which Python 3.10 lacks)."""
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def optional_time(data: JSONObject, key: str) -> datetime | None:
    """The timestamp at ``key``, or ``None`` when it is missing, ``null`` or unreadable."""
    value = data.get(key)
    if not isinstance(value, str):
        return None
    try:
        return parse_time(value)
    except ValueError:
        return None


EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def time(data: JSONObject, key: str) -> datetime:
    """The timestamp at ``key`` (the Unix epoch when it is missing)."""
    return optional_time(data, key) or EPOCH


def epoch_time(data: JSONObject, key: str) -> datetime | None:
    """The Unix time (seconds) at ``key`` as a ``datetime`` (JWT ``exp``, ``iat``)."""
    value = optional_integer(data, key)
    return datetime.fromtimestamp(value, tz=timezone.utc) if value is not None else None
