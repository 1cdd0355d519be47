import Foundation

/// Decides forward-auth requests from the configured rules without touching the disk:
/// signatures with cached keys, the in-memory denylist, agent and key state from the
/// storage caches. The first matching rule wins.
public struct GatewayEngine: Sendable {
    let settings: GatewaySettings
    let validator: TokenValidator
    let clients: ClientAuthentication
    let tenants: any TenantStore
    let dpop: DPoPBinding

    /// The identity headers in a fixed order, sorted once.
    let identityHeaders: [(name: String, source: String)]

    public init(
        settings: GatewaySettings, validator: TokenValidator, clients: ClientAuthentication, tenants: any TenantStore, dpop: DPoPBinding? = nil
    ) {
        self.dpop = dpop ?? DPoPBinding(verifier: nil, now: { Date() })
        self.settings = settings
        self.identityHeaders = settings.identityHeaders.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        self.validator = validator
        self.clients = clients
        self.tenants = tenants
    }

    /// The path rules see: canonical, or `nil` when it is ambiguous and such paths are denied.
    public func matchedPath(_ raw: String) -> Result<String, CanonicalPath.Ambiguity> {
        switch CanonicalPath.parse(raw) {
        case .canonical(let path): return .success(path)
        case .ambiguous(let reason) where settings.ambiguousPaths == .deny: return .failure(reason)
        // Even the lenient reading never turns an encoded or back slash into a separator.
        case .ambiguous(let reason) where reason == .encodedSeparator || reason == .backslash: return .failure(reason)
        case .ambiguous: return .success(CanonicalPath.decodeLeniently(raw))
        }
    }

    /// The position in `gateway.rules` of the rule that decides `request` — the one ``decide(_:)``
    /// applies; `nil` when none matches or the path is refused before any rule.
    public func ruleIndex(for request: GatewayRequest) -> Int? {
        guard case .success(let path) = matchedPath(request.path) else { return nil }
        return settings.ruleIndex(method: request.method, host: request.host, path: path)
    }

    /// The configured rules, dialect and defaults (what the dashboard shows).
    public var configuration: GatewaySettings { settings }

    public func decide(_ request: GatewayRequest) async -> GatewayDecision {
        func deny(_ error: OAuthError) -> GatewayDecision {
            var error = error
            error.resourceMetadata = resourceMetadataURL(host: request.host)
            return .deny(error)
        }
        let path: String
        switch matchedPath(request.path) {
        case .success(let canonical): path = canonical
        case .failure(let reason): return deny(.accessDenied("\(reason.rawValue); such paths are refused (gateway.ambiguous_paths)"))
        }
        let rule = settings.rule(method: request.method, host: request.host, path: path)
        if rule == nil, settings.unmatched == .deny {
            return deny(.accessDenied("no gateway rule allows \(request.method) \(path)"))
        }
        if rule?.allowAnonymous == true {
            guard request.credential != nil, let caller = try? await authenticate(request) else {
                return .allow(headers: identityHeaders.map { ($0.name, "") }, rule: rule)
            }
            return .allow(headers: headers(for: caller), rule: rule)
        }
        guard let credential = request.credential, !credential.isEmpty else {
            return deny(.invalidToken("a bearer token is required"))
        }
        let caller: Caller
        do {
            caller = try await authenticate(request)
        } catch let error as OAuthError {
            return deny(error)
        } catch let rejection as TokenRejection {
            return deny(.invalidToken(rejection.message))
        } catch {
            return deny(OAuthError(code: "temporarily_unavailable", message: "the token cannot be checked right now", status: 503))
        }
        guard let rule else {
            // `unmatched: authenticate` admits tokens; API keys pass only where a rule allows them.
            if case .apiKey = caller { return deny(.accessDenied("API keys are not accepted here; use an access token")) }
            return .allow(headers: headers(for: caller), rule: nil)
        }
        switch caller {
        case .client, .admin:
            return deny(.invalidToken("a bearer access token or API key is required"))
        case .apiKey(let key):
            guard rule.allowAPIKeys, rule.requireScopes.isEmpty, rule.allowedAudiences.isEmpty else {
                return deny(.accessDenied("API keys are not accepted here; use an access token"))
            }
            guard await organizationAllowed(key.organizationID, rule) else { return deny(.accessDenied("this organization may not access this resource")) }
        case .agentToken(let token):
            if !rule.allowedAudiences.isEmpty, !token.audience.contains(where: rule.allowedAudiences.contains) {
                return deny(.invalidToken("the token is not meant for this resource"))
            }
            guard await organizationAllowed(token.agent.organizationID, rule) else {
                return deny(.accessDenied("this agent's organization may not access this resource"))
            }
            guard rule.scopesSatisfied(by: token.scopes) else {
                let needed = rule.requireScopes.joined(separator: " ")
                let message = rule.scopesMatch == .all ? "the token lacks a required scope: \(needed)" : "the token needs one of: \(needed)"
                return deny(.insufficientScope(message, scope: needed))
            }
        }
        return .allow(headers: headers(for: caller), rule: rule)
    }

