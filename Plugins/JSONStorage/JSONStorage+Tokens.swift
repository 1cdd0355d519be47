import MachineAuthCore
import Foundation

extension JSONStorage {
    public func insertRefreshToken(_ record: RefreshTokenRecord) async throws {
        try await commit { state in
            guard state.refreshTokens[record.hash] == nil else { throw StorageError.conflict("refresh token exists") }
            state.refreshTokens[record.hash] = record
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
            state.refreshTokens.values.filter { matches($0) && $0.revokedAt == nil }.map(\.hash)
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

    public func revokeAccessToken(_ token: RevokedAccessToken) async throws {
        try await commit { $0.revokedTokens[token.jti] = token }
    }

    public func revokedAccessTokens() async throws -> [RevokedAccessToken] {
        read { Array($0.revokedTokens.values) }
    }

    public func purgeExpiredTokens(before time: Date) async throws {
        let stale = read { state in
            state.revokedTokens.values.contains { $0.expiresAt < time } || state.refreshTokens.values.contains { $0.expiresAt < time }
        }
        guard stale else { return }
        try await commit { state in
            state.revokedTokens = state.revokedTokens.filter { $0.value.expiresAt >= time }
            state.refreshTokens = state.refreshTokens.filter { $0.value.expiresAt >= time }
        }
    }
}
