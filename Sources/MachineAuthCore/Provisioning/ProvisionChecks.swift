import Foundation

extension ProvisionParser {
    /// Cross-references, duplicates, field rules and secret sources.
    mutating func check() {
        var organizations = Set<String>()
        for item in document.organizations {
            let declared = item.value
            if (try? FieldRules.slug(declared.slug)) == nil { problem(item.location, item.keyPath + ".slug", "\"\(declared.slug)\" is not a lowercase DNS label") }
            if !organizations.insert(declared.slug).inserted { problem(item.location, item.keyPath, "organization \(declared.slug) is declared twice") }
        }
        var teams = Set<String>()
        for item in document.teams {
            let declared = item.value
            if !organizations.contains(declared.organization) {
                problem(item.location, item.keyPath + ".organization", "team \(declared.name) refers to unknown organization \(declared.organization)")
            }
            if !teams.insert(ProvisionDocument.key(declared.organization, declared.name)).inserted {
                problem(item.location, item.keyPath, "team \(declared.organization)/\(declared.name) is declared twice")
            }
        }
        var agents = Set<String>()
        for item in document.agents {
            let declared = item.value
            let key = ProvisionDocument.key(declared)
            reference(declared.organization, declared.team, organizations, teams, item, what: "agent \(declared.name)")
            if let audiences = declared.allowedAudiences, (try? FieldRules.audiences(audiences)) == nil {
                problem(item.location, item.keyPath + ".allowed_audiences", "contains an invalid audience")
            }
            if !agents.insert(key).inserted { problem(item.location, item.keyPath, "agent \(key) is declared twice") }
            if let scopes = declared.scopes, (try? FieldRules.scopes(scopes)) == nil {
                problem(item.location, item.keyPath + ".scopes", "contains an invalid scope")
            }
            if let grants = declared.grantTypes, grants.isEmpty {
                problem(item.location, item.keyPath + ".grant_types", "must name at least one grant")
            }
            if let expires = declared.expiresAt, Self.date(expires) == nil {
                problem(item.location, item.keyPath + ".expires_at", "must be an RFC 3339 timestamp such as 2030-01-31T00:00:00Z")
            }
            let sources = [declared.clientSecretEnv, declared.clientSecretFile, declared.clientSecretHash].compactMap { $0 }
            if sources.count > 1 {
                problem(item.location, item.keyPath, "give at most one of client_secret_env, client_secret_file, client_secret_hash")
            }
            if let hash = declared.clientSecretHash, !hash.hasPrefix("sha256:") && !hash.hasPrefix("hmac-sha256:") {
                problem(item.location, item.keyPath + ".client_secret_hash", "must come from `machineauth hash-secret` (sha256:…)")
            }
            checkKeys(declared, sources: sources, item: item)
            secret(env: declared.clientSecretEnv, file: declared.clientSecretFile, key: "agent:" + key, item: item, minimum: 32, prefix: nil)
        }
        var keys = Set<String>()
        for item in document.apiKeys {
            let declared = item.value
            reference(declared.organization, nil, organizations, teams, item, what: "API key \(declared.name)")
            let key = ProvisionDocument.key(declared.organization, declared.name)
            if !keys.insert(key).inserted { problem(item.location, item.keyPath, "API key \(key) is declared twice") }
            if let expires = declared.expiresAt, Self.date(expires) == nil {
                problem(item.location, item.keyPath + ".expires_at", "must be an RFC 3339 timestamp")
            }
            secret(env: declared.keyEnv, file: declared.keyFile, key: "api_key:" + key, item: item, minimum: 32, prefix: APIKey.secretPrefix)
        }
        var hooks = Set<String>()
        for item in document.webhooks {
            let declared = item.value
            reference(declared.organization, declared.team, organizations, teams, item, what: "webhook \(declared.name)")
            let key = ProvisionDocument.key(declared.organization, declared.name)
            if !hooks.insert(key).inserted { problem(item.location, item.keyPath, "webhook \(key) is declared twice") }
            if Webhook.targetURL(declared.url) == nil {
                problem(item.location, item.keyPath + ".url", "must be an http or https URL")
            }
            if let retries = declared.maxRetries, !InputLimits.webhookRetries.contains(retries) {
                problem(item.location, item.keyPath + ".max_retries", "must be between 0 and 50")
            }
            if let base = declared.retryBackoffBase, !(1...10).contains(base) {
                problem(item.location, item.keyPath + ".retry_backoff_base", "must be between 1 and 10")
            }
            for event in declared.events ?? [] where !EventCatalog.isValidPattern(event) {
                problem(item.location, item.keyPath + ".events", "unknown event \"\(event)\"")
            }
            secret(env: declared.secretEnv, file: declared.secretFile, key: "webhook:" + key, item: item, minimum: 16, prefix: "whsec_")
        }
    }

