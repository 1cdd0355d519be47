public import MachineAuthCore
import Synchronization

/// A notifier that remembers every event, and how they were grouped, for assertions.
public final class RecordingNotifier: Notifier {
    private let recorded = Mutex<[[DomainEvent]]>([])

    public init() {}

    public func notify(_ events: [DomainEvent]) async {
        recorded.withLock { $0.append(events) }
    }

    public var events: [DomainEvent] { recorded.withLock { $0.flatMap { $0 } } }

    /// The events of each `notify` call, in order.
    public var batches: [[DomainEvent]] { recorded.withLock { $0 } }

    public func types() -> [String] { events.map(\.type) }
}
