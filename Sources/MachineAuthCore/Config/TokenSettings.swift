/// The `tokens:` section: signing, lifetimes, audiences and refresh-token policy.
public struct TokenSettings: Decodable, Sendable, Hashable {
    public var algorithm: SigningAlgorithm
    /// The `kid` of the first signing key (`JWT_KEY_ID`); later keys get generated ids.
    public var keyID: String
    public var accessTokenTTL: ConfigDuration
    public var refreshTokenTTL: ConfigDuration
    /// Whether `client_credentials` grants also return a refresh token (compatibility default: on).
    public var refreshTokensForClientCredentials: Bool
    /// `aud` when the client asks for none; empty means the issuer.
    public var defaultAudience: [String]
    /// Audiences any agent may ask for (`resource` / `audience`) besides the default; an agent's own
    /// `allowed_audiences` replace this list. Empty: only the default audience.
    public var allowedAudiences: [String]
    /// Lets a token introspect itself without other credentials.
    public var allowSelfIntrospection: Bool
    /// Tolerance for clock differences when checking `exp` and `nbf`.
    public var clockSkew: ConfigDuration

    enum CodingKeys: String, CodingKey {
        case algorithm
        case keyID = "key_id", accessTokenTTL = "access_token_ttl", refreshTokenTTL = "refresh_token_ttl"
        case refreshTokensForClientCredentials = "refresh_tokens_for_client_credentials"
        case defaultAudience = "default_audience", allowedAudiences = "allowed_audiences"
        case allowSelfIntrospection = "allow_self_introspection", clockSkew = "clock_skew"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        algorithm = try container.decodeIfPresent(SigningAlgorithm.self, forKey: .algorithm) ?? .rs256
        keyID = try container.decodeIfPresent(String.self, forKey: .keyID) ?? "key-1"
        accessTokenTTL = try container.decodeIfPresent(ConfigDuration.self, forKey: .accessTokenTTL) ?? ConfigDuration(seconds: 3600)
        refreshTokenTTL = try container.decodeIfPresent(ConfigDuration.self, forKey: .refreshTokenTTL)
            ?? ConfigDuration(seconds: 30 * 86400)
        refreshTokensForClientCredentials = try container.decodeIfPresent(Bool.self, forKey: .refreshTokensForClientCredentials) ?? true
        defaultAudience = try container.decodeIfPresent(CommaSeparatedList.self, forKey: .defaultAudience)?.values ?? []
        allowedAudiences = try container.decodeIfPresent(CommaSeparatedList.self, forKey: .allowedAudiences)?.values ?? []
        allowSelfIntrospection = try container.decodeIfPresent(Bool.self, forKey: .allowSelfIntrospection) ?? false
        clockSkew = try container.decodeIfPresent(ConfigDuration.self, forKey: .clockSkew) ?? ConfigDuration(seconds: 30)
    }

    static func validate(_ settings: TokenSettings) -> [StageConfigProblem] {
        var problems: [StageConfigProblem] = []
        if settings.accessTokenTTL.seconds < 1 { problems.append(.init(keyPath: "access_token_ttl", "must be at least 1 second")) }
        if settings.accessTokenTTL.seconds > 86400 { problems.append(.init(keyPath: "access_token_ttl", "must be at most 24h")) }
        if settings.refreshTokenTTL.seconds < 60 { problems.append(.init(keyPath: "refresh_token_ttl", "must be at least 60 seconds")) }
        if settings.keyID.isEmpty { problems.append(.init(keyPath: "key_id", "must not be empty")) }
        return problems
    }
}
