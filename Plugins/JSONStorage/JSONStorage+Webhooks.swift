public import Foundation
public import MachineAuthCore

extension JSONStorage {
    public func insertWebhook(_ webhook: Webhook) async throws {
        try await commit { state in
            guard state.webhooks[webhook.id] == nil else { throw StorageError.conflict("webhook exists") }
            state.webhooks[webhook.id] = webhook
        }
    }

    public func webhook(id: String) async throws -> Webhook? {
        read { $0.webhooks[id] }
    }

    public func updateWebhook(id: String, _ change: @escaping @Sendable (inout Webhook) throws -> Void) async throws -> Webhook? {
        try await commit { state -> Webhook? in
            guard var webhook = state.webhooks[id] else { return nil }
            try change(&webhook)
            state.webhooks[id] = webhook
            return webhook
        }
    }

    public func deleteWebhook(id: String) async throws -> Webhook? {
        try await commit { state -> Webhook? in
            guard let webhook = state.webhooks.removeValue(forKey: id) else { return nil }
            state.deliveries.removeAll { $0.webhookID == id }
            return webhook
        }
    }

    public func listWebhooks(organizationIDs: Set<String>?) async throws -> [Webhook] {
        read { state in
            state.webhooks.filter { webhook in organizationIDs.map { webhook.organizationID.map($0.contains) ?? false } ?? true }
                .sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
        }
    }

    public func enqueueDeliveries(_ deliveries: [WebhookDelivery]) async throws {
        guard !deliveries.isEmpty else { return }
        try await commit { state in
            for delivery in deliveries { state.deliveries[delivery.id] = delivery }
        }
    }

    public func claimDeliveries(owner: String, limit: Int, now: Date, leaseUntil: Date) async throws -> [WebhookDelivery] {
        guard limit > 0 else { return [] }
        let due = read { state in state.deliveries.markedKeys.contains { state.deliveries[$0]?.isDue(at: now) == true } }
        guard due else { return [] }
        return try await commit { state -> [WebhookDelivery] in
            Self.earliestDue(in: state.deliveries, limit: limit, now: now).map { delivery in
                var leased = delivery
                leased.leaseOwner = owner
                leased.leaseUntil = leaseUntil
                state.deliveries[delivery.id] = leased
                return leased
            }
        }
    }

    /// The `limit` due deliveries that have waited longest (by next attempt, then id), chosen
    /// among the unfinished ones in one pass without sorting them all.
    static func earliestDue(in deliveries: JournalTable<WebhookDelivery>, limit: Int, now: Date) -> [WebhookDelivery] {
        var chosen: [WebhookDelivery] = []
        chosen.reserveCapacity(limit + 1)
        for key in deliveries.markedKeys {
            guard let delivery = deliveries[key], delivery.isDue(at: now) else { continue }
            if chosen.count == limit, let last = chosen.last, (last.nextAttemptAt, last.id) <= (delivery.nextAttemptAt, delivery.id) { continue }
            let position = chosen.firstIndex { (delivery.nextAttemptAt, delivery.id) < ($0.nextAttemptAt, $0.id) } ?? chosen.endIndex
            chosen.insert(delivery, at: position)
            if chosen.count > limit { chosen.removeLast() }
        }
        return chosen
    }

    public func finishDelivery(_ delivery: WebhookDelivery, owner: String) async throws -> Bool {
        try await commit { state -> Bool in
            guard let current = state.deliveries[delivery.id], current.leaseOwner == owner else { return false }
            var finished = delivery
            finished.leaseOwner = nil
            finished.leaseUntil = nil
            state.deliveries[delivery.id] = finished
            return true
        }
    }

    public func delivery(id: String) async throws -> WebhookDelivery? {
        read { $0.deliveries[id] }
    }

    public func deliveries(webhookID: String, status: WebhookDelivery.Status?, page: PageRequest) async throws -> Page<WebhookDelivery> {
        let matching = read { state in
            state.deliveries.filter { delivery in delivery.webhookID == webhookID && (status.map { delivery.status == $0 } ?? true) }
        }
        return Page.slice(matching.sorted { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) }, page)
    }
}

extension JSONStorage {
    /// One process owns a JSON store, so an in-process lock is enough.
    public func withExclusiveLock<T: Sendable>(_ name: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await exclusive.run(body)
    }
}
