public import Foundation

/// Creates and changes the trusted issuers of workload identity federation through the API,
/// free of HTTP: assigns ids (`tis_…`) and times, checks every field
/// (``TrustedIssuer/problems(allowHTTP:)``), stores, and publishes `trusted_issuer.*` events. The
/// store announces each change, so every instance's `jwt_bearer` grant reloads its list.
///
/// ```swift
/// let issuer = try await service.create(["issuer": "https://token.actions.githubusercontent.com", "preset": "github_actions",
///                                        "rules": [["subject": "repo:acme/deploy:*", "agent": "cid_…"]]], by: attribution)
/// ```
public struct TrustedIssuerService: Sendable {
    let store: any TrustedIssuerStore
    let events: EventBus
    /// Whether `http` issuer and `jwks_uri` URLs are accepted. The composition passes
    /// `security.allow_insecure_issuers` — the setting the `jwt_bearer` grant applies to the
    /// issuers of its YAML — so the API accepts exactly what the grant would (development and tests only).
    let allowHTTP: Bool
    let now: @Sendable () -> Date

    public init(store: any TrustedIssuerStore, events: EventBus, allowHTTP: Bool = false, now: @escaping @Sendable () -> Date) {
        self.store = store
        self.events = events
        self.allowHTTP = allowHTTP
        self.now = now
    }

    /// Every issuer made through the API, oldest first.
    public func list() async throws -> [TrustedIssuer] {
        try await store.listTrustedIssuers()
    }

    public func issuer(id: String) async throws -> TrustedIssuer? {
        try await store.trustedIssuer(id: id)
    }

    /// A new issuer from `fields` (its JSON shape; `issuer` and `rules` required). A problem
    /// is a ``ValidationError`` naming the field; an `issuer` URL already trusted is a conflict.
    public func create(_ fields: [String: JSONValue], by attribution: Attribution) async throws -> TrustedIssuer {
        for required in ["issuer", "rules"] where fields[required] == nil || fields[required] == .null {
            throw ValidationError(required, "is required")
        }
        let time = now()
        var issuer = TrustedIssuer(id: RandomToken.hex(prefix: "tis_", bytes: 12), issuer: "", rules: [], createdAt: time)
        try issuer.apply(fields)
        try check(issuer)
        try await store.insertTrustedIssuer(issuer)
        await publish("trusted_issuer.created", issuer, attribution, time)
        return issuer
    }

    /// Changes the members `changes` names (`null` removes an optional one), atomically: the
    /// whole result is checked before it is stored. `nil` when there is no such issuer.
    public func update(id: String, _ changes: [String: JSONValue], by attribution: Attribution) async throws -> TrustedIssuer? {
        let time = now()
        let allowHTTP = allowHTTP
        var probe = TrustedIssuer(id: id, issuer: "", rules: [])
        try probe.apply(changes)  // wrong types and unknown members, before the store is touched
        guard let updated = try await store.updateTrustedIssuer(id: id, { stored in
            var changed = stored
            try changed.apply(changes)
            changed.updatedAt = time
            if let problem = changed.problems(allowHTTP: allowHTTP).first { throw problem }
            stored = changed
        }) else { return nil }
        await publish("trusted_issuer.updated", updated, attribution, time, changed: changes.keys.sorted())
        return updated
    }

    /// Removes the issuer; its tokens are no longer accepted. `nil` when there is no such issuer.
    public func delete(id: String, by attribution: Attribution) async throws -> TrustedIssuer? {
        guard let removed = try await store.deleteTrustedIssuer(id: id) else { return nil }
        await publish("trusted_issuer.deleted", removed, attribution, now())
        return removed
    }

    func check(_ issuer: TrustedIssuer) throws(ValidationError) {
        if let problem = issuer.problems(allowHTTP: allowHTTP).first { throw problem }
    }

    private func publish(_ type: String, _ issuer: TrustedIssuer, _ attribution: Attribution, _ time: Date, changed: [String]? = nil) async {
        var data: [String: JSONValue] = ["issuer": .string(issuer.issuer), "rules": .int(issuer.rules.count)]
        if let preset = issuer.preset { data["preset"] = .string(preset.rawValue) }
        if let name = issuer.name { data["name"] = .string(name) }
        if let changed { data["changed"] = .array(changed.map(JSONValue.string)) }
        await events.publish([DomainEvent(type: type, time: time, actor: attribution.actor, target: EventTarget(kind: "trusted_issuer", id: issuer.id),
                                          data: data, origin: attribution.origin)])
    }
}
