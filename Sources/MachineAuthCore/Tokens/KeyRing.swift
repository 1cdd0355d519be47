import Synchronization
public import Foundation

/// The signing keys, held in memory: the active key signs, every published key verifies.
///
/// Keys live in storage so every instance signs with and publishes the same ring; a key is
/// generated on first start, rotated on demand, and a retired key stays in the JWKS until
/// every token it signed has expired.
public final class KeyRing: Sendable {
    struct Snapshot: Sendable {
        var active: SigningKey
        var verifiers: [String: VerificationKey]
        var jwks: String
    }

    private let store: any SigningKeyStore
    private let settings: TokenSettings
    private let snapshot = Mutex<Snapshot?>(nil)

    public init(store: any SigningKeyStore, settings: TokenSettings) {
        self.store = store
        self.settings = settings
    }

    /// Loads the ring, creating the first key if there is none, and switching to a new key
    /// when the configured algorithm differs from the active key's.
    public func load(now: Date = Date()) async throws {
        var records = try await store.signingKeys()
        if !records.contains(where: \.isActive) {
            let first = try SigningKey.generate(settings.algorithm, kid: settings.keyID).record(createdAt: now)
            records = try await store.insertFirstSigningKey(first)
        }
        if let active = records.first(where: \.isActive), active.algorithm != settings.algorithm {
            records = try await rotatedRecords(now: now)
        }
        try install(records, now: now)
    }

    /// Re-reads the ring from storage (another instance rotated it).
    public func reload(now: Date = Date()) async throws {
        try install(try await store.signingKeys(), now: now)
    }

    /// Replaces the active key with a new one; returns the new `kid`.
    @discardableResult public func rotate(now: Date = Date()) async throws -> String {
        let records = try await rotatedRecords(now: now)
        try install(records, now: now)
        return records.first(where: \.isActive)!.kid
    }

    private func rotatedRecords(now: Date) async throws -> [SigningKeyRecord] {
        let kid = "key-\(Int(now.timeIntervalSince1970))-\(RandomToken.hex(bytes: 3))"
        let fresh = try SigningKey.generate(settings.algorithm, kid: kid).record(createdAt: now)
        let until = now.addingTimeInterval(TimeInterval(settings.accessTokenTTL.seconds + settings.clockSkew.seconds + 60))
        return try await store.rotateSigningKey(to: fresh, publishRetiredUntil: until)
    }

    private func install(_ records: [SigningKeyRecord], now: Date) throws {
        guard let activeRecord = records.first(where: \.isActive) else {
            throw StorageError.corrupt("the key ring has no active signing key")
        }
        let active = try SigningKey(record: activeRecord)
        var verifiers: [String: VerificationKey] = [:]
        for record in records where record.isActive || (record.publishUntil.map { $0 > now } ?? false) {
            verifiers[record.kid] = record.kid == active.kid ? active.verificationKey : try SigningKey(record: record).verificationKey
        }
        let keys = verifiers.values.sorted { $0.kid == active.kid || ($1.kid != active.kid && $0.kid < $1.kid) }
        let jwks = JSONValue.object(["keys": .array(keys.map { .object($0.jwk) })]).jsonText
        snapshot.withLock { $0 = Snapshot(active: active, verifiers: verifiers, jwks: jwks) }
    }

    private var current: Snapshot {
        get throws {
            guard let loaded = snapshot.withLock({ $0 }) else { throw StorageError.unavailable("the key ring is not loaded") }
            return loaded
        }
    }

    /// The key that signs new tokens.
    public var signingKey: SigningKey { get throws { try current.active } }

    /// The published key with this `kid`, if any.
    public func verificationKey(kid: String) -> VerificationKey? {
        snapshot.withLock { $0?.verifiers[kid] }
    }

    /// The JWKS document (RFC 7517) as JSON text.
    public var jwksDocument: String { get throws { try current.jwks } }

    /// The algorithms of the published keys.
    public var publishedAlgorithms: [String] {
        Array(Set(snapshot.withLock { $0?.verifiers.values.map(\.algorithm.rawValue) ?? [] })).sorted()
    }
}
