public import Foundation
import Synchronization

/// A clock tests move by hand.
public final class ManualClock: Sendable {
    private let current: Mutex<Date>

    public init(_ start: Date = Date()) {
        current = Mutex(start)
    }

    public var now: Date { current.withLock { $0 } }

    public func advance(_ seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }

    /// A closure for `now:` parameters.
    public var source: @Sendable () -> Date { { self.now } }
}
