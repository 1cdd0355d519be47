public import Foundation
public import MachineAuthCore
import Synchronization

extension JSONStorage {
    public func insertRefreshToken(_ record: RefreshTokenRecord) async throws {
        try await commit { state in
            guard state.refreshTokens[record.hash] == nil else { throw StorageError.conflict("refresh token exists") }
            state.insertRefreshToken(record)
        }
    }

    public func useRefreshToken(hash: String, at time: Date) async throws -> RefreshTokenUse {
        let peek = read { $0.refreshTokens[hash] }
        guard let peek else { return .unknown }
        if peek.usedAt != nil || peek.revokedAt != nil { return .replayed(peek) }
        return try await commit { state -> RefreshTokenUse in
            guard var record = state.refreshTokens[hash] else { return .unknown }
            guard record.usedAt == nil, record.revokedAt == nil else { return .replayed(record) }
            record.usedAt = time
            state.refreshTokens[hash] = record
            return .fresh(record)
        }
    }

    public func refreshToken(hash: String) async throws -> RefreshTokenRecord? {
        read { $0.refreshTokens[hash] }
    }

    public func revokeRefreshFamily(_ familyID: String, at time: Date) async throws -> Int {
        try await revokeRefreshTokens(at: time) { $0.familyID == familyID }
    }

    public func revokeRefreshTokens(agentID: String, at time: Date) async throws -> Int {
        try await revokeRefreshTokens(at: time) { $0.agentID == agentID }
    }

    private func revokeRefreshTokens(at time: Date, where matches: @escaping (RefreshTokenRecord) -> Bool) async throws -> Int {
        let live = read { state in
            state.refreshTokens.filter { matches($0) && $0.revokedAt == nil }.map(\.hash)
        }
        guard !live.isEmpty else { return 0 }
        return try await commit { state -> Int in
            var count = 0
            for hash in live where state.refreshTokens[hash]?.revokedAt == nil {
                state.refreshTokens[hash]?.revokedAt = time
                count += 1
            }
            return count
        }
    }

    public func recordFirstUse(_ key: String, until expiresAt: Date, at time: Date) async throws -> Bool {
        if let earlier = read({ $0.usedIdentifiers[key] }), earlier.expiresAt >= time { return false }
        return try await commit { state -> Bool in
            if let earlier = state.usedIdentifiers[key], earlier.expiresAt >= time { return false }
            state.usedIdentifiers[key] = UsedIdentifier(key: key, expiresAt: expiresAt)
            return true
        }
    }

    public func revokeAccessToken(_ token: RevokedAccessToken) async throws {
        try await commit { $0.revokedTokens[token.jti] = token }
    }

    public func revokedAccessTokens() async throws -> [RevokedAccessToken] {
        read { Array($0.revokedTokens) }
    }

    /// Forgets what expired in memory; the next compaction leaves it out of the store file (a
    /// replay after a crash may bring such a row back until the next purge, harmlessly: it is
    /// expired). The margin `before` leaves (the validators' clock skew) is kept for compactions.
    public func purgeExpiredTokens(before time: Date) async throws {
        expiryMargin.withLock { $0 = max(0, Date().timeIntervalSince(time)) }
        cell.core.withLock { core in
            let policy = CompactionPolicy(now: time, expiryMargin: 0, deliveryRetention: deliveryRetention)
            var dropped = CompactionPolicy.Dropped()
            dropped.refreshTokens = core.state.refreshTokens.filter(policy.drops).map(\.hash)
            dropped.revokedTokens = core.state.revokedTokens.filter(policy.drops).map(\.jti)
            dropped.usedIdentifiers = core.state.usedIdentifiers.filter(policy.drops).map(\.key)
            policy.forget(dropped, in: &core.state)
        }
    }
}
