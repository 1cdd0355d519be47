/// The `security:` section: the secret-hashing key, brute-force limits, and how outside issuers may be reached.
public struct SecuritySettings: Decodable, Sendable, Hashable {
    /// Key for hashing client secrets and API keys (HMAC-SHA-256). Empty: a random key is
    /// generated on first start and kept in storage. Set it to keep it apart from the data.
    public var secretHashKey: String
    /// Failed client authentications allowed per client id and per address within `failureWindow`.
    public var maxFailedAuthentications: Int
    public var failureWindow: ConfigDuration
    /// Whether outside issuers (workload identity federation) and remote key sets (`jwks_uri`)
    /// may be reached over plain `http` and at private, loopback or link-local addresses
    /// (`ALLOW_INSECURE_ISSUERS`). For development and tests only. Default false.
    public var allowInsecureIssuers: Bool

    enum CodingKeys: String, CodingKey {
        case secretHashKey = "secret_hash_key", maxFailedAuthentications = "max_failed_authentications"
        case failureWindow = "failure_window", allowInsecureIssuers = "allow_insecure_issuers"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        secretHashKey = try container.decodeIfPresent(String.self, forKey: .secretHashKey) ?? ""
        maxFailedAuthentications = try container.decodeIfPresent(Int.self, forKey: .maxFailedAuthentications) ?? 10
        failureWindow = try container.decodeIfPresent(ConfigDuration.self, forKey: .failureWindow) ?? ConfigDuration(seconds: 60)
        allowInsecureIssuers = try container.decodeIfPresent(Bool.self, forKey: .allowInsecureIssuers) ?? false
    }

    static func validate(_ settings: SecuritySettings) -> [StageConfigProblem] {
        var problems: [StageConfigProblem] = []
        if !settings.secretHashKey.isEmpty, settings.secretHashKey.utf8.count < 32 {
            problems.append(.init(keyPath: "secret_hash_key", "must be at least 32 characters (or empty to generate one)"))
        }
        if !InputLimits.failureAllowance.contains(settings.maxFailedAuthentications) {
            problems.append(.init(keyPath: "max_failed_authentications", "must be between 1 and 1000"))
        }
        return problems
    }
}

/// The core (non-stage) sections of the pipeline configuration.
public struct CoreSettings: Sendable, Hashable {
    public var server: ServerSettings
    public var admin: AdminSettings
    public var tokens: TokenSettings
    public var security: SecuritySettings
    public var gateway: GatewaySettings

    public init(server: ServerSettings, admin: AdminSettings, tokens: TokenSettings, security: SecuritySettings, gateway: GatewaySettings) {
        self.server = server
        self.admin = admin
        self.tokens = tokens
        self.security = security
        self.gateway = gateway
    }
}
