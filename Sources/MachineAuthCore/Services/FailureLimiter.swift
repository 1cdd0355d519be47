public import Foundation
import Synchronization

/// Slows down guessing: counts failed attempts per key within a window and, once a key has
/// used its allowance, makes it wait — 1 s, then twice as long after each further failure,
/// up to ``maxDelay``. Keys pair the target with the address (``FailureKeys``), so nobody can
/// lock a client or an administrator out by failing in their name from somewhere else; and a
/// pair that succeeded within the last day is not held back by guesses for *other* targets
/// from its (perhaps shared, NATed) address.
public final class FailureLimiter: Sendable {
    struct Entry {
        var windowStart: Date
        var failures: Int
        var blockedUntil: Date?
    }

    /// The longest wait one key is given.
    public static let maxDelay: TimeInterval = 900

    private let limit: Int
    private let window: TimeInterval
    private let entries = Mutex<[String: Entry]>([:])
    /// Pairs (target at address) that succeeded, and when.
    private let proven = Mutex<[String: Date]>([:])
    static let provenFor: TimeInterval = 86_400

    /// `limit`: failures a key may have within `window` before it waits.
    public init(limit: Int, window: TimeInterval) {
        self.limit = limit.clamped(to: InputLimits.failureAllowance)
        self.window = window.clamped(to: 1...TimeInterval(InputLimits.maxLifetimeSeconds))
    }

    /// Seconds to wait before trying again under `keys`, or `nil` when an attempt may be made now.
    public func retryAfter(_ keys: FailureKeys, at now: Date) -> Int? {
        let names = isProven(keys, at: now) ? Array(keys.names.prefix(1)) : keys.names
        return entries.withLock { entries in
            names.compactMap { name -> Int? in
                guard let until = entries[name]?.blockedUntil, until > now else { return nil }
                return max(1, Int(until.timeIntervalSince(now).rounded(.up)))
            }.max()
        }
    }

    public func recordFailure(_ keys: FailureKeys, at now: Date) {
        entries.withLock { entries in
            for (name, factor) in keys.entries {
                var entry = entries[name] ?? Entry(windowStart: now, failures: 0)
                if entry.windowStart.addingTimeInterval(window) <= now, (entry.blockedUntil ?? now) <= now {
                    entry = Entry(windowStart: now, failures: 0)
                }
                entry.failures += 1
                let excess = entry.failures - limit * factor
                if excess >= 0 {
                    let delay = min(Self.maxDelay, Double(1 << min(excess, 20)))
                    entry.blockedUntil = now.addingTimeInterval(delay)
                }
                entries[name] = entry
            }
            if entries.count > 100_000 {
                entries = entries.filter { $0.value.windowStart.addingTimeInterval(window) > now || ($0.value.blockedUntil ?? now) > now }
            }
        }
    }

    /// A successful attempt forgets the failures of its most specific key (the target at this
    /// address) and remembers the pair as proven.
    public func recordSuccess(_ keys: FailureKeys, at now: Date) {
        guard let first = keys.names.first else { return }
        entries.withLock { $0[first] = nil }
        proven.withLock { proven in
            proven[first] = now
            if proven.count > 100_000 { proven = proven.filter { now.timeIntervalSince($0.value) < Self.provenFor } }
        }
    }

    private func isProven(_ keys: FailureKeys, at now: Date) -> Bool {
        guard let first = keys.names.first, let since = proven.withLock({ $0[first] }) else { return false }
        return now.timeIntervalSince(since) < Self.provenFor
    }
}

/// What one attempt counts against: the target at the caller's address (the allowance), and
/// the address alone with five times the allowance, so one address cannot spray many targets.
public struct FailureKeys: Sendable, Hashable {
    /// Key name and multiple of the limiter's allowance, most specific first. Names begin with the
    /// address (which has no spaces), so no client id or e-mail can collide with another key.
    public let entries: [(String, Int)]

    public var names: [String] { entries.map(\.0) }

    /// Where an attempt comes from: an IPv4 address, or the /64 of an IPv6 address (one
    /// subscriber's addresses usually share it; counting them one by one would let a guesser rotate).
    static func network(_ address: String?) -> String {
        guard let address else { return "-" }
        guard var bytes = IPAddressRange.parse(address), bytes.count == 16, bytes.prefix(12) != [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF] else {
            return address
        }
        for index in 8..<16 { bytes[index] = 0 }
        return bytes[0..<8].map { String($0, radix: 16) }.joined(separator: ":") + "::/64"
    }

    public static func == (lhs: FailureKeys, rhs: FailureKeys) -> Bool { lhs.names == rhs.names }
    public func hash(into hasher: inout Hasher) { hasher.combine(names) }

    /// An OAuth client authenticating from `address` (the client may be unknown).
    public static func client(_ clientID: String?, address: String?) -> FailureKeys {
        let place = network(address)
        return FailureKeys(entries: [("\(place) client \(clientID ?? "")", 1), ("\(place) clients", 5)])
    }

    /// An administrator signing in from `address`.
    public static func login(email: String, address: String?) -> FailureKeys {
        let place = network(address)
        return FailureKeys(entries: [("\(place) login \(email.lowercased())", 1), ("\(place) logins", 5)])
    }
}
