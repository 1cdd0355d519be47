public import Foundation
import Logging
public import MachineAuthCore
import PostgresNIO

extension PostgresStorage {
    /// Serializes key-ring changes across instances.
    static let keyRingLock: Int64 = 0x6d61_6b65_7972_696e

    func signingKeys(on connection: PostgresConnection) async throws -> [SigningKeyRecord] {
        var keys: [SigningKeyRecord] = []
        let rows = try await connection.query(
            "SELECT kid, algorithm, private_key, created_at, retired_at, publish_until FROM signing_keys ORDER BY created_at, kid", logger: logger)
        for try await (kid, algorithm, privateKey, created, retired, until) in rows.decode((String, String, String, Date, Date?, Date?).self) {
            guard let parsed = SigningAlgorithm(rawValue: algorithm) else { throw StorageError.corrupt("signing key \(kid) has unknown algorithm \(algorithm)") }
            keys.append(SigningKeyRecord(kid: kid, algorithm: parsed, privateKey: privateKey, createdAt: created, retiredAt: retired, publishUntil: until))
        }
        return keys
    }

    private func insert(_ key: SigningKeyRecord, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            INSERT INTO signing_keys (kid, algorithm, private_key, created_at, retired_at, publish_until)
            VALUES (\(key.kid), \(key.algorithm.rawValue), \(key.privateKey), \(key.createdAt), \(key.retiredAt), \(key.publishUntil))
            """, logger: logger)
    }

    public func signingKeys() async throws -> [SigningKeyRecord] {
        try await mapped { [self] in try await client.withConnection { try await signingKeys(on: $0) } }
    }

    public func insertFirstSigningKey(_ candidate: SigningKeyRecord) async throws -> [SigningKeyRecord] {
        try await mapped { [self] in
            try await client.withTransaction(logger: logger) { connection in
                try await connection.query("SELECT pg_advisory_xact_lock(\(Self.keyRingLock))", logger: logger)
                let existing = try await signingKeys(on: connection)
                guard !existing.contains(where: \.isActive) else { return existing }
                try await insert(candidate, on: connection)
                try await notify("keys", on: connection)
                return try await signingKeys(on: connection)
            }
        }
    }

    public func rotateSigningKey(to newKey: SigningKeyRecord, publishRetiredUntil: Date) async throws -> [SigningKeyRecord] {
        try await mapped { [self] in
            try await client.withTransaction(logger: logger) { connection in
                try await connection.query("SELECT pg_advisory_xact_lock(\(Self.keyRingLock))", logger: logger)
                let now = newKey.createdAt
                try await connection.query(
                    "UPDATE signing_keys SET retired_at = \(now), publish_until = \(publishRetiredUntil) WHERE retired_at IS NULL", logger: logger)
                try await connection.query("DELETE FROM signing_keys WHERE publish_until <= \(now)", logger: logger)
                try await insert(newKey, on: connection)
                try await notify("keys", on: connection)
                return try await signingKeys(on: connection)
            }
        }
    }
}

extension PostgresStorage {
    /// A session advisory lock held on one connection while `body` runs on others.
    public func withExclusiveLock<T: Sendable>(_ name: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        do {
            return try await client.withConnection { connection in
                try await connection.query("SELECT pg_advisory_lock(hashtext(\(name)))", logger: logger)
                do {
                    let value = try await body()
                    try await connection.query("SELECT pg_advisory_unlock(hashtext(\(name)))", logger: logger)
                    return value
                } catch {
                    _ = try? await connection.query("SELECT pg_advisory_unlock(hashtext(\(name)))", logger: logger)
                    throw error
                }
            }
        } catch {
            throw Self.storageError(error)
        }
    }
}
