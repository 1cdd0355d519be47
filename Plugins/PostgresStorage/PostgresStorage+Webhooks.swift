public import Foundation
import Logging
public import MachineAuthCore
import PostgresNIO

extension PostgresStorage {
    public func insertWebhook(_ webhook: Webhook) async throws {
        try await mapped { [self] in
            try await client.query(
                "INSERT INTO webhooks (id, organization_id, created_at, record) VALUES (\(webhook.id), \(webhook.organizationID), \(webhook.createdAt), \(try RecordCoding.encode(webhook))::jsonb)",
                logger: logger)
            try await notify("webhooks")
        }
    }

    public func webhook(id: String) async throws -> Webhook? {
        try await mapped { [self] in try await records(Webhook.self, "SELECT record::text FROM webhooks WHERE id = \(id)").first }
    }

    public func updateWebhook(id: String, _ change: @escaping @Sendable (inout Webhook) throws -> Void) async throws -> Webhook? {
        try await mapped { [self] in
            try await client.withTransaction(logger: logger) { connection -> Webhook? in
                guard var webhook = try await records(Webhook.self, "SELECT record::text FROM webhooks WHERE id = \(id) FOR UPDATE", on: connection).first else {
                    return nil
                }
                try change(&webhook)
                try await connection.query(
                    "UPDATE webhooks SET organization_id = \(webhook.organizationID), record = \(try RecordCoding.encode(webhook))::jsonb WHERE id = \(id)",
                    logger: logger)
                try await notify("webhooks", on: connection)
                return webhook
            }
        }
    }

    public func deleteWebhook(id: String) async throws -> Webhook? {
        try await mapped { [self] in
            let removed = try await records(Webhook.self, "DELETE FROM webhooks WHERE id = \(id) RETURNING record::text").first
            try await notify("webhooks")
            return removed
        }
    }

    public func listWebhooks(organizationIDs: Set<String>?) async throws -> [Webhook] {
        try await mapped { [self] in
            let allowed = organizationIDs.map { Array($0) }
            return try await records(Webhook.self, """
                SELECT record::text FROM webhooks WHERE \(allowed == nil) OR organization_id = ANY(\(allowed ?? []))
                ORDER BY created_at, id
                """)
        }
    }

    public func enqueueDeliveries(_ deliveries: [WebhookDelivery]) async throws {
        guard !deliveries.isEmpty else { return }
        try await mapped { [self] in
            try await client.withTransaction(logger: logger) { connection in
                for delivery in deliveries {
                    try await connection.query(
                        """
                        INSERT INTO webhook_deliveries (id, webhook_id, status, next_attempt_at, created_at, record)
                        VALUES (\(delivery.id), \(delivery.webhookID), \(delivery.status.rawValue), \(delivery.nextAttemptAt), \(delivery.createdAt),
                                \(try RecordCoding.encode(delivery))::jsonb)
                        """, logger: logger)
                }
            }
        }
    }

    /// `FOR UPDATE SKIP LOCKED` lets several instances claim different deliveries concurrently.
    public func claimDeliveries(owner: String, limit: Int, now: Date, leaseUntil: Date) async throws -> [WebhookDelivery] {
        try await mapped { [self] in
            try await client.withTransaction(logger: logger) { connection -> [WebhookDelivery] in
                let due = try await records(WebhookDelivery.self, """
                    SELECT record::text FROM webhook_deliveries
                    WHERE status IN ('pending', 'retrying') AND next_attempt_at <= \(now) AND (lease_until IS NULL OR lease_until <= \(now))
                    ORDER BY next_attempt_at, id LIMIT \(limit)
                    FOR UPDATE SKIP LOCKED
                    """, on: connection)
                var claimed: [WebhookDelivery] = []
                for var delivery in due {
                    delivery.leaseOwner = owner
                    delivery.leaseUntil = leaseUntil
                    try await connection.query(
                        """
                        UPDATE webhook_deliveries SET lease_owner = \(owner), lease_until = \(leaseUntil), record = \(try RecordCoding.encode(delivery))::jsonb
                        WHERE id = \(delivery.id)
                        """, logger: logger)
                    claimed.append(delivery)
                }
                return claimed
            }
        }
    }

    public func finishDelivery(_ delivery: WebhookDelivery, owner: String) async throws -> Bool {
        var released = delivery
        released.leaseOwner = nil
        released.leaseUntil = nil
        let finished = released
        let record = try RecordCoding.encode(finished)
        return try await mapped { [self] in
            try await count("""
                WITH done AS (
                    UPDATE webhook_deliveries SET status = \(finished.status.rawValue), next_attempt_at = \(finished.nextAttemptAt),
                        lease_owner = NULL, lease_until = NULL, record = \(record)::jsonb
                    WHERE id = \(finished.id) AND lease_owner = \(owner) RETURNING 1
                ) SELECT count(*)::bigint FROM done
                """) == 1
        }
    }

    public func delivery(id: String) async throws -> WebhookDelivery? {
        try await mapped { [self] in try await records(WebhookDelivery.self, "SELECT record::text FROM webhook_deliveries WHERE id = \(id)").first }
    }

    public func deliveries(webhookID: String, status: WebhookDelivery.Status?, page: PageRequest) async throws -> Page<WebhookDelivery> {
        try await mapped { [self] in
            let wanted = status?.rawValue
            let total = try await count("SELECT count(*)::bigint FROM webhook_deliveries WHERE webhook_id = \(webhookID) AND (\(wanted == nil) OR status = \(wanted ?? ""))")
            let items = try await records(WebhookDelivery.self, """
                SELECT record::text FROM webhook_deliveries WHERE webhook_id = \(webhookID) AND (\(wanted == nil) OR status = \(wanted ?? ""))
                ORDER BY created_at DESC, id DESC LIMIT \(page.limit) OFFSET \(page.offset)
                """)
            return Page(items: items, total: total, request: page)
        }
    }
}
