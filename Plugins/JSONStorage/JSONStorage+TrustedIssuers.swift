public import Foundation
public import MachineAuthCore

/// Trusted issuers (workload identity federation) in the JSON store: one journaled table,
/// unique by id and by `issuer` URL. A JSON store has no other instances, so its own changes
/// are what its ``ChangeFeed`` announces (``StorageChange/trustedIssuersChanged``): the
/// `jwt_bearer` grant reloads its list from them.
extension JSONStorage {
    public func insertTrustedIssuer(_ issuer: TrustedIssuer) async throws {
        try await commit { state in
            guard state.trustedIssuers[issuer.id] == nil else { throw StorageError.conflict("trusted issuer \(issuer.id) exists") }
            try Self.checkIssuerURLFree(issuer, in: state)
            state.trustedIssuers[issuer.id] = issuer
        }
        feed.send(.trustedIssuersChanged)
    }

    public func trustedIssuer(id: String) async throws -> TrustedIssuer? {
        read { $0.trustedIssuers[id] }
    }

    public func updateTrustedIssuer(id: String, _ change: @escaping @Sendable (inout TrustedIssuer) throws -> Void) async throws -> TrustedIssuer? {
        let updated = try await commit { state -> TrustedIssuer? in
            guard var issuer = state.trustedIssuers[id] else { return nil }
            try change(&issuer)
            issuer.id = id
            try Self.checkIssuerURLFree(issuer, in: state)
            state.trustedIssuers[id] = issuer
            return issuer
        }
        if updated != nil { feed.send(.trustedIssuersChanged) }
        return updated
    }

    public func deleteTrustedIssuer(id: String) async throws -> TrustedIssuer? {
        let removed = try await commit { state in state.trustedIssuers.removeValue(forKey: id) }
        if removed != nil { feed.send(.trustedIssuersChanged) }
        return removed
    }

    public func listTrustedIssuers() async throws -> [TrustedIssuer] {
        read { state in Self.creationOrder(Array(state.trustedIssuers)) }
    }

    /// Issuers by creation time, then id (an issuer without a time first).
    static func creationOrder(_ issuers: [TrustedIssuer]) -> [TrustedIssuer] {
        issuers.sorted { ($0.createdAt ?? .distantPast, $0.id) < ($1.createdAt ?? .distantPast, $1.id) }
    }

    /// A conflict when another issuer has `issuer`'s URL (the grant finds issuers by it).
    static func checkIssuerURLFree(_ issuer: TrustedIssuer, in state: borrowing JSONStoreState) throws {
        if let other = state.trustedIssuers.first(where: { $0.issuer == issuer.issuer && $0.id != issuer.id }) {
            throw StorageError.conflict("trusted issuer \(other.id) already has issuer \(issuer.issuer)")
        }
    }
}