    private mutating func reference<T>(
        _ organization: String?, _ team: String?, _ organizations: Set<String>, _ teams: Set<String>, _ item: Located<T>, what: String
    ) {
        if let organization, !organizations.contains(organization) {
            problem(item.location, item.keyPath + ".organization", "\(what) refers to unknown organization \(organization)")
        }
        if let team {
            guard let organization else {
                problem(item.location, item.keyPath + ".team", "\(what) names a team but no organization")
                return
            }
            if !teams.contains(ProvisionDocument.key(organization, team)) {
                problem(item.location, item.keyPath + ".team", "\(what) refers to unknown team \(organization)/\(team)")
            }
        }
    }

    private mutating func secret<T>(env: String?, file: String?, key: String, item: Located<T>, minimum: Int, prefix: String?) {
        var value: String?
        if let env {
            guard let found = environment[env], !found.isEmpty else {
                problem(item.location, item.keyPath, "environment variable \(env) is not set")
                return
            }
            value = found
        } else if let file, !readsFiles {
            problem(item.location, item.keyPath, "a secret file (\(file)) cannot be read by the server; give the secret in an environment variable (…_env)")
            return
        } else if let file {
            let path = file.hasPrefix("/") ? file : (baseDirectory as NSString).appendingPathComponent(file)
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                problem(item.location, item.keyPath, "cannot read secret file \(path)")
                return
            }
            value = text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        guard let value else { return }
        if let prefix, !value.hasPrefix(prefix) {
            problem(item.location, item.keyPath, "the secret must start with \(prefix)")
        } else if value.count < minimum {
            problem(item.location, item.keyPath, "the secret must be at least \(minimum) characters")
        } else {
            document.secrets[key] = value
        }
    }

    static func date(_ text: String) -> Date? {
        RFC3339.parse(text)
    }

    /// A `private_key_jwt` or `self_signed_tls_client_auth` agent names valid public keys (the
    /// latter with their certificates), a `tls_client_auth` agent exactly one certificate
    /// subject; none of them a secret. Keys and subjects need those methods.
    private mutating func checkKeys(_ declared: DeclaredAgent, sources: [String], item: Located<DeclaredAgent>) {
        let method = declared.tokenEndpointAuthMethod ?? Agent.defaultAuthMethod
        let keyed = Agent.usesKeys(method)
        if !Agent.usesSecret(method), !sources.isEmpty {
            problem(item.location, item.keyPath, "a \(method) agent has no secret: drop client_secret_env, client_secret_file and client_secret_hash")
        }
        if declared.jwksURI != nil {
            if !keyed { problem(item.location, item.keyPath + ".jwks_uri", "is only used with token_endpoint_auth_method private_key_jwt") }
            if declared.jwks != nil { problem(item.location, item.keyPath + ".jwks_uri", "give jwks or jwks_uri, not both") }
            return
        }
        switch (keyed, declared.jwks) {
        case (true, nil):
            let alternative = method == Agent.privateKeyJWT ? " (or jwks_uri)" : ""
            problem(item.location, item.keyPath + ".jwks", "is required with token_endpoint_auth_method \(method)\(alternative)")
        case (false, .some):
            problem(item.location, item.keyPath + ".jwks", "is only used with token_endpoint_auth_method private_key_jwt or self_signed_tls_client_auth")
        case (true, .some(let keys)):
            do {
                _ = method == Agent.selfSignedTLSClientAuth ? try FieldRules.certificateKeys(keys) : try FieldRules.clientKeys(keys)
            } catch {
                problem(item.location, item.keyPath + ".jwks", error.message)
            }
        case (false, nil): break
        }
        let fields = declared.tlsClientAuthFields
        do {
            let subject = try FieldRules.tlsClientAuthSubject(fields)
            if method == Agent.tlsClientAuth, subject == nil {
                problem(item.location, item.keyPath, "a tls_client_auth agent needs exactly one of \(TLSClientAuthSubject.Kind.metadataNames.joined(separator: ", "))")
            } else if let subject, method != Agent.tlsClientAuth {
                problem(item.location, item.keyPath + "." + subject.kind.metadataName, "is only used with token_endpoint_auth_method tls_client_auth")
            }
        } catch {
            problem(item.location, item.keyPath + "." + error.field, error.message)
        }
    }
}
