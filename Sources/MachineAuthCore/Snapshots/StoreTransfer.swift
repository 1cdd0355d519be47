public import Foundation

/// Restoring a snapshot into a store, the one place `restore` and `migrate-store` share: refuses
/// a store that already holds objects unless merging, merges without overwriting, writes in one
/// transaction, and verifies the counts afterwards.
public struct StoreTransfer: Sendable {
    public let target: any Storage
    public let now: @Sendable () -> Date

    public init(target: any Storage, now: @escaping @Sendable () -> Date = { Date() }) {
        self.target = target
        self.now = now
    }

    /// What a restore wrote and what it left alone.
    public struct Report: Sendable {
        /// Objects written, by kind.
        public var written: SnapshotCounts
        /// Objects of the snapshot the target already had (same id), kept as they were (merge only).
        public var skipped: SnapshotCounts
        /// The target's counts afterwards.
        public var after: SnapshotCounts
    }

    /// Restores `snapshot`. Without `merge` the target must hold no objects; its generated
    /// signing keys and settings are replaced by the snapshot's. With `merge` objects whose
    /// id the target has are skipped, a setting with another value is refused (the agents'
    /// secret hashes depend on the secret-hashing key), and the snapshot's signing keys are
    /// added retired, published until `publishRetiredUntil`, so its tokens keep verifying.
    ///
    /// A snapshot with problems (``StoreSnapshot/problems()``) is refused before anything is
    /// written. Replacing a secret-hashing key the target already has needs `replaceHashKey`:
    /// servers running on the target keep the key they loaded, so they must be stopped first.
    public func restore(_ snapshot: StoreSnapshot, merge: Bool, replaceHashKey: Bool = false, publishRetiredUntil: Date) async throws -> Report {
        let problems = snapshot.problems()
        guard problems.isEmpty else {
            throw StorageError(.invalid, "the snapshot is not sound, nothing was written: "
                + problems.prefix(5).joined(separator: "; ") + (problems.count > 5 ? "; … (\(problems.count) problems)" : ""))
        }
        let snapshot = snapshot.live(at: now())
        let existing = try await target.snapshot()
        if !merge, existing.holdsObjects {
            throw StorageError.conflict("\(target.summary) already holds objects (\(existing.counts)); restore into an empty store, or pass --merge to add to it")
        }
        let hashKey = SecretHasher.settingName
        if !merge, !replaceHashKey, let theirs = snapshot.settings[hashKey], let ours = existing.settings[hashKey], theirs != ours {
            throw StorageError.conflict(
                "\(target.summary) has its own \(hashKey) (a server has started on it) and the snapshot brings another; servers keep the key they loaded, "
                + "so stop every server that uses the target, then pass --replace-hash-key")
        }
        let toWrite = merge ? try Self.additions(of: snapshot, to: existing, retiringAt: now(), publishUntil: publishRetiredUntil) : snapshot
        try await target.load(toWrite, replacingKeysAndSettings: !merge)
        let after = try await target.snapshot().counts
        let written = toWrite.counts
        var skipped: [String: Int] = [:]
        for kind in SnapshotCounts.order { skipped[kind] = snapshot.counts[kind] - written[kind] }
        for kind in SnapshotCounts.order {
            let expected = merge ? existing.counts[kind] + written[kind] : written[kind]
            if kind == "settings" && !merge { continue }
            guard after[kind] == expected else {
                throw StorageError.unavailable(
                    "the restore was written, but verification failed: \(target.summary) holds \(after[kind]) \(kind), expected \(expected)")
            }
        }
        return Report(written: written, skipped: SnapshotCounts(values: skipped), after: after)
    }

    /// The objects of `snapshot` that `existing` does not have, by id.
    static func additions(of snapshot: StoreSnapshot, to existing: StoreSnapshot, retiringAt time: Date, publishUntil: Date) throws -> StoreSnapshot {
        for (name, value) in snapshot.settings {
            if let current = existing.settings[name], current != value {
                throw StorageError.conflict("setting \(name) differs between the snapshot and the target; secrets hashed with one would not verify with the other, so these stores cannot be merged (restore into an empty store)")
            }
        }
        func missing<T>(_ items: [T], _ present: [T], _ key: (T) -> String) -> [T] {
            let known = Set(present.map(key))
            return items.filter { !known.contains(key($0)) }
        }
        var additions = StoreSnapshot(createdAt: snapshot.createdAt)
        additions.settings = snapshot.settings.filter { existing.settings[$0.key] == nil }
        additions.signingKeys = missing(snapshot.signingKeys, existing.signingKeys, \.kid).map { key in
            var retired = key
            if retired.retiredAt == nil { retired.retiredAt = time }
            retired.publishUntil = max(retired.publishUntil ?? publishUntil, publishUntil)
            return retired
        }
        additions.organizations = missing(snapshot.organizations, existing.organizations, \.id)
        additions.teams = missing(snapshot.teams, existing.teams, \.id)
        additions.agents = missing(snapshot.agents, existing.agents, \.id)
        additions.apiKeys = missing(snapshot.apiKeys, existing.apiKeys, \.id)
        additions.users = missing(snapshot.users, existing.users, \.id)
        additions.webhooks = missing(snapshot.webhooks, existing.webhooks, \.id)
        additions.deliveries = missing(snapshot.deliveries, existing.deliveries, \.id)
        additions.trustedIssuers = missing(snapshot.trustedIssuers, existing.trustedIssuers, \.id)
        additions.refreshTokens = missing(snapshot.refreshTokens, existing.refreshTokens, \.hash)
        additions.revokedAccessTokens = missing(snapshot.revokedAccessTokens, existing.revokedAccessTokens, \.jti)
        additions.auditRecords = missing(snapshot.auditRecords, existing.auditRecords, \.id)
        return additions
    }
}
