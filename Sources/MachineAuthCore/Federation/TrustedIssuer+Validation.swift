public import Foundation

extension TrustedIssuer {
    /// Everything wrong with this issuer, each naming its field (`rules[0].subject`). The API
    /// answers the first with 400; the `jwt_bearer` stage reports all of them with the YAML line.
    /// `allowHTTP`: accept `http` issuer and key URLs (tests and development only).
    public func problems(allowHTTP: Bool = false) -> [ValidationError] {
        var found: [ValidationError] = []
        func check(_ field: String, _ holds: Bool, _ message: @autoclosure () -> String) {
            if !holds { found.append(ValidationError(field, message())) }
        }
        check("id", id.isEmpty || Self.isIdentifier(id), "must be 1 to 64 letters, digits, '.', '_' or '-'")
        if let name { check("name", (try? FieldRules.name(name)) != nil, "must be 1 to 255 characters without control characters") }
        check("issuer", Self.isURL(issuer, allowHTTP: allowHTTP), "must be an https URL without user information, query or fragment")
        // GitHub's issuer signs every GitHub user's workflows: only the preset's owner pinning makes it safe.
        check("preset", issuer != FederationPreset.githubActionsIssuer || preset == .githubActions,
              "GitHub's issuer needs preset github_actions (its rules must name the repository owner)")
        check("audiences", audiences.count <= 10, "at most 10 audiences")
        for (index, audience) in audiences.enumerated() {
            check("audiences[\(index)]", Self.isPlainText(audience, maxLength: 512), "must be 1 to 512 characters without control characters")
        }
        check("jwks", jwks == nil || jwksURI == nil, "give jwks or jwks_uri, not both")
        if let jwksURI { check("jwks_uri", Self.isURL(jwksURI, allowHTTP: allowHTTP, query: true), "must be an https URL without user information or fragment") }
        if let jwks {
            do { _ = try FieldRules.clientKeys(jwks) } catch { found.append(error) }
        }
        if let limit = maxTokenLifetime {
            check("max_token_lifetime", Self.maxTokenLifetimeRange.contains(limit), "must be between 60 and 86400 seconds")
        }
        if preset == .spiffe {
            check("trust_domain", trustDomain.map(Self.isTrustDomain) ?? false,
                  "preset spiffe needs the trust domain (lower-case letters, digits, '.', '-' and '_')")
        } else {
            check("trust_domain", trustDomain == nil, "only preset spiffe takes a trust domain")
        }
        check("rules", (1...100).contains(rules.count), "must hold 1 to 100 rules")
        for (index, rule) in rules.enumerated() {
            found += rule.problems(field: "rules[\(index)]", preset: preset, trustDomain: trustDomain)
        }
        return found
    }

    /// An issuer identifier (RFC 8414 §2): a ``FieldRules/isRemoteURL(_:allowHTTP:)`` without a query.
    static func isURL(_ text: String, allowHTTP: Bool, query: Bool = false) -> Bool {
        FieldRules.isRemoteURL(text, allowHTTP: allowHTTP) && (query || URL(string: text)?.query == nil)
    }

    static func isIdentifier(_ text: String) -> Bool {
        (1...64).contains(text.utf8.count) && text.utf8.allSatisfy { $0.isASCIILetterOrDigit || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
    }

    static func isPlainText(_ text: String, maxLength: Int) -> Bool {
        (1...maxLength).contains(text.utf8.count) && !text.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }

    /// A SPIFFE trust domain name (SPIFFE ID spec §2.1).
    static func isTrustDomain(_ text: String) -> Bool {
        (1...255).contains(text.utf8.count)
            && text.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") }
    }
}

extension IdentityRule {
    /// What is wrong with this rule under `preset`; a preset refuses rules that would admit
    /// every workload of its platform (every GitHub repository, every cluster namespace).
    func problems(field: String, preset: FederationPreset?, trustDomain: String?) -> [ValidationError] {
        var found: [ValidationError] = []
        func check(_ key: String, _ holds: Bool, _ message: @autoclosure () -> String) {
            if !holds { found.append(ValidationError("\(field).\(key)", message())) }
        }
        check("agent", TrustedIssuer.isPlainText(agent, maxLength: 255), "must be the client_id of an agent")
        check("claims", claims.count <= 20, "at most 20 claim conditions")
        for (name, pattern) in claims.sorted(by: { $0.key < $1.key }) {
            check("claims.\(name)", TrustedIssuer.isPlainText(name, maxLength: 128) && name != "sub", "claim names are 1 to 128 characters; use subject for sub")
            check("claims.\(name)", TrustedIssuer.isPlainText(pattern, maxLength: ClaimGlob.maxLength), "must be a pattern of 1 to \(ClaimGlob.maxLength) characters")
        }
        if let subject {
            check("subject", TrustedIssuer.isPlainText(subject, maxLength: ClaimGlob.maxLength), "must be a pattern of 1 to \(ClaimGlob.maxLength) characters")
        }
        check("subject", !conditions.isEmpty, "a rule needs a subject or claims to match: a rule without conditions would admit every token of the issuer")
        if let scopes {
            do { _ = try FieldRules.scopes(scopes, field: "\(field).scopes") } catch { found.append(error) }
        }
        let subjectPrefix = subject.map(ClaimGlob.literalPrefix(of:)) ?? ""
        switch preset {
        case .kubernetes:
            check("subject", Self.namesKubernetesNamespace(subjectPrefix),
                  "a Kubernetes rule's subject names its namespace: system:serviceaccount:<namespace>:… (a wildcard before the namespace's end would admit other namespaces)")
        case .spiffe:
            let domain = "spiffe://\(trustDomain ?? "")/"
            check("subject", subjectPrefix.hasPrefix(domain), "a SPIFFE rule's subject starts with \(domain)")
        case .githubActions:
            check("subject", namesGitHubOwner,
                  "a GitHub Actions rule must name the repository owner (subject repo:<owner>/…, or a repository, repository_owner or repository_owner_id claim without wildcards before the owner): otherwise every GitHub repository's workflows would match")
        case nil:
            break
        }
        return found
    }

    /// Whether a literal prefix names a whole Kubernetes namespace: `system:serviceaccount:`, a
    /// namespace (DNS label characters) and the `:` that ends it.
    static func namesKubernetesNamespace(_ prefix: String) -> Bool {
        let lead = "system:serviceaccount:"
        guard prefix.hasPrefix(lead) else { return false }
        let rest = prefix.dropFirst(lead.count)
        guard let colon = rest.firstIndex(of: ":"), colon != rest.startIndex else { return false }
        return rest[..<colon].unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }

    /// Whether the rule pins the GitHub owner: only that owner's workflows can match.
    var namesGitHubOwner: Bool {
        let subjectPrefix = subject.map(ClaimGlob.literalPrefix(of:)) ?? ""
        if subjectPrefix.hasPrefix("repo:"), subjectPrefix.dropFirst(5).contains("/"), !subjectPrefix.dropFirst(5).hasPrefix("/") { return true }
        if let repository = claims["repository"], let slash = ClaimGlob.literalPrefix(of: repository).firstIndex(of: "/"), slash != repository.startIndex {
            return true
        }
        for exact in ["repository_owner", "repository_owner_id", "repository_id"] {
            if let value = claims[exact], ClaimGlob.literalPrefix(of: value) == value { return true }
        }
        return false
    }
}

extension UInt8 {
    var isASCIILetterOrDigit: Bool { (0x30...0x39).contains(self) || (0x41...0x5A).contains(self) || (0x61...0x7A).contains(self) }
}
