import Foundation
import Synchronization

/// Counts failures per key (a client id, an address, an e-mail) in a fixed window and
/// says how long a key must wait once it reached the limit.
public final class FailureLimiter: Sendable {
    struct Window {
        var start: Date
        var failures: Int
    }

    private let limit: Int
    private let window: TimeInterval
    private let windows = Mutex<[String: Window]>([:])

    public init(limit: Int, window: TimeInterval) {
        self.limit = limit
        self.window = window
    }

    /// Seconds to wait before `key` may try again, or `nil` when it may try now.
    public func retryAfter(_ key: String, at now: Date) -> Int? {
        windows.withLock { windows in
            guard let current = windows[key] else { return nil }
            let end = current.start.addingTimeInterval(window)
            if end <= now {
                windows[key] = nil
                return nil
            }
            return current.failures >= limit ? max(1, Int(end.timeIntervalSince(now).rounded(.up))) : nil
        }
    }

    public func recordFailure(_ key: String, at now: Date) {
        windows.withLock { windows in
            if let current = windows[key], current.start.addingTimeInterval(window) > now {
                windows[key]?.failures += 1
            } else {
                windows[key] = Window(start: now, failures: 1)
            }
            if windows.count > 100_000 {
                windows = windows.filter { $0.value.start.addingTimeInterval(self.window) > now }
            }
        }
    }

    public func reset(_ key: String) {
        windows.withLock { $0[key] = nil }
    }
}
