public import MachineAuthCore

/// The `refresh_token` grant stage: issues opaque `rt_…` refresh tokens and accepts them in
/// `grant_type=refresh_token`, rotating on every use and revoking the whole family when a
/// used token is replayed (RFC 9700 §4.14). Without this stage there are no refresh tokens.
public enum RefreshTokenGrantFactory: GrantHandlerFactory {
    public static let type = "refresh_token"
    public static let summary = "rotating refresh tokens with replay detection (refresh_token grant)"

    /// Options of the `refresh_token` stage.
    public struct Config: Decodable, Sendable {
        /// Lifetime of a refresh token; default: `tokens.refresh_token_ttl`.
        public var ttl: ConfigDuration?
        /// Require client authentication with the refresh token (RFC 6749 §6). Default true.
        public var requireClientAuthentication: Bool

        enum CodingKeys: String, CodingKey {
            case ttl, requireClientAuthentication = "require_client_authentication"
        }

        public init(ttl: ConfigDuration? = nil, requireClientAuthentication: Bool = true) {
            self.ttl = ttl
            self.requireClientAuthentication = requireClientAuthentication
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            ttl = try container.decodeIfPresent(ConfigDuration.self, forKey: .ttl)
            requireClientAuthentication = try container.decodeIfPresent(Bool.self, forKey: .requireClientAuthentication) ?? true
        }
    }

    public static func validate(_ config: Config) -> [StageConfigProblem] {
        if let ttl = config.ttl, ttl.seconds < 60 { return [StageConfigProblem(keyPath: "ttl", "must be at least 60 seconds")] }
        return []
    }

    public static func makeGrant(config: Config, context: StageContext) async throws -> any GrantHandler {
        RefreshTokenGrant(
            tokens: context.tokens, agents: context.agents, hasher: context.hasher,
            ttl: config.ttl?.seconds ?? context.settings.tokens.refreshTokenTTL.seconds,
            requireClientAuthentication: config.requireClientAuthentication, settings: context.settings, now: context.now)
    }
}
