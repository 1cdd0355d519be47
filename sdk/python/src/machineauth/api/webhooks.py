"""Webhook subscriptions and their deliveries through the admin API: ``client.admin.webhooks``."""
from __future__ import annotations

from collections.abc import Sequence

from .._call import Auth, Call, fields, path, query
from .._json import JSONObject, objects
from ..models.common import Deleted, Page
from ..models.webhooks import Webhook, WebhookDelivery, WebhookEventType, WebhookWithSecret
from ._endpoint import Resource, awaitable, blocking


def _webhooks(data: JSONObject) -> list[Webhook]:
    return [Webhook.from_json(item) for item in objects(data, "webhooks")]


def _event_types(data: JSONObject) -> list[WebhookEventType]:
    return [WebhookEventType.from_json(item) for item in objects(data, "events")]


class WebhookOps(Resource):
    def _event_types(self) -> Call[list[WebhookEventType]]:
        """The event types a webhook can subscribe to."""
        return Call("GET", "/api/webhook-events", _event_types, Auth.ADMIN)

    def _list(self) -> Call[list[Webhook]]:
        """Webhooks the caller may see."""
        return Call("GET", "/api/webhooks", _webhooks, Auth.ADMIN)

    def _get(self, webhook_id: str) -> Call[Webhook]:
        """One webhook."""
        return Call("GET", path("/api/webhooks/{}", webhook_id), Webhook.from_envelope, Auth.ADMIN)

    def _create(self, url: str, *, events: Sequence[str] | None = None, name: str | None = None,
                organization_id: str | None = None, team_id: str | None = None, is_active: bool | None = None,
                max_retries: int | None = None, retry_backoff_base: float | None = None) -> Call[WebhookWithSecret]:
        """Subscribes ``url`` to ``events`` (patterns such as ``agent.*`` or ``*``); the result's
        ``secret`` (``whsec_…``, for verifying signatures) is shown only this once.
        """
        return Call("POST", "/api/webhooks", WebhookWithSecret.from_json, Auth.ADMIN, json={"url": url, **fields(
            events=events, name=name, organization_id=organization_id, team_id=team_id, is_active=is_active,
            max_retries=max_retries, retry_backoff_base=retry_backoff_base)})

    def _update(self, webhook_id: str, *, url: str | None = None, events: Sequence[str] | None = None,
                name: str | None = None, is_active: bool | None = None, max_retries: int | None = None,
                retry_backoff_base: float | None = None) -> Call[Webhook]:
        """Changes the given fields; ``is_active=True`` re-enables a disabled webhook."""
        return Call("PATCH", path("/api/webhooks/{}", webhook_id), Webhook.from_envelope, Auth.ADMIN, json=fields(
            url=url, events=events, name=name, is_active=is_active, max_retries=max_retries,
            retry_backoff_base=retry_backoff_base))

    def _delete(self, webhook_id: str) -> Call[Deleted]:
        """Deletes a webhook and its deliveries."""
        return Call("DELETE", path("/api/webhooks/{}", webhook_id), Deleted.from_json, Auth.ADMIN)

    def _rotate_secret(self, webhook_id: str) -> Call[WebhookWithSecret]:
        """A new signing secret, shown only this once."""
        return Call("POST", path("/api/webhooks/{}/rotate-secret", webhook_id), WebhookWithSecret.from_json,
                    Auth.ADMIN)

    def _test(self, webhook_id: str, *, message: str | None = None) -> Call[WebhookDelivery]:
        """Sends a ``webhook.test`` delivery now and returns its outcome."""
        return Call("POST", path("/api/webhooks/{}/test", webhook_id), WebhookDelivery.from_envelope, Auth.ADMIN,
                    json=fields(message=message))

    def _deliveries(self, webhook_id: str, *, status: str | None = None, page: int | None = None,
                    limit: int | None = None) -> Call[Page[WebhookDelivery]]:
        """The webhook's deliveries with every attempt; ``status``: pending, retrying, delivered, failed, dead."""
        return Call("GET", path("/api/webhooks/{}/deliveries", webhook_id),
                    Page.reader("deliveries", WebhookDelivery.from_json), Auth.ADMIN,
                    params=query(status=status, page=page, limit=limit))


class Webhooks(WebhookOps):
    event_types = blocking(WebhookOps._event_types)
    list = blocking(WebhookOps._list)
    get = blocking(WebhookOps._get)
    create = blocking(WebhookOps._create)
    update = blocking(WebhookOps._update)
    delete = blocking(WebhookOps._delete)
    rotate_secret = blocking(WebhookOps._rotate_secret)
    test = blocking(WebhookOps._test)
    deliveries = blocking(WebhookOps._deliveries)


class AsyncWebhooks(WebhookOps):
    event_types = awaitable(WebhookOps._event_types)
    list = awaitable(WebhookOps._list)
    get = awaitable(WebhookOps._get)
    create = awaitable(WebhookOps._create)
    update = awaitable(WebhookOps._update)
    delete = awaitable(WebhookOps._delete)
    rotate_secret = awaitable(WebhookOps._rotate_secret)
    test = awaitable(WebhookOps._test)
    deliveries = awaitable(WebhookOps._deliveries)
