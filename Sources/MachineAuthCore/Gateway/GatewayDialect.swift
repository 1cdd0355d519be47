/// How the proxy in front describes the original request to `/gateway/check`
/// (`gateway.dialect`). Forwarded headers count only from `TRUSTED_PROXIES`; a proxy copies a
/// client's own headers onto its subrequest, so each dialect reads only its own family:
///
/// - `nginx` (`auth_request`): `X-Original-Method`, `X-Original-URI`;
/// - `caddy` (`forward_auth`) and `traefik` (ForwardAuth): `X-Forwarded-Method`, `X-Forwarded-Uri`;
/// - `envoy` (`ext_authz`): the check request itself — its method, and its path below `/gateway/check`;
/// - `auto` (default): whichever family is present; when both are and they disagree the request
///   is refused, and without either the check request itself is read as Envoy's.
///
/// Host and scheme come from `X-Forwarded-Host` / `X-Forwarded-Proto` of a trusted proxy, else
/// from the check request. A forwarded header sent twice is refused.
public enum GatewayDialect: String, ConfigChoice, Hashable {
    case auto, nginx, caddy, traefik, envoy

    /// The original request described by `query`, or why it cannot be judged (403).
    public func read(_ query: ForwardAuthQuery) -> Result<GatewayRequest, OAuthError> {
        do {
            let (method, target) = try original(query)
            let host = query.fromTrustedProxy ? try query.single("x-forwarded-host").map(Self.firstHop) : nil
            let scheme = query.fromTrustedProxy ? try query.single("x-forwarded-proto").map { Self.firstHop($0).lowercased() } : nil
            return .success(GatewayRequest(
                method: method.uppercased(), host: host ?? query.host ?? "", path: target, scheme: scheme ?? query.scheme,
                credential: query.credential))
        } catch let error as OAuthError {
            return .failure(error)
        } catch {
            return .failure(.accessDenied("the forward-auth request cannot be read"))
        }
    }

    private func original(_ query: ForwardAuthQuery) throws -> (method: String, target: String) {
        let nginx = (method: "x-original-method", uri: "x-original-uri")
        let forwarded = (method: "x-forwarded-method", uri: "x-forwarded-uri")
        switch self {
        case .envoy:
            return (query.method, query.path ?? "/")
        case .nginx:
            return try family(nginx, of: query)
        case .caddy, .traefik:
            return try family(forwarded, of: query)
        case .auto:
            let present = [nginx, forwarded].filter { query.has($0.method) || query.has($0.uri) }
            guard !present.isEmpty else { return (query.method, query.path ?? "/") }
            try requireTrusted(query, present[0].uri)
            let method = try agreeing(present.map(\.method), in: query, ignoringCase: true) ?? query.method
            guard let target = try agreeing(present.map(\.uri), in: query, ignoringCase: false) else {
                throw OAuthError.accessDenied("the forward-auth request names a method but no URI (\(present[0].uri))")
            }
            return (method, target)
        }
    }

    /// Method and URI from one header family, which must come from a trusted proxy.
    private func family(_ names: (method: String, uri: String), of query: ForwardAuthQuery) throws -> (method: String, target: String) {
        try requireTrusted(query, names.uri)
        guard let method = try query.single(names.method), let target = try query.single(names.uri) else {
            throw OAuthError.accessDenied("gateway.dialect \(rawValue) expects \(names.method) and \(names.uri) from the proxy")
        }
        return (method, target)
    }

    private func requireTrusted(_ query: ForwardAuthQuery, _ header: String) throws {
        guard query.fromTrustedProxy else {
            throw OAuthError.accessDenied("\(header) is only believed from TRUSTED_PROXIES; this peer is not one")
        }
    }

    /// The one value the named headers agree on, `nil` when none is present. Methods may differ
    /// in case only; URIs must be the same bytes (paths are case-sensitive, and a client's copy
    /// differing in case must never be the one judged).
    private func agreeing(_ names: [String], in query: ForwardAuthQuery, ignoringCase: Bool) throws -> String? {
        let values = try names.compactMap { try query.single($0) }
        guard let first = values.first else { return nil }
        guard values.allSatisfy({ ignoringCase ? $0.lowercased() == first.lowercased() : $0 == first }) else {
            throw OAuthError.accessDenied("the forwarded headers disagree (\(names.joined(separator: " vs "))); set gateway.dialect to your proxy's")
        }
        return first
    }

    private static func firstHop(_ value: String) -> String {
        value.split(separator: ",", maxSplits: 1).first.map { $0.trimmingASCIIWhitespace } ?? ""
    }
}

/// What `/gateway/check` received, independent of the HTTP framework.
public struct ForwardAuthQuery: Sendable {
    /// The check request's own method.
    public var method: String
    /// The original path (with its query) when the proxy appends it to `/gateway/check` (Envoy).
    public var path: String?
    /// The check request's authority (`Host`).
    public var host: String?
    /// `http` or `https` of the check request.
    public var scheme: String
    /// Every header value, by lower-cased name.
    public var headers: [String: [String]]
    /// Whether the peer is one of `TRUSTED_PROXIES`.
    public var fromTrustedProxy: Bool
    /// The bearer token or API key presented.
    public var credential: String?

    public init(
        method: String, path: String?, host: String?, scheme: String, headers: [String: [String]], fromTrustedProxy: Bool, credential: String?
    ) {
        self.method = method
        self.path = path
        self.host = host
        self.scheme = scheme
        self.headers = headers
        self.fromTrustedProxy = fromTrustedProxy
        self.credential = credential
    }

    func has(_ name: String) -> Bool { headers[name] != nil }

    /// The header's value; sent more than once it is refused (a client's copy beside the proxy's).
    func single(_ name: String) throws -> String? {
        guard let values = headers[name] else { return nil }
        guard values.count == 1 else { throw OAuthError.accessDenied("the \(name) header is sent more than once") }
        return values[0]
    }
}
