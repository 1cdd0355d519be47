/// Tells every notifier stage about a domain event, in configuration order.
public struct EventBus: Sendable {
    let notifiers: [any Notifier]

    public init(notifiers: [any Notifier]) {
        self.notifiers = notifiers
    }

    public func publish(_ event: DomainEvent) async {
        await publish([event])
    }

    /// Events of one operation, handed to each notifier together so it can record them in one write.
    public func publish(_ events: [DomainEvent]) async {
        guard !events.isEmpty else { return }
        for notifier in notifiers {
            await notifier.notify(events)
        }
    }
}
