import Foundation
import Synchronization

/// Tokens whose signature and structure were already checked, so a token presented again
/// (agents reuse one token for many calls) skips parsing and signature verification. Only
/// the immutable part is cached: expiry, revocation and agent state are checked on every use.
/// Bounded; entries are dropped when the key ring changes.
final class VerifiedTokenCache: Sendable {
    struct Entry: Sendable {
        var claims: [String: JSONValue]
        var kid: String
    }

    private let entries = Mutex<[String: Entry]>([:])
    private let capacity: Int

    init(capacity: Int = 10_000) {
        self.capacity = capacity
    }

    func entry(_ token: String) -> Entry? {
        entries.withLock { $0[token] }
    }

    func store(_ token: String, _ entry: Entry) {
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[token] = entry
        }
    }
}
