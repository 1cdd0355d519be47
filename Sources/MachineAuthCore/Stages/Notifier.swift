/// A notifier stage: hears every domain event (agent created, token issued, …).
///
/// `notify` is awaited by the request that caused the event, so it must be quick: a
/// notifier that does slow work (HTTP deliveries) records the event durably and works in
/// the background.
public protocol Notifier: Sendable {
    /// Hears events that happened together (one operation's, such as an organization deleted
    /// with its agents), in order; a notifier that writes records them in one write.
    func notify(_ events: [DomainEvent]) async
    /// Background work (delivery workers, periodic flushes) until the task is cancelled.
    func run() async
    /// Flushes buffered work on shutdown.
    func shutdown() async
    /// The webhook deliveries this stage makes, if it makes any — declared, not found by casting.
    var webhooks: (any WebhookDispatcher)? { get }
}

extension Notifier {
    /// Hears one event.
    public func notify(_ event: DomainEvent) async {
        await notify([event])
    }

    public func run() async {}
    public func shutdown() async {}
    public var webhooks: (any WebhookDispatcher)? { nil }
}