    /// The caller the request's credential stands for; a DPoP-bound token only with a proof of its
    /// key for the original request (method and URL as the proxy described them).
    private func authenticate(_ request: GatewayRequest) async throws -> Caller {
        guard let credential = request.credential else { throw OAuthError.invalidToken("a bearer token is required") }
        if clients.isAPIKey(credential) {
            guard request.credentialScheme == .bearer else { throw OAuthError.invalidToken("API keys are not DPoP-bound: send them as Bearer or X-API-Key") }
            guard let key = try await clients.apiKey(credential, remoteAddress: nil) else {
                throw OAuthError.invalidToken("API keys are not accepted by this server")
            }
            return .apiKey(key)
        }
        let token = try await validator.validate(credential)
        try await dpop.checkPresentation(
            of: token, token: credential, scheme: request.credentialScheme, dpop: request.dpop, certificate: request.clientCertificate)
        return .agentToken(token)
    }

    private func organizationAllowed(_ organizationID: String?, _ rule: GatewayRule) async -> Bool {
        guard !rule.allowedOrgs.isEmpty else { return true }
        guard let organizationID else { return false }
        if rule.allowedOrgs.contains(organizationID) { return true }
        guard let slug = try? await tenants.organization(id: organizationID)?.slug else { return false }
        return rule.allowedOrgs.contains(slug)
    }

    /// Every configured identity header, empty when the caller has no such value: proxies then
    /// always overwrite what a client sent (Caddy 2.6 would otherwise forward a literal placeholder).
    private func headers(for caller: Caller) -> [(name: String, value: String)] {
        identityHeaders.map { header in (header.name, value(header.source, caller) ?? "") }
    }

    private func value(_ source: String, _ caller: Caller) -> String? {
        switch caller {
        case .client, .admin:
            return nil
        case .apiKey(let key):
            switch source {
            case "client_id", "sub": return "api-key:\(key.keyID)"
            case "api_key_id": return key.keyID
            case "org_id": return key.organizationID
            case "agent_name": return key.name
            default: return nil
            }
        case .agentToken(let token):
            let agent = token.agent
            switch source {
            case "client_id": return agent.clientID
            case "sub": return token.claims["sub"]?.stringValue
            case "agent_id": return agent.id
            case "agent_name": return agent.name
            case "org_id": return agent.organizationID
            case "team_id": return agent.teamID
            case "org_slug": return token.claims["org_slug"]?.stringValue
            case "scopes": return token.scopes.joined(separator: " ")
            case "scopes_csv": return token.scopes.joined(separator: ",")
            default:
                if source.hasPrefix("metadata:") { return agent.metadata[String(source.dropFirst(9))] }
                if source.hasPrefix("claim:") {
                    switch token.claims[String(source.dropFirst(6))] {
                    case .string(let text)?: return text
                    case .int(let number)?: return String(number)
                    case .bool(let flag)?: return flag ? "true" : "false"
                    case .array(let items)?: return items.compactMap(\.stringValue).joined(separator: ",")
                    default: return nil
                    }
                }
                return nil
            }
        }
    }

    /// The configured protected resource served on `host`.
    public func protectedResource(host: String) -> ProtectedResource? {
        let name = HostPattern.normalize(host)
        return settings.protectedResources.first { $0.hosts.contains(name) } ?? (settings.protectedResources.count == 1 ? settings.protectedResources[0] : nil)
    }

    /// RFC 9728 §3.1: the well-known path inserted between the resource's host and path.
    public func resourceMetadataURL(host: String) -> String? {
        guard let resource = protectedResource(host: host), let schemeEnd = resource.resource.range(of: "://") else { return nil }
        let afterScheme = resource.resource[schemeEnd.upperBound...]
        let authority = afterScheme.prefix { $0 != "/" }
        var path = String(afterScheme.dropFirst(authority.count))
        if path == "/" { path = "" }
        return resource.resource[..<schemeEnd.upperBound] + authority + "/.well-known/oauth-protected-resource" + path
    }
}
