import Foundation
import MachineAuthCore

/// A webhook without its secret.
struct WebhookRow: Sendable {
    var id: String
    var name: String
    var url: String
    var events: [String]
    var organizationName: String?
    var isActive: Bool
    var status: String
    var maxRetries: Int
    var retryBackoffBase: String
    var consecutiveFails: Int
    var disabledReason: String?
    var createdAt: String
    var lastTestedAt: String?

    init(_ webhook: Webhook, organizations: [String: String]) {
        id = webhook.id
        name = webhook.name
        url = webhook.url
        events = webhook.events
        organizationName = webhook.organizationID.map { organizations[$0] ?? $0 }
        isActive = webhook.isActive
        status = webhook.isActive ? "active" : "inactive"
        maxRetries = webhook.maxRetries
        retryBackoffBase = String(format: "%g", webhook.retryBackoffBase)
        consecutiveFails = webhook.consecutiveFails
        disabledReason = webhook.disabledReason
        createdAt = Time.text(webhook.createdAt)
        lastTestedAt = webhook.lastTestedAt.map(Time.text)
    }
}

/// One delivery with each of its attempts.
struct DeliveryRow: Sendable {
    struct Attempt: Sendable {
        var at: String
        var statusCode: String
        var latency: String
        var error: String?
    }

    var id: String
    var event: String
    var status: String
    var attempts: Int
    var maxAttempts: Int
    var createdAt: String
    var lastStatusCode: String
    var lastError: String?
    var nextAttemptAt: String?
    var payload: String
    var history: [Attempt]

    init(_ delivery: WebhookDelivery) {
        id = delivery.id
        event = delivery.eventType
        status = delivery.status.rawValue
        attempts = delivery.attempts
        maxAttempts = delivery.maxAttempts
        createdAt = Time.text(delivery.createdAt)
        lastStatusCode = delivery.lastStatusCode.map(String.init) ?? "—"
        lastError = delivery.lastError
        nextAttemptAt = delivery.status.isFinal ? nil : Time.text(delivery.nextAttemptAt)
        payload = delivery.payload
        history = delivery.history.map {
            Attempt(at: Time.text($0.at), statusCode: $0.statusCode.map(String.init) ?? "—", latency: "\($0.latencyMilliseconds) ms", error: $0.error)
        }
    }
}

/// The webhooks page.
struct WebhookListView: Sendable {
    var chrome: Chrome
    var webhooks: [WebhookRow]
    var form: FormState
    var organizations: [Option]
    var events: [Pair]
}

/// One webhook: edit form, test, secret, deliveries.
struct WebhookDetailView: Sendable {
    var chrome: Chrome
    var webhook: WebhookRow
    var secret: RevealedSecret?
    var test: DeliveryRow?
    var form: FormState
    var isActiveChecked: Bool
    var filter: FormState
    var statuses: [Option]
    var deliveries: [DeliveryRow]
    var total: String
    var pages: Pagination
}
