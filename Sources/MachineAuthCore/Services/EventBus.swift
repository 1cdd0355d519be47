/// Tells every notifier stage about a domain event, in configuration order.
public struct EventBus: Sendable {
    let notifiers: [any Notifier]

    public init(notifiers: [any Notifier]) {
        self.notifiers = notifiers
    }

    public func publish(_ event: DomainEvent) async {
        for notifier in notifiers {
            await notifier.notify(event)
        }
    }
}
