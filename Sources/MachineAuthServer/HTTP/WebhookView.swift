import Foundation
import MachineAuthCore

/// API representations of webhooks and their deliveries.
enum WebhookView {
    /// A webhook without its secret.
    static func webhook(_ webhook: Webhook) -> JSONValue {
        [
            "id": .string(webhook.id), "name": .string(webhook.name), "url": .string(webhook.url),
            "events": .array(webhook.events.map(JSONValue.string)), "organization_id": webhook.organizationID.map(JSONValue.string) ?? .null,
            "team_id": webhook.teamID.map(JSONValue.string) ?? .null, "is_active": .bool(webhook.isActive),
            "max_retries": .int(webhook.maxRetries), "retry_backoff_base": .double(webhook.retryBackoffBase),
            "consecutive_fails": .int(webhook.consecutiveFails), "disabled_reason": webhook.disabledReason.map(JSONValue.string) ?? .null,
            "created_at": AgentView.timestamp(webhook.createdAt), "updated_at": AgentView.timestamp(webhook.updatedAt),
            "last_tested_at": webhook.lastTestedAt.map(AgentView.timestamp) ?? .null,
        ]
    }

    /// A delivery with its payload and every attempt.
    static func delivery(_ delivery: WebhookDelivery) -> JSONValue {
        [
            "id": .string(delivery.id), "webhook_id": .string(delivery.webhookID), "event": .string(delivery.eventType),
            "event_id": .string(delivery.eventID), "status": .string(delivery.status.rawValue), "attempts": .int(delivery.attempts),
            "max_attempts": .int(delivery.maxAttempts), "created_at": AgentView.timestamp(delivery.createdAt),
            "last_attempt_at": delivery.lastAttemptAt.map(AgentView.timestamp) ?? .null,
            "next_attempt_at": delivery.status.isFinal ? .null : AgentView.timestamp(delivery.nextAttemptAt),
            "delivered_at": delivery.deliveredAt.map(AgentView.timestamp) ?? .null,
            "last_status_code": delivery.lastStatusCode.map(JSONValue.int) ?? .null, "last_error": delivery.lastError.map(JSONValue.string) ?? .null,
            "payload": (try? JSONValue.parse(Data(delivery.payload.utf8))) ?? .string(delivery.payload),
            "attempt_history": .array(delivery.history.map { attempt in
                [
                    "at": AgentView.timestamp(attempt.at), "status_code": attempt.statusCode.map(JSONValue.int) ?? .null,
                    "latency_ms": .int(attempt.latencyMilliseconds), "error": attempt.error.map(JSONValue.string) ?? .null,
                ]
            }),
        ]
    }
}
