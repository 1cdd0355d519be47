import Foundation
public import MachineAuthCore
import OutboundHTTP
import RemoteKeySets

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
        /// How long a fetch of a client's `jwks_uri` may take. Default 5 seconds.
        public var fetchTimeout: ConfigDuration
        /// The shortest time between two fetches of one `jwks_uri` (a new `kid`, a failed fetch). Default 30 seconds.
        public var keyRefetchInterval: ConfigDuration

        enum CodingKeys: String, CodingKey {
            case maxLifetime = "max_lifetime", clockSkew = "clock_skew", fetchTimeout = "fetch_timeout", keyRefetchInterval = "key_refetch_interval"
        }

        public init(
            maxLifetime: ConfigDuration = ConfigDuration(seconds: 300), clockSkew: ConfigDuration = ConfigDuration(seconds: 60),
            fetchTimeout: ConfigDuration = ConfigDuration(seconds: 5), keyRefetchInterval: ConfigDuration = ConfigDuration(seconds: 30)
        ) {
            self.maxLifetime = maxLifetime
            self.clockSkew = clockSkew
            self.fetchTimeout = fetchTimeout
            self.keyRefetchInterval = keyRefetchInterval
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            maxLifetime = try container.decodeIfPresent(ConfigDuration.self, forKey: .maxLifetime) ?? ConfigDuration(seconds: 300)
            clockSkew = try container.decodeIfPresent(ConfigDuration.self, forKey: .clockSkew) ?? ConfigDuration(seconds: 60)
            fetchTimeout = try container.decodeIfPresent(ConfigDuration.self, forKey: .fetchTimeout) ?? ConfigDuration(seconds: 5)
            keyRefetchInterval = try container.decodeIfPresent(ConfigDuration.self, forKey: .keyRefetchInterval) ?? ConfigDuration(seconds: 30)
        }
    }

    public static func validate(_ config: Config) -> [StageConfigProblem] {
        var problems: [StageConfigProblem] = []
        if !(10...3600).contains(config.maxLifetime.seconds) { problems.append(StageConfigProblem(keyPath: "max_lifetime", "must be between 10 seconds and 1 hour")) }
        if !(0...300).contains(config.clockSkew.seconds) { problems.append(StageConfigProblem(keyPath: "clock_skew", "must be between 0 and 5 minutes")) }
        if !(100...60_000).contains(config.fetchTimeout.milliseconds) {
            problems.append(StageConfigProblem(keyPath: "fetch_timeout", "must be between 100ms and 60s"))
        }
        if !(1...3600).contains(config.keyRefetchInterval.seconds) {
            problems.append(StageConfigProblem(keyPath: "key_refetch_interval", "must be between 1 second and 1 hour"))
        }
        return problems
    }

    public static func makeAuthenticator(config: Config, context: StageContext) async throws -> any Authenticator {
        let insecure = context.settings.security.allowInsecureIssuers
        var policy = RemoteKeySets.Policy()
        policy.allowHTTP = insecure
        policy.refetchInterval = TimeInterval(config.keyRefetchInterval.seconds)
        let remote = RemoteKeySets(
            http: GuardedHTTPClient(timeout: config.fetchTimeout, allowPrivateTargets: insecure), policy: policy, logger: context.logger, now: context.now)
        return PrivateKeyJWTAuthenticator(
            config: config, agents: context.agents, replays: context.replays, remote: remote, issuer: context.settings.server.issuer,
            logger: context.logger, now: context.now)
    }
}
