public import MachineAuthCore

/// The `private_key_jwt` authenticator stage (RFC 7523 §2.2): a client proves who it is with a
/// JWT it signed with a key it registered (`jwks`), so no shared secret exists.
public enum PrivateKeyJWTAuthenticatorFactory: AuthenticatorFactory {
    public static let type = "private_key_jwt"
    public static let summary = "client assertions (RFC 7523 private_key_jwt) signed with the agent's registered public keys"

    /// Options of the `private_key_jwt` stage.
    public struct Config: Decodable, Sendable {
        /// How far ahead an assertion's `exp` may lie (and how long after `iat`). Default 5 minutes.
        public var maxLifetime: ConfigDuration
        /// Tolerance for clocks that disagree, on `exp`, `nbf` and `iat`. Default 60 seconds.
        public var clockSkew: ConfigDuration

        enum CodingKeys: String, CodingKey {
            case maxLifetime = "max_lifetime", clockSkew = "clock_skew"
        }

        public init(maxLifetime: ConfigDuration = ConfigDuration(seconds: 300), clockSkew: ConfigDuration = ConfigDuration(seconds: 60)) {
            self.maxLifetime = maxLifetime
            self.clockSkew = clockSkew
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            maxLifetime = try container.decodeIfPresent(ConfigDuration.self, forKey: .maxLifetime) ?? ConfigDuration(seconds: 300)
            clockSkew = try container.decodeIfPresent(ConfigDuration.self, forKey: .clockSkew) ?? ConfigDuration(seconds: 60)
        }
    }

    public static func validate(_ config: Config) -> [StageConfigProblem] {
        var problems: [StageConfigProblem] = []
        if !(10...3600).contains(config.maxLifetime.seconds) { problems.append(StageConfigProblem(keyPath: "max_lifetime", "must be between 10 seconds and 1 hour")) }
        if !(0...300).contains(config.clockSkew.seconds) { problems.append(StageConfigProblem(keyPath: "clock_skew", "must be between 0 and 5 minutes")) }
        return problems
    }

    public static func makeAuthenticator(config: Config, context: StageContext) async throws -> any Authenticator {
        PrivateKeyJWTAuthenticator(
            config: config, agents: context.agents, replays: context.replays, issuer: context.settings.server.issuer, now: context.now)
    }
}
