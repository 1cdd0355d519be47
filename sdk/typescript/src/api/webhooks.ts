/** Webhook subscriptions and their deliveries through the admin API: `client.admin.webhooks`. */
import { fields, path, query } from "../call.js";
import { type Deleted, type Page, listReader, pageReader, parseDeleted } from "../models/common.js";
import {
  type Webhook, type WebhookDelivery, type WebhookEventType, type WebhookWithSecret, parseWebhook, parseWebhookDelivery,
  parseWebhookEnvelope, parseWebhookEventType, parseWebhookWithSecret,
} from "../models/webhooks.js";
import { obj } from "../json.js";
import type { Transport } from "../transport.js";

/** What a webhook is created or changed with. */
export interface WebhookFields {
  /** Event types or patterns such as `agent.*` or `*`. */
  events?: readonly string[];
  name?: string;
  isActive?: boolean;
  maxRetries?: number;
  retryBackoffBase?: number;
}

const webhookBody = (values: WebhookFields & { url?: string; organizationId?: string; teamId?: string }) => fields({
  url: values.url, events: values.events, name: values.name, organization_id: values.organizationId, team_id: values.teamId,
  is_active: values.isActive, max_retries: values.maxRetries, retry_backoff_base: values.retryBackoffBase,
});

export class Webhooks {
  constructor(private readonly transport: Transport) {}

  /** The event types a webhook can subscribe to. */
  eventTypes(): Promise<WebhookEventType[]> {
    return this.transport.send({ method: "GET", path: "/api/webhook-events", parse: listReader("events", parseWebhookEventType), auth: "admin" });
  }

  /** Webhooks the caller may see. */
  list(): Promise<Webhook[]> {
    return this.transport.send({ method: "GET", path: "/api/webhooks", parse: listReader("webhooks", parseWebhook), auth: "admin" });
  }

  /** One webhook. */
  get(webhookId: string): Promise<Webhook> {
    return this.transport.send({ method: "GET", path: path`/api/webhooks/${webhookId}`, parse: parseWebhookEnvelope, auth: "admin" });
  }

  /** Subscribes `url`; the result's `secret` (`whsec_…`, for verifying signatures) is shown only this once. */
  create(webhook: WebhookFields & { url: string; organizationId?: string; teamId?: string }): Promise<WebhookWithSecret> {
    return this.transport.send({ method: "POST", path: "/api/webhooks", parse: parseWebhookWithSecret, auth: "admin", json: webhookBody(webhook) });
  }

  /** Changes the given fields; `isActive: true` re-enables a disabled webhook. */
  update(webhookId: string, changes: WebhookFields & { url?: string }): Promise<Webhook> {
    return this.transport.send({
      method: "PATCH", path: path`/api/webhooks/${webhookId}`, parse: parseWebhookEnvelope, auth: "admin", json: webhookBody(changes),
    });
  }

  /** Deletes a webhook and its deliveries. */
  delete(webhookId: string): Promise<Deleted> {
    return this.transport.send({ method: "DELETE", path: path`/api/webhooks/${webhookId}`, parse: parseDeleted, auth: "admin" });
  }

  /** A new signing secret, shown only this once. */
  rotateSecret(webhookId: string): Promise<WebhookWithSecret> {
    return this.transport.send({ method: "POST", path: path`/api/webhooks/${webhookId}/rotate-secret`, parse: parseWebhookWithSecret, auth: "admin" });
  }

  /** Sends a `webhook.test` delivery now and returns its outcome. */
  test(webhookId: string, options: { message?: string } = {}): Promise<WebhookDelivery> {
    return this.transport.send({
      method: "POST", path: path`/api/webhooks/${webhookId}/test`, parse: (data) => parseWebhookDelivery(obj(data, "delivery")),
      auth: "admin", json: fields({ message: options.message }),
    });
  }

  /** The webhook's deliveries with every attempt; `status`: pending, retrying, delivered, failed, dead. */
  deliveries(webhookId: string, options: { status?: string; page?: number; limit?: number } = {}): Promise<Page<WebhookDelivery>> {
    return this.transport.send({
      method: "GET", path: path`/api/webhooks/${webhookId}/deliveries`, parse: pageReader("deliveries", parseWebhookDelivery),
      auth: "admin", query: query({ status: options.status, page: options.page, limit: options.limit }),
    });
  }
}
