public import Foundation
import Logging
public import MachineAuthCore
import PostgresNIO

/// Trusted issuers (workload identity federation) in `trusted_issuers`: the row is the JSON
/// record, with the id, the unique `issuer` URL and the creation time as columns. Every change
/// is announced (`issuers`) so every instance's `jwt_bearer` grant reloads its list.
extension PostgresStorage {
    public func insertTrustedIssuer(_ issuer: TrustedIssuer) async throws {
        try await mapped { [self] in
            try await client.withTransaction(logger: logger) { connection in
                try await connection.query(
                    "INSERT INTO trusted_issuers (id, issuer, created_at, record) VALUES (\(issuer.id), \(issuer.issuer), \(issuer.createdAt), \(try RecordCoding.encode(issuer))::jsonb)",
                    logger: logger)
                try await notify("issuers", on: connection)
            }
        }
    }

    public func trustedIssuer(id: String) async throws -> TrustedIssuer? {
        try await mapped { [self] in try await records(TrustedIssuer.self, "SELECT record::text FROM trusted_issuers WHERE id = \(id)").first }
    }

    public func updateTrustedIssuer(id: String, _ change: @escaping @Sendable (inout TrustedIssuer) throws -> Void) async throws -> TrustedIssuer? {
        try await mapped { [self] in
            try await client.withTransaction(logger: logger) { connection -> TrustedIssuer? in
                guard var issuer = try await records(TrustedIssuer.self, "SELECT record::text FROM trusted_issuers WHERE id = \(id) FOR UPDATE", on: connection).first
                else { return nil }
                try change(&issuer)
                issuer.id = id
                try await connection.query(
                    "UPDATE trusted_issuers SET issuer = \(issuer.issuer), record = \(try RecordCoding.encode(issuer))::jsonb WHERE id = \(id)", logger: logger)
                try await notify("issuers", on: connection)
                return issuer
            }
        }
    }

    public func deleteTrustedIssuer(id: String) async throws -> TrustedIssuer? {
        try await mapped { [self] in
            try await client.withTransaction(logger: logger) { connection -> TrustedIssuer? in
                let removed = try await records(TrustedIssuer.self, "DELETE FROM trusted_issuers WHERE id = \(id) RETURNING record::text", on: connection).first
                if removed != nil { try await notify("issuers", on: connection) }
                return removed
            }
        }
    }

    public func listTrustedIssuers() async throws -> [TrustedIssuer] {
        try await mapped { [self] in
            try await records(TrustedIssuer.self, "SELECT record::text FROM trusted_issuers ORDER BY created_at NULLS FIRST, id")
        }
    }
}
