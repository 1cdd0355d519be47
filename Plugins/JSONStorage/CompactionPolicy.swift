import Foundation
import MachineAuthCore

/// What a compaction leaves out of the snapshot (and then forgets in memory), so the store
/// follows live data rather than everything ever written: refresh tokens and revocations
/// past their token's expiry, and finished webhook deliveries past their retention.
///
/// ```swift
/// let policy = CompactionPolicy(now: Date(), expiryMargin: 30, deliveryRetention: 7 * 86400)
/// policy.drops(token)   // expired more than 30 s ago
/// ```
struct CompactionPolicy: Sendable {
    /// Anything that expired before this is dropped.
    var expiredBefore: Date
    /// Finished deliveries whose last attempt was before this are dropped.
    var deliveredBefore: Date

    /// - Parameters:
    ///   - expiryMargin: how long past its expiry a token is kept (the validators' clock skew,
    ///     as the server's expiry purge reports it).
    ///   - deliveryRetention: how long finished deliveries stay in the history.
    init(now: Date, expiryMargin: TimeInterval, deliveryRetention: TimeInterval) {
        expiredBefore = now.addingTimeInterval(-max(0, expiryMargin))
        deliveredBefore = now.addingTimeInterval(-max(0, deliveryRetention))
    }

    func drops(_ token: RefreshTokenRecord) -> Bool {
        token.expiresAt < expiredBefore
    }

    func drops(_ revocation: RevokedAccessToken) -> Bool {
        revocation.expiresAt < expiredBefore
    }

    func drops(_ identifier: UsedIdentifier) -> Bool {
        identifier.expiresAt < expiredBefore
    }

    func drops(_ delivery: WebhookDelivery) -> Bool {
        delivery.status.isFinal && (delivery.lastAttemptAt ?? delivery.createdAt) < deliveredBefore
    }

    /// Keys of the rows a snapshot left out.
    struct Dropped: Sendable {
        var refreshTokens: [String] = []
        var revokedTokens: [String] = []
        var usedIdentifiers: [String] = []
        var deliveries: [String] = []
    }

    /// Forgets the dropped rows in memory, unless one was written again since (without journaling:
    /// the snapshot already leaves them out, and a replay that brings one back brings back a dead row).
    func forget(_ dropped: Dropped, in state: inout JSONStoreState) {
        for key in dropped.refreshTokens where state.refreshTokens[key].map(drops) == true { state.refreshTokens.restore(key, nil) }
        for key in dropped.revokedTokens where state.revokedTokens[key].map(drops) == true { state.revokedTokens.restore(key, nil) }
        for key in dropped.usedIdentifiers where state.usedIdentifiers[key].map(drops) == true { state.usedIdentifiers.restore(key, nil) }
        for key in dropped.deliveries where state.deliveries[key].map(drops) == true { state.deliveries.restore(key, nil) }
    }
}
