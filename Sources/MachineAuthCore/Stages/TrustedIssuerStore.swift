/// Outside token issuers trusted for workload identity federation, made through the API
/// (issuers declared in YAML are not stored). Every change is announced on the ``ChangeFeed``
/// as ``StorageChange/trustedIssuersChanged``.
public protocol TrustedIssuerStore: Sendable {
    /// Stores a new issuer; ``StorageError/conflict(_:)`` when its id or its `issuer` URL exists.
    func insertTrustedIssuer(_ issuer: TrustedIssuer) async throws
    func trustedIssuer(id: String) async throws -> TrustedIssuer?
    /// Applies `change` atomically; `nil` when there is no such issuer. A change to an `issuer`
    /// URL another issuer has is a ``StorageError/conflict(_:)``.
    func updateTrustedIssuer(id: String, _ change: @escaping @Sendable (inout TrustedIssuer) throws -> Void) async throws -> TrustedIssuer?
    func deleteTrustedIssuer(id: String) async throws -> TrustedIssuer?
    /// Every stored issuer, ordered by creation.
    func listTrustedIssuers() async throws -> [TrustedIssuer]
}
