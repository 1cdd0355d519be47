public import Foundation
import Synchronization

/// Token issuance, refresh and failure counts per minute over the last day, in a fixed ring of
/// 1,440 buckets: recording is one locked increment, memory never grows, and reading a chart
/// walks at most one day of buckets — never the audit trail.
///
/// ```swift
/// let history = RateHistory()
/// history.record(.issued, at: Date())
/// let lastHour = history.series(minutes: 60, bucketMinutes: 1, now: Date())   // 60 buckets
/// ```
///
/// The counts are this instance's own since it started (other instances keep their own).
public final class RateHistory: Sendable {
    /// What a bucket counts.
    public enum Kind: Int, Sendable, CaseIterable {
        /// Access tokens issued for a new grant (client credentials, extension grants).
        case issued
        /// Access tokens issued for a refresh token.
        case refreshed
        /// Refused token requests.
        case failed
    }

    /// The longest span kept: one day of minutes.
    public static let capacity = 1440

    private struct Bucket {
        var minute = Int.min
        var counts = [0, 0, 0]
    }

    private let buckets = Mutex([Bucket](repeating: Bucket(), count: RateHistory.capacity))

    public init() {}

    /// Counts one event of `kind` in the minute of `time`.
    public func record(_ kind: Kind, at time: Date) {
        let minute = Self.minute(of: time)
        let slot = Self.slot(minute)
        buckets.withLock { buckets in
            if buckets[slot].minute != minute { buckets[slot] = Bucket(minute: minute) }
            buckets[slot].counts[kind.rawValue] += 1
        }
    }

    /// The last `minutes` minutes up to `now`, oldest first, summed into buckets of
    /// `bucketMinutes` (`minutes` is cut to one day and to a whole number of buckets).
    public func series(minutes: Int, bucketMinutes: Int, now: Date) -> [RateBucket] {
        let width = bucketMinutes.clamped(to: 1...Self.capacity)
        let count = (minutes.clamped(to: 1...Self.capacity) / width).clamped(to: 1...Self.capacity)
        let current = Self.minute(of: now)
        let first = current - count * width + 1
        return buckets.withLock { buckets in
            (0..<count).map { index in
                let start = first + index * width
                var counts = [0, 0, 0]
                for minute in start..<(start + width) where buckets[Self.slot(minute)].minute == minute {
                    for kind in 0..<3 { counts[kind] += buckets[Self.slot(minute)].counts[kind] }
                }
                return RateBucket(
                    start: Date(timeIntervalSince1970: TimeInterval(start) * 60), issued: counts[0], refreshed: counts[1], failed: counts[2])
            }
        }
    }

    static func minute(of time: Date) -> Int {
        let seconds = time.timeIntervalSince1970
        return seconds.isFinite ? Int((seconds / 60).rounded(.down).clamped(to: -1e15...1e15)) : 0
    }

    static func slot(_ minute: Int) -> Int {
        ((minute % capacity) + capacity) % capacity
    }
}

/// The counts of one span of a ``RateHistory`` series.
public struct RateBucket: Sendable, Hashable {
    /// The first minute of the span.
    public var start: Date
    public var issued: Int
    public var refreshed: Int
    public var failed: Int

    public init(start: Date, issued: Int, refreshed: Int, failed: Int) {
        self.start = start
        self.issued = issued
        self.refreshed = refreshed
        self.failed = failed
    }

    /// The count of `kind`.
    public func count(_ kind: RateHistory.Kind) -> Int {
        switch kind {
        case .issued: return issued
        case .refreshed: return refreshed
        case .failed: return failed
        }
    }
}
