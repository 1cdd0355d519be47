import Foundation
/// The `gateway:` section: forward-auth rules for reverse proxies, the identity headers sent to
/// upstreams, and RFC 9728 protected-resource metadata.
///
/// ```yaml
/// gateway:
///   rules:
///     - match: { path: "/public/**" }
///       allow_anonymous: true
///     - match: { host: api.example.com, path: "/v1/reports/**", methods: [GET, HEAD] }
///       require_scopes: [read]
/// ```
public struct GatewaySettings: Decodable, Sendable, Hashable {
    public var rules: [GatewayRule]
    /// What happens to a request no rule matches: `deny` (default) or `authenticate` (any valid token passes).
    public var unmatched: UnmatchedAction
    /// Response header → value source; see ``IdentityHeaders``.
    public var identityHeaders: [String: String]
    public var protectedResources: [ProtectedResource]
    /// How the proxy describes the original request (``GatewayDialect``); default `auto`.
    public var dialect: GatewayDialect
    /// What happens to a path that upstreams could read in more than one way (``CanonicalPath``).
    public var ambiguousPaths: AmbiguousPaths

    public enum UnmatchedAction: String, ConfigChoice, Hashable {
        case deny, authenticate
    }

    /// `deny` (default): refused with 403; `decode`: matched decoded, dot segments resolved —
    /// only for upstreams known to read paths exactly that way.
    public enum AmbiguousPaths: String, ConfigChoice, Hashable {
        case deny, decode
    }

    enum CodingKeys: String, CodingKey {
        case rules, unmatched, dialect
        case identityHeaders = "identity_headers", protectedResources = "protected_resources", ambiguousPaths = "ambiguous_paths"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        rules = try container.decodeIfPresent([GatewayRule].self, forKey: .rules) ?? []
        unmatched = try container.decodeIfPresent(UnmatchedAction.self, forKey: .unmatched) ?? .deny
        identityHeaders = try container.decodeIfPresent([String: String].self, forKey: .identityHeaders) ?? IdentityHeaders.defaults
        protectedResources = try container.decodeIfPresent([ProtectedResource].self, forKey: .protectedResources) ?? []
        dialect = try container.decodeIfPresent(GatewayDialect.self, forKey: .dialect) ?? .auto
        ambiguousPaths = try container.decodeIfPresent(AmbiguousPaths.self, forKey: .ambiguousPaths) ?? .deny
    }

    static func validate(_ settings: GatewaySettings) -> [StageConfigProblem] {
        var problems: [StageConfigProblem] = []
        for (index, rule) in settings.rules.enumerated() {
            if rule.allowAnonymous && !(rule.requireScopes.isEmpty && rule.allowedOrgs.isEmpty && rule.allowedAudiences.isEmpty) {
                problems.append(StageConfigProblem(keyPath: "rules", "rule \(index + 1): allow_anonymous cannot be combined with requirements"))
            }
        }
        for (header, source) in settings.identityHeaders where !IdentityHeaders.isKnownSource(source) {
            problems.append(StageConfigProblem(
                keyPath: "identity_headers.\(header)", "unknown source \"\(source)\" (valid: \(IdentityHeaders.sourcesDescription))"))
        }
        return problems
    }

    /// The first rule matching the request, in configuration order.
    public func rule(method: String, host: String, path: String) -> GatewayRule? {
        ruleIndex(method: method, host: host, path: path).map { rules[$0] }
    }

    /// The position in ``rules`` of the first rule matching the request.
    public func ruleIndex(method: String, host: String, path: String) -> Int? {
        let request = MatchableRequest(method: method, host: host, path: path)
        return rules.firstIndex { $0.match.matches(request) }
    }
}

/// One gateway rule: where it applies and what a request needs to pass.
public struct GatewayRule: Decodable, Sendable, Hashable {
    public var match: RequestMatch
    public var allowAnonymous: Bool
    public var requireScopes: [String]
    /// `all` (default): every scope in `require_scopes`; `any`: at least one.
    public var scopesMatch: ScopesMatch
    /// Organization ids or slugs whose agents may pass.
    public var allowedOrgs: [String]
    /// The token's `aud` must contain one of these.
    public var allowedAudiences: [String]
    /// Whether organization API keys pass (rules that need scopes or audiences never accept them).
    public var allowAPIKeys: Bool

