import MachineAuthCore
import Synchronization

/// A notifier that remembers every event, for assertions.
public final class RecordingNotifier: Notifier {
    private let recorded = Mutex<[DomainEvent]>([])

    public init() {}

    public func notify(_ event: DomainEvent) async {
        recorded.withLock { $0.append(event) }
    }

    public var events: [DomainEvent] { recorded.withLock { $0 } }

    public func types() -> [String] { events.map(\.type) }
}
