"""Webhook subscriptions, their deliveries and the event types."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .._json import (JSONObject, boolean, integer, number, obj, objects, optional_integer, optional_text,
                     optional_time, strings, text, time)


@dataclass(frozen=True)
class Webhook:
    """A subscription (never its secret). A webhook with too many dead deliveries in a row is
    disabled (``is_active`` false, ``disabled_reason`` set); updating ``is_active`` re-enables it.
    """

    id: str
    name: str
    url: str
    events: tuple[str, ...]
    organization_id: str | None
    team_id: str | None
    is_active: bool
    max_retries: int
    retry_backoff_base: float
    consecutive_fails: int
    disabled_reason: str | None
    created_at: datetime
    updated_at: datetime
    last_tested_at: datetime | None

    @classmethod
    def from_json(cls, data: JSONObject) -> Webhook:
        return cls(
            id=text(data, "id"), name=text(data, "name"), url=text(data, "url"), events=strings(data, "events"),
            organization_id=optional_text(data, "organization_id"), team_id=optional_text(data, "team_id"),
            is_active=boolean(data, "is_active"), max_retries=integer(data, "max_retries"),
            retry_backoff_base=number(data, "retry_backoff_base"), consecutive_fails=integer(data, "consecutive_fails"),
            disabled_reason=optional_text(data, "disabled_reason"), created_at=time(data, "created_at"),
            updated_at=time(data, "updated_at"), last_tested_at=optional_time(data, "last_tested_at"),
        )

    @classmethod
    def from_envelope(cls, data: JSONObject) -> Webhook:
        return cls.from_json(obj(data, "webhook"))


@dataclass(frozen=True)
class WebhookWithSecret:
    """A new or re-keyed webhook with its ``whsec_…`` signing secret, shown only this once."""

    webhook: Webhook
    secret: str = field(repr=False)
    message: str = ""

    @classmethod
    def from_json(cls, data: JSONObject) -> WebhookWithSecret:
        return cls(Webhook.from_envelope(data), text(data, "secret"), text(data, "message"))


@dataclass(frozen=True)
class WebhookAttempt:
    """One attempt of a delivery: status code (``None`` without an answer), latency and error."""

    at: datetime
    status_code: int | None
    latency_ms: int
    error: str | None

    @classmethod
    def from_json(cls, data: JSONObject) -> WebhookAttempt:
        return cls(time(data, "at"), optional_integer(data, "status_code"), integer(data, "latency_ms"),
                   optional_text(data, "error"))


@dataclass(frozen=True)
class WebhookDelivery:
    """A delivery of one event to one webhook. ``status``: pending, retrying, delivered, failed, dead."""

    id: str
    webhook_id: str
    event: str
    event_id: str
    status: str
    attempts: int
    max_attempts: int
    created_at: datetime
    last_attempt_at: datetime | None
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    last_status_code: int | None
    last_error: str | None
    payload: Any
    attempt_history: tuple[WebhookAttempt, ...]

    @classmethod
    def from_json(cls, data: JSONObject) -> WebhookDelivery:
        return cls(
            id=text(data, "id"), webhook_id=text(data, "webhook_id"), event=text(data, "event"),
            event_id=text(data, "event_id"), status=text(data, "status"), attempts=integer(data, "attempts"),
            max_attempts=integer(data, "max_attempts"), created_at=time(data, "created_at"),
            last_attempt_at=optional_time(data, "last_attempt_at"), next_attempt_at=optional_time(data, "next_attempt_at"),
            delivered_at=optional_time(data, "delivered_at"), last_status_code=optional_integer(data, "last_status_code"),
            last_error=optional_text(data, "last_error"), payload=data.get("payload"),
            attempt_history=tuple(WebhookAttempt.from_json(item) for item in objects(data, "attempt_history")),
        )

    @classmethod
    def from_envelope(cls, data: JSONObject) -> WebhookDelivery:
        return cls.from_json(obj(data, "delivery"))


@dataclass(frozen=True)
class WebhookEventType:
    """An event a webhook can subscribe to (``agent.created``, ``token.revoked`` …)."""

    type: str
    description: str

    @classmethod
    def from_json(cls, data: JSONObject) -> WebhookEventType:
        return cls(text(data, "type"), text(data, "description"))
