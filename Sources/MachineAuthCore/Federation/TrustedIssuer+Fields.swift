extension TrustedIssuer {
    /// The members of its JSON shape a caller may set (the server sets `id`, `created_at` and `updated_at`).
    public static let writableFields: Set<String> = [
        "name", "issuer", "preset", "audiences", "jwks_uri", "jwks", "trust_domain", "single_use", "max_token_lifetime", "rules",
    ]

    /// Sets the members of `fields` (the issuer's JSON shape, snake_case); `null` removes an
    /// optional value. A member of the wrong type or an unknown one names its field; whether the
    /// result is a sound issuer is ``problems(allowHTTP:)``'s to say.
    ///
    /// ```swift
    /// try issuer.apply(["name": "ci", "max_token_lifetime": 600])
    /// ```
    public mutating func apply(_ fields: [String: JSONValue]) throws(ValidationError) {
        for (key, value) in fields.sorted(by: { $0.key < $1.key }) {
            let isNull = value == .null
            switch key {
            case "name": name = try isNull ? nil : Self.string(value, key)
            case "issuer": issuer = try Self.string(value, key)
            case "preset":
                guard !isNull else { preset = nil; continue }
                guard let chosen = FederationPreset(rawValue: try Self.string(value, key)) else {
                    throw ValidationError(key, "must be one of \(FederationPreset.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                preset = chosen
            case "audiences": audiences = try Self.strings(value, key)
            case "jwks_uri": jwksURI = try isNull ? nil : Self.string(value, key)
            case "jwks":
                guard !isNull else { jwks = nil; continue }
                guard value.objectValue != nil else { throw ValidationError(key, "must be a JWK Set: {\"keys\": [...]}") }
                jwks = value
            case "trust_domain": trustDomain = try isNull ? nil : Self.string(value, key)
            case "single_use":
                guard !isNull else { singleUse = nil; continue }
                guard case .bool(let flag) = value else { throw ValidationError(key, "must be true or false") }
                singleUse = flag
            case "max_token_lifetime":
                guard !isNull else { maxTokenLifetime = nil; continue }
                do {
                    maxTokenLifetime = try WholeNumber.read(value, in: Self.maxTokenLifetimeRange)
                } catch {
                    throw ValidationError(key, "must be between \(Self.maxTokenLifetimeRange.lowerBound) and \(Self.maxTokenLifetimeRange.upperBound) seconds")
                }
            case "rules":
                guard let items = value.arrayValue else { throw ValidationError(key, "must be a list of rules") }
                var parsed: [IdentityRule] = []
                for (index, item) in items.enumerated() { parsed.append(try IdentityRule(fields: item, field: "rules[\(index)]")) }
                rules = parsed
            default:
                throw ValidationError(key, "unknown field (valid fields: \(Self.writableFields.sorted().joined(separator: ", ")))")
            }
        }
    }

    static func string(_ value: JSONValue, _ field: String) throws(ValidationError) -> String {
        guard let text = value.stringValue else { throw ValidationError(field, "must be a string") }
        return text
    }

    static func strings(_ value: JSONValue, _ field: String) throws(ValidationError) -> [String] {
        guard let items = value.arrayValue, items.allSatisfy({ $0.stringValue != nil }) else { throw ValidationError(field, "must be a list of strings") }
        return items.compactMap(\.stringValue)
    }
}

extension IdentityRule {
    /// A rule from its JSON shape (`subject`, `claims`, `agent`, `scopes`); problems name `field.member`.
    init(fields value: JSONValue, field: String) throws(ValidationError) {
        guard let members = value.objectValue else { throw ValidationError(field, "must be an object") }
        for key in members.keys.sorted() where !["subject", "claims", "agent", "scopes"].contains(key) {
            throw ValidationError("\(field).\(key)", "unknown field (valid fields: agent, claims, scopes, subject)")
        }
        guard let agentValue = members["agent"], agentValue != .null else { throw ValidationError("\(field).agent", "is required") }
        let agent = try TrustedIssuer.string(agentValue, "\(field).agent")
        var claims: [String: String] = [:]
        if let given = members["claims"], given != .null {
            guard let object = given.objectValue, object.values.allSatisfy({ $0.stringValue != nil }) else {
                throw ValidationError("\(field).claims", "must be an object whose values are strings")
            }
            claims = object.compactMapValues(\.stringValue)
        }
        var subject: String?
        if let given = members["subject"], given != .null { subject = try TrustedIssuer.string(given, "\(field).subject") }
        var scopes: [String]?
        if let given = members["scopes"], given != .null { scopes = try TrustedIssuer.strings(given, "\(field).scopes") }
        self.init(subject: subject, claims: claims, agent: agent, scopes: scopes)
    }
}
