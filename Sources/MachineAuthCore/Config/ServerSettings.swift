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
    /// The header in which a TLS-terminating proxy among ``trustedProxies`` passes the client
    /// certificate it verified, as nginx's `$ssl_client_escaped_cert` (URL-escaped PEM), lower-cased.
    /// Empty: no mutual TLS (RFC 8705) — the header is never read.
    public var clientCertificateHeader: String
    /// How the proxy writes the certificate into ``clientCertificateHeader``: nginx's escaped PEM
    /// (the default) or Envoy's `x-forwarded-client-cert`.
    public var clientCertificateFormat: ClientCertificateFormat

    enum CodingKeys: String, CodingKey {
        case host, port, environment, issuer
        case allowedOrigins = "allowed_origins", requireHTTPS = "require_https"
        case trustedProxies = "trusted_proxies", maxBodyBytes = "max_body_bytes"
        case clientCertificateHeader = "client_certificate_header", clientCertificateFormat = "client_certificate_format"
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
        clientCertificateHeader = (try container.decodeIfPresent(String.self, forKey: .clientCertificateHeader) ?? "").lowercased()
        clientCertificateFormat = try container.decodeIfPresent(ClientCertificateFormat.self, forKey: .clientCertificateFormat) ?? .nginx
    }

    static func validate(_ settings: ServerSettings) -> [StageConfigProblem] {
        var problems: [StageConfigProblem] = []
        if !(0...65535).contains(settings.port) { problems.append(.init(keyPath: "port", "must be between 0 and 65535")) }
        if settings.maxBodyBytes < 1024 { problems.append(.init(keyPath: "max_body_bytes", "must be at least 1024")) }
        if !(settings.issuer.hasPrefix("https://") || settings.issuer.hasPrefix("http://")) {
            problems.append(.init(keyPath: "issuer", "must be an http(s) URL, such as https://auth.example.com"))
        }
        let header = settings.clientCertificateHeader
        if !header.isEmpty {
            if !header.utf8.allSatisfy({ (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D }) {
                problems.append(.init(keyPath: "client_certificate_header", "must be a header name (letters, digits and -), such as X-SSL-Client-Cert"))
            } else if Self.reservedHeaders.contains(header) {
                problems.append(.init(keyPath: "client_certificate_header", "must not be \(header), a header with another meaning"))
            }
        }
        return problems
    }

    /// Headers that carry something else and can never be the certificate's.
    static let reservedHeaders: Set<String> = [
        "authorization", "cookie", "host", "content-type", "content-length", "dpop", "x-api-key", "x-forwarded-for",
        "x-forwarded-proto", "x-forwarded-host", "x-original-uri", "x-original-method", "x-forwarded-uri", "x-forwarded-method",
    ]

    /// Whether mutual TLS through a proxy is configured.
    public var readsClientCertificates: Bool { !clientCertificateHeader.isEmpty }
}

/// Where the server runs: production turns warnings about unsafe settings into refusals.
public enum DeploymentEnvironment: String, ConfigChoice, Hashable {
    case development, production, test
}
