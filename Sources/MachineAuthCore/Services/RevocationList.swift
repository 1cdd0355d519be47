public import Foundation
import Synchronization

/// The access-token denylist in memory (`jti` → expiry), loaded from storage at start and
/// kept in step with it, so validation never touches the disk.
public final class RevocationList: Sendable {
    private let entries = Mutex<[String: Date]>([:])

    public init() {}

    /// Replaces the list with what storage holds.
    public func load(from store: any TokenStore) async throws {
        let revoked = try await store.revokedAccessTokens()
        entries.withLock { entries in
            entries = Dictionary(revoked.map { ($0.jti, $0.expiresAt) }, uniquingKeysWith: { max($0, $1) })
        }
    }

    public func contains(_ jti: String) -> Bool {
        entries.withLock { $0[jti] != nil }
    }

    public func insert(_ token: RevokedAccessToken) {
        entries.withLock { $0[token.jti] = token.expiresAt }
    }

    /// Drops entries for tokens that have expired anyway.
    public func purge(before time: Date) {
        entries.withLock { entries in entries = entries.filter { $0.value >= time } }
    }

    public var count: Int { entries.withLock { $0.count } }
}
