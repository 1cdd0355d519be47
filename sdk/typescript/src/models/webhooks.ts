/** Webhook subscriptions, their deliveries and the event types. */
import { type JSONObject, bool, date, num, obj, objects, optionalDate, optionalNum, optionalText, strings, text } from "../json.js";

/**
 * A subscription (never its secret). A webhook with too many dead deliveries in a row is disabled
 * (`isActive` false, `disabledReason` set); updating `isActive` re-enables it.
 */
export interface Webhook {
  id: string;
  name: string;
  url: string;
  events: string[];
  organizationId: string | null;
  teamId: string | null;
  isActive: boolean;
  maxRetries: number;
  retryBackoffBase: number;
  consecutiveFails: number;
  disabledReason: string | null;
  createdAt: Date;
  updatedAt: Date;
  lastTestedAt: Date | null;
}

export const parseWebhook = (data: JSONObject): Webhook => ({
  id: text(data, "id"), name: text(data, "name"), url: text(data, "url"), events: strings(data, "events"),
  organizationId: optionalText(data, "organization_id"), teamId: optionalText(data, "team_id"), isActive: bool(data, "is_active"),
  maxRetries: num(data, "max_retries"), retryBackoffBase: num(data, "retry_backoff_base"),
  consecutiveFails: num(data, "consecutive_fails"), disabledReason: optionalText(data, "disabled_reason"),
  createdAt: date(data, "created_at"), updatedAt: date(data, "updated_at"), lastTestedAt: optionalDate(data, "last_tested_at"),
});

export const parseWebhookEnvelope = (data: JSONObject): Webhook => parseWebhook(obj(data, "webhook"));

/** A new or re-keyed webhook with its `whsec_…` signing secret, shown only this once. */
export interface WebhookWithSecret {
  webhook: Webhook;
  secret: string;
  message: string;
}

export const parseWebhookWithSecret = (data: JSONObject): WebhookWithSecret => ({
  webhook: parseWebhookEnvelope(data), secret: text(data, "secret"), message: text(data, "message"),
});

/** One attempt of a delivery: status code (`null` without an answer), latency and error. */
export interface WebhookAttempt {
  at: Date;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
}

/** A delivery of one event to one webhook; `status`: pending, retrying, delivered, failed, dead. */
export interface WebhookDelivery {
  id: string;
  webhookId: string;
  event: string;
  eventId: string;
  status: string;
  attempts: number;
  maxAttempts: number;
  createdAt: Date;
  lastAttemptAt: Date | null;
  nextAttemptAt: Date | null;
  deliveredAt: Date | null;
  lastStatusCode: number | null;
  lastError: string | null;
  /** The event JSON (or its text if it is not JSON). */
  payload: unknown;
  attemptHistory: WebhookAttempt[];
}

export const parseWebhookDelivery = (data: JSONObject): WebhookDelivery => ({
  id: text(data, "id"), webhookId: text(data, "webhook_id"), event: text(data, "event"), eventId: text(data, "event_id"),
  status: text(data, "status"), attempts: num(data, "attempts"), maxAttempts: num(data, "max_attempts"),
  createdAt: date(data, "created_at"), lastAttemptAt: optionalDate(data, "last_attempt_at"),
  nextAttemptAt: optionalDate(data, "next_attempt_at"), deliveredAt: optionalDate(data, "delivered_at"),
  lastStatusCode: optionalNum(data, "last_status_code"), lastError: optionalText(data, "last_error"), payload: data.payload,
  attemptHistory: objects(data, "attempt_history").map((attempt) => ({
    at: date(attempt, "at"), statusCode: optionalNum(attempt, "status_code"), latencyMs: num(attempt, "latency_ms"),
    error: optionalText(attempt, "error"),
  })),
});

/** An event a webhook can subscribe to (`agent.created`, `token.revoked` …). */
export interface WebhookEventType {
  type: string;
  description: string;
}

export const parseWebhookEventType = (data: JSONObject): WebhookEventType => ({
  type: text(data, "type"), description: text(data, "description"),
});
