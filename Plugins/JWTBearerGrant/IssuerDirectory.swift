import Logging
import MachineAuthCore

/// The trusted issuers, by their `iss`: those declared in the stage's YAML and those made
/// through the API. Stored issuers are read once and then kept in memory until the store
/// announces a change (``StorageChange/trustedIssuersChanged``), so a grant reads no storage.
/// A stored issuer whose URL a declared one has is ignored (the YAML wins, with a warning).
actor IssuerDirectory {
    let declared: [String: TrustedIssuer]
    let store: any TrustedIssuerStore
    let logger: Logger
    private var stored: [String: TrustedIssuer]?
    /// Counts invalidations, so a load that began before the latest one is not kept.
    private var generation = 0

    init(declared: [TrustedIssuer], store: any TrustedIssuerStore, logger: Logger) {
        self.declared = Dictionary(declared.map { ($0.issuer, $0) }) { first, _ in first }
        self.store = store
        self.logger = logger
    }

    /// The trusted issuer whose tokens name `iss`, if any.
    func issuer(named iss: String) async throws -> TrustedIssuer? {
        if let issuer = declared[iss] { return issuer }
        return try await storedIssuers()[iss]
    }

    /// Forgets the stored issuers; the next lookup reads them again.
    func invalidate() {
        stored = nil
        generation += 1
    }

    private func storedIssuers() async throws -> [String: TrustedIssuer] {
        if let stored { return stored }
        let started = generation
        var loaded: [String: TrustedIssuer] = [:]
        for issuer in try await store.listTrustedIssuers() {
            if declared[issuer.issuer] != nil {
                logger.warning("trusted issuer \(issuer.id) (\(issuer.issuer)) is ignored: the jwt_bearer YAML declares that issuer")
                continue
            }
            loaded[issuer.issuer] = issuer
        }
        // A change announced while the list was read may not be in it: use it once, keep nothing.
        if generation == started { stored = loaded }
        return loaded
    }

    /// Follows `feed` for as long as the directory exists, invalidating on every issuer change.
    nonisolated func follow(_ feed: any ChangeFeed) {
        Task { [weak self] in
            for await change in feed.changes() where change == .trustedIssuersChanged || change == .resynchronize {
                guard let self else { return }
                await self.invalidate()
            }
        }
    }
}