    public enum ScopesMatch: String, ConfigChoice, Hashable {
        case all, any
    }

    enum CodingKeys: String, CodingKey {
        case match
        case allowAnonymous = "allow_anonymous", requireScopes = "require_scopes", scopesMatch = "scopes_match"
        case allowedOrgs = "allowed_orgs", allowedAudiences = "allowed_audiences", allowAPIKeys = "allow_api_keys"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        match = try container.decodeIfPresent(RequestMatch.self, forKey: .match) ?? RequestMatch()
        allowAnonymous = try container.decodeIfPresent(Bool.self, forKey: .allowAnonymous) ?? false
        requireScopes = try container.decodeIfPresent([String].self, forKey: .requireScopes) ?? []
        scopesMatch = try container.decodeIfPresent(ScopesMatch.self, forKey: .scopesMatch) ?? .all
        allowedOrgs = try container.decodeIfPresent([String].self, forKey: .allowedOrgs) ?? []
        allowedAudiences = try container.decodeIfPresent([String].self, forKey: .allowedAudiences) ?? []
        allowAPIKeys = try container.decodeIfPresent(Bool.self, forKey: .allowAPIKeys) ?? false
    }

    /// Whether granted scopes satisfy `require_scopes`.
    public func scopesSatisfied(by granted: [String]) -> Bool {
        guard !requireScopes.isEmpty else { return true }
        switch scopesMatch {
        case .all: return requireScopes.allSatisfy(granted.contains)
        case .any: return requireScopes.contains(where: granted.contains)
        }
    }
}

/// Host, path and method conditions; an absent condition matches everything.
public struct RequestMatch: Decodable, Sendable, Hashable {
    public var host: HostPattern?
    public var path: PathPattern?
    public var methods: [String]?

    public init() {}

    enum CodingKeys: String, CodingKey {
        case host, path, methods
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        host = try container.decodeIfPresent(HostPattern.self, forKey: .host)
        path = try container.decodeIfPresent(PathPattern.self, forKey: .path)
        methods = try container.decodeIfPresent(CommaSeparatedList.self, forKey: .methods)?.values.map { $0.uppercased() }
    }

    public func matches(method: String, host: String, path: String) -> Bool {
        matches(MatchableRequest(method: method, host: host, path: path))
    }

    func matches(_ request: MatchableRequest) -> Bool {
        if let methods, !methods.contains(request.method) { return false }
        if let hostPattern = self.host, !hostPattern.matches(labels: request.hostLabels) { return false }
        if let pathPattern = self.path, !pathPattern.matches(segments: request.pathSegments) { return false }
        return true
    }
}

/// A request's method, host and path in the form rules compare, worked out once for all rules.
struct MatchableRequest {
    let method: String
    let hostLabels: ArraySlice<Substring>
    let pathSegments: ArraySlice<Substring>

    /// `path` is already canonical (see ``CanonicalPath``).
    init(method: String, host: String, path: String) {
        self.method = method.uppercased()
        hostLabels = HostPattern.normalize(host).splitBytes(UInt8(ascii: "."))[...]
        pathSegments = path.splitBytes(UInt8(ascii: "/"))[...]
    }
}

/// An RFC 9728 protected resource served behind the gateway.
public struct ProtectedResource: Decodable, Sendable, Hashable {
    /// The resource identifier, an https URL such as `https://api.example.com`.
    public var resource: String
    public var resourceName: String?
    public var scopesSupported: [String]
    /// Hosts that belong to this resource (default: the resource URL's host).
    public var hosts: [String]

    enum CodingKeys: String, CodingKey {
        case resource, hosts
        case resourceName = "resource_name", scopesSupported = "scopes_supported"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        resource = try container.decode(String.self, forKey: .resource)
        resourceName = try container.decodeIfPresent(String.self, forKey: .resourceName)
        scopesSupported = try container.decodeIfPresent([String].self, forKey: .scopesSupported) ?? []
        let declared = try container.decodeIfPresent([String].self, forKey: .hosts) ?? []
        hosts = declared.isEmpty ? [HostPattern.normalize(Self.host(of: resource) ?? "")] : declared.map(HostPattern.normalize)
    }

    static func host(of url: String) -> String? {
        guard let schemeEnd = url.range(of: "://") else { return nil }
        let rest = url[schemeEnd.upperBound...]
        return String(rest.prefix { $0 != "/" })
    }
}
