/// How the proxy in front describes the original request to `/gateway/check`
/// (`gateway.dialect`). Forwarded headers count only from `TRUSTED_PROXIES`; a proxy copies a
/// client's own headers onto its subrequest, so each dialect reads only its own family, and
/// method and URI always come from the same family:
///
/// - `nginx` (`auth_request`): `X-Original-Method` and `X-Original-URI` (both must be set);
/// - `caddy` (`forward_auth`) and `traefik` (ForwardAuth): `X-Forwarded-Method` and `X-Forwarded-Uri`;
/// - `envoy` (`ext_authz`): the check request itself — its method, its path below
///   `/gateway/check` and its authority; forwarded URI and method headers are refused;
/// - `auto` (default): a check on `/gateway/check/…` is Envoy's; otherwise exactly the complete
///   family that is sent. A partial family, two families that disagree, or a family header on an
///   Envoy-style check is refused.
///
/// Host and scheme come from `X-Forwarded-Host` / `X-Forwarded-Proto` of a trusted proxy (Envoy:
/// the check request's authority), else from the check request. A forwarded header sent twice
/// is refused.
public enum GatewayDialect: String, ConfigChoice, Hashable {
    case auto, nginx, caddy, traefik, envoy

    /// The original request described by `query`, or why it cannot be judged (403).
    public func read(_ query: ForwardAuthQuery) -> Result<GatewayRequest, OAuthError> {
        do {
            let (method, target, isEnvoy) = try original(query)
            let trusted = query.fromTrustedProxy
            let host = trusted && !isEnvoy ? try query.single("x-forwarded-host").map(Self.firstHop) : nil
            let scheme = trusted ? try query.single("x-forwarded-proto").map { Self.firstHop($0).lowercased() } : nil
            return .success(GatewayRequest(
                method: method.uppercased(), host: host ?? query.host ?? "", path: target, scheme: scheme ?? query.scheme,
                credential: query.credential, credentialScheme: query.credentialScheme, dpopProofs: query.headers["dpop"] ?? []))
        } catch let error as OAuthError {
            return .failure(error)
        } catch {
            return .failure(.accessDenied("the forward-auth request cannot be read"))
        }
    }

    public static let nginxFamily = (method: "x-original-method", uri: "x-original-uri")
    public static let forwardedFamily = (method: "x-forwarded-method", uri: "x-forwarded-uri")

    private func original(_ query: ForwardAuthQuery) throws -> (method: String, target: String, isEnvoy: Bool) {
        let families = [Self.nginxFamily, Self.forwardedFamily]
        let present = families.filter { query.has($0.method) || query.has($0.uri) }
        switch self {
        case .envoy:
            return try envoy(query, present: present)
        case .nginx:
            let (method, target) = try family(Self.nginxFamily, of: query)
            return (method, target, false)
        case .caddy, .traefik:
            let (method, target) = try family(Self.forwardedFamily, of: query)
            return (method, target, false)
        case .auto:
            if query.path != nil || present.isEmpty { return try envoy(query, present: present) }
            let read = try present.map { try family($0, of: query) }
            let (method, target) = read[0]
            for other in read.dropFirst() where other.method.lowercased() != method.lowercased() || other.target != target {
                throw OAuthError.accessDenied("the forwarded headers disagree (X-Original-* vs X-Forwarded-*); set gateway.dialect to your proxy's")
            }
            return (method, target, false)
        }
    }

    /// Envoy's form: the check request is the original; a forwarded family beside it is a client's.
    private func envoy(_ query: ForwardAuthQuery, present: [(method: String, uri: String)]) throws -> (method: String, target: String, isEnvoy: Bool) {
        if let family = present.first {
            throw OAuthError.accessDenied("\(family.uri) / \(family.method) are not read from an Envoy-style check (/gateway/check/<path>)")
        }
        return (query.method, query.path ?? "/", true)
    }

    /// Method and URI from one header family, both present, from a trusted proxy.
    private func family(_ names: (method: String, uri: String), of query: ForwardAuthQuery) throws -> (method: String, target: String) {
        try requireTrusted(query, names.uri)
        guard let method = try query.single(names.method), let target = try query.single(names.uri) else {
            throw OAuthError.accessDenied("the proxy must send both \(names.method) and \(names.uri)")
        }
        return (method, target)
    }

    private func requireTrusted(_ query: ForwardAuthQuery, _ header: String) throws {
        guard query.fromTrustedProxy else {
            throw OAuthError.accessDenied("\(header) is only believed from TRUSTED_PROXIES; this peer is not one")
        }
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
    /// Whether ``credential`` came as `Authorization: DPoP` (a DPoP-bound token, RFC 9449 §7.1).
    public var credentialScheme: AccessTokenScheme

    public init(
        method: String, path: String?, host: String?, scheme: String, headers: [String: [String]], fromTrustedProxy: Bool, credential: String?,
        credentialScheme: AccessTokenScheme = .bearer
    ) {
        self.credentialScheme = credentialScheme
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
