/// The `server:` section: listening address, public issuer URL, CORS, HTTPS and limits.
public struct ServerSettings: Decodable, Sendable, Hashable {
    public var host: String
    public var port: Int
    /// `development` or `production` (`ENV`); production refuses weak admin credentials.
    public var environment: DeploymentEnvironment
    /// The `iss` of every token and the base of the metadata URLs.
    public var issuer: String
    public var allowedOrigins: [String]
    /// Plain-HTTP requests are redirected (GET/HEAD) or refused (others); health checks are exempt.
    public var requireHTTPS: Bool
    /// Addresses (or CIDR ranges) whose `X-Forwarded-For` / `X-Forwarded-Proto` are believed.
    public var trustedProxies: [String]
    /// Largest request body accepted, in bytes; larger bodies get 413.
    public var maxBodyBytes: Int

    enum CodingKeys: String, CodingKey {
        case host, port, environment, issuer
        case allowedOrigins = "allowed_origins", requireHTTPS = "require_https"
        case trustedProxies = "trusted_proxies", maxBodyBytes = "max_body_bytes"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        host = try container.decodeIfPresent(String.self, forKey: .host) ?? "0.0.0.0"
        port = try container.decodeIfPresent(Int.self, forKey: .port) ?? 8080
        environment = try container.decodeIfPresent(DeploymentEnvironment.self, forKey: .environment) ?? .development
        let issuer = try container.decodeIfPresent(String.self, forKey: .issuer) ?? ""
        self.issuer = issuer.isEmpty ? "http://localhost:\(port)" : String(issuer.reversed().drop { $0 == "/" }.reversed())
        allowedOrigins = try container.decodeIfPresent(CommaSeparatedList.self, forKey: .allowedOrigins)?.values ?? []
        requireHTTPS = try container.decodeIfPresent(Bool.self, forKey: .requireHTTPS) ?? false
        trustedProxies = try container.decodeIfPresent(CommaSeparatedList.self, forKey: .trustedProxies)?.values
            ?? ["127.0.0.1", "::1"]
        maxBodyBytes = try container.decodeIfPresent(Int.self, forKey: .maxBodyBytes) ?? 1_048_576
    }

    static func validate(_ settings: ServerSettings) -> [StageConfigProblem] {
        var problems: [StageConfigProblem] = []
        if !(0...65535).contains(settings.port) { problems.append(.init(keyPath: "port", "must be between 0 and 65535")) }
        if settings.maxBodyBytes < 1024 { problems.append(.init(keyPath: "max_body_bytes", "must be at least 1024")) }
        if !(settings.issuer.hasPrefix("https://") || settings.issuer.hasPrefix("http://")) {
            problems.append(.init(keyPath: "issuer", "must be an http(s) URL, such as https://auth.example.com"))
        }
        return problems
    }
}

/// Where the server runs: production turns warnings about unsafe settings into refusals.
public enum DeploymentEnvironment: String, ConfigChoice, Hashable {
    case development, production, test
}
