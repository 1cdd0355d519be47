import AsyncHTTPClient
import OutboundHTTP
import Foundation
import Logging
public import MachineAuthCore
import Synchronization

/// Turns domain events into durable deliveries for every matching webhook (before the
/// request that caused them returns) and sends them from a worker pool in the background.
public final class WebhookNotifier: Notifier, WebhookDispatcher {
    let config: WebhookNotifierFactory.Config
    let storage: any WebhookStore
    let feed: any ChangeFeed
    let secrets: SecretBox
    let telemetry: Telemetry
    let logger: Logger
    let now: @Sendable () -> Date
    let owner = "instance-" + RandomToken.hex(bytes: 6)
    let sender: WebhookSender
    private let subscriptions = Mutex<(webhooks: [Webhook], loaded: Date)?>(nil)
    private let wake = WakeSignal()

    init(config: WebhookNotifierFactory.Config, storage: any WebhookStore, feed: any ChangeFeed, secrets: SecretBox, telemetry: Telemetry, logger: Logger,
         now: @escaping @Sendable () -> Date) {
        self.config = config
        self.storage = storage
        self.feed = feed
        self.secrets = secrets
        self.telemetry = telemetry
        self.logger = logger
        self.now = now
        sender = WebhookSender(http: GuardedHTTPClient(timeout: config.timeout, allowPrivateTargets: config.allowPrivateTargets), timeout: config.timeout, logger: logger)
    }

    public var webhooks: (any WebhookDispatcher)? { self }

    public var defaultMaxRetries: Int { config.maxRetries }
    public var allowsPrivateTargets: Bool { config.allowPrivateTargets }

    public func sealSecret(_ secret: String) throws -> String { try secrets.seal(secret) }

    // MARK: Notifier

    /// Queues one delivery per event and subscribed webhook, all of them in one store write.
    public func notify(_ events: [DomainEvent]) async {
        guard !events.isEmpty else { return }
        do {
            let webhooks = try await activeWebhooks()
            let time = now()
            let deliveries = events.flatMap { event -> [WebhookDelivery] in
                let matching = webhooks.filter { $0.wants(event) }
                guard !matching.isEmpty else { return [] }
                let payload = Self.payload(for: event)
                return matching.map { webhook in
                    WebhookDelivery(id: "msg_" + RandomToken.hex(bytes: 12), webhookID: webhook.id, eventType: event.type, eventID: event.id,
                                    payload: payload, maxAttempts: webhook.maxRetries.clamped(to: InputLimits.webhookRetries) + 1, createdAt: time)
                }
            }
            guard !deliveries.isEmpty else { return }
            try await storage.enqueueDeliveries(deliveries)
            wake.signal()
        } catch {
            logger.error("could not queue webhook deliveries for \(events.map(\.type).joined(separator: ", ")): \(error)")
        }
    }

    /// Subscriptions, cached for a second and dropped when they change.
    private func activeWebhooks() async throws -> [Webhook] {
        if let cached = subscriptions.withLock({ $0 }), now().timeIntervalSince(cached.loaded) < 1 { return cached.webhooks }
        let webhooks = try await storage.listWebhooks(organizationIDs: nil).filter(\.isActive)
        subscriptions.withLock { $0 = (webhooks, now()) }
        return webhooks
    }

    /// Drops the cached subscriptions (the API changed one, or another instance did).
    public func subscriptionsChanged() {
        subscriptions.withLock { $0 = nil }
    }

    public func run() async {
        await withDiscardingTaskGroup { group in
            group.addTask { await self.followChanges() }
            while !Task.isCancelled {
                let claimed: [WebhookDelivery]
                do {
                    let time = now()
                    claimed = try await storage.claimDeliveries(
                        owner: owner, limit: config.workers, now: time, leaseUntil: time.addingTimeInterval(Double(config.lease.milliseconds) / 1000))
                } catch {
                    logger.warning("claiming webhook deliveries failed: \(error)")
                    claimed = []
                }
                if claimed.isEmpty {
                    await idle()
                    continue
                }
                await withDiscardingTaskGroup { batch in
                    for delivery in claimed { batch.addTask { await self.attempt(delivery) } }
                }
            }
            group.cancelAll()
        }
    }

    /// Waits for the poll interval or a local enqueue, whichever comes first.
    private func idle() async {
        await wake.wait(timeout: config.pollInterval.duration)
    }

    private func followChanges() async {
        for await change in feed.changes() where change == .webhooksChanged || change == .resynchronize {
            subscriptionsChanged()
        }
    }

    public func shutdown() async {
        wake.signal()
    }

    // MARK: WebhookDispatcher

    public func sendTest(webhook: Webhook, data: [String: JSONValue]) async throws -> WebhookDelivery {
        let event = DomainEvent(type: "webhook.test", time: now(), actor: .system, target: EventTarget(kind: "webhook", id: webhook.id),
                                organizationID: webhook.organizationID, teamID: webhook.teamID, data: data)
        var delivery = WebhookDelivery(id: "msg_" + RandomToken.hex(bytes: 12), webhookID: webhook.id, eventType: event.type, eventID: event.id,
                                       payload: Self.payload(for: event), maxAttempts: 1, createdAt: now())
        delivery.leaseOwner = owner
        delivery.leaseUntil = now().addingTimeInterval(Double(config.lease.milliseconds) / 1000)
        try await storage.enqueueDeliveries([delivery])
        var active = webhook
        active.isActive = true
        await attemptTest(delivery, webhook: active)
        return try await storage.delivery(id: delivery.id) ?? delivery
    }

    private func attemptTest(_ delivery: WebhookDelivery, webhook: Webhook) async {
        var delivery = delivery
        let time = now()
        let result = await sender.send(delivery, to: webhook, secret: (try? secrets.open(webhook.encryptedSecret)) ?? "", at: time)
        delivery.attempts = 1
        delivery.lastAttemptAt = time
        switch result {
        case .delivered(let status, let latency):
            delivery.status = .delivered
            delivery.deliveredAt = now()
            delivery.lastStatusCode = status
            delivery.history = [DeliveryAttempt(at: time, statusCode: status, latencyMilliseconds: latency, error: nil)]
        case .failed(let status, let latency, let error):
            delivery.status = .failed
            delivery.lastStatusCode = status
            delivery.lastError = error
            delivery.history = [DeliveryAttempt(at: time, statusCode: status, latencyMilliseconds: latency, error: error)]
        case .refused(let reason):
            delivery.status = .failed
            delivery.lastError = reason
            delivery.history = [DeliveryAttempt(at: time, statusCode: nil, latencyMilliseconds: 0, error: reason)]
        }
        telemetry.webhookDelivery(delivery.status.rawValue)
        _ = try? await storage.finishDelivery(delivery, owner: owner)
        _ = try? await storage.updateWebhook(id: webhook.id) { $0.lastTestedAt = time }
    }

    /// The JSON body: `{"id", "type", "timestamp", "data"}`. Events never carry secrets.
    static func payload(for event: DomainEvent) -> String {
        var data = event.data
        data["actor"] = ["type": .string(event.actor.kind), "id": event.actor.id.map(JSONValue.string) ?? .null]
        if let target = event.target { data["target"] = ["type": .string(target.kind), "id": .string(target.id)] }
        data["outcome"] = .string(event.outcome.rawValue)
        if let organization = event.organizationID { data["organization_id"] = .string(organization) }
        if let team = event.teamID { data["team_id"] = .string(team) }
        return JSONValue.object([
            "id": .string(event.id), "type": .string(event.type),
            "timestamp": .string(TimestampFormat.string(event.time)), "data": .object(data),
        ]).jsonText
    }
}
