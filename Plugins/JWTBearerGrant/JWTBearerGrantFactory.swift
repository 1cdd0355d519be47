import Foundation
public import MachineAuthCore
import OutboundHTTP
import RemoteKeySets

/// The `jwt_bearer` grant stage (workload identity federation, RFC 7523 §2.1): tokens of the
/// trusted issuers declared here (`issuers:`) or through `/api/trusted-issuers` are exchanged
/// for access tokens of the agents their rules name.
public enum JWTBearerGrantFactory: GrantHandlerFactory {
    public static let type = "jwt_bearer"
    public static let summary = "workload identity federation: tokens of trusted issuers (Kubernetes, GitHub Actions, SPIFFE, OIDC) for agents (RFC 7523 jwt-bearer)"

    /// Options of the `jwt_bearer` stage.
    public struct Config: Decodable, Sendable {
        /// Trusted issuers declared in YAML (read-only; more come from the API).
        public var issuers: [TrustedIssuer]
        /// Tolerance for clocks that disagree, on `exp`, `nbf` and `iat`. Default 60 seconds.
        public var clockSkew: ConfigDuration
        /// How long a fetch of keys or a discovery document may take. Default 5 seconds.
        public var fetchTimeout: ConfigDuration
        /// The shortest time between two fetches of one issuer's keys, when a token names an
        /// unknown `kid` or a fetch failed. Default 30 seconds.
        public var keyRefetchInterval: ConfigDuration

        enum CodingKeys: String, CodingKey {
            case issuers, clockSkew = "clock_skew", fetchTimeout = "fetch_timeout", keyRefetchInterval = "key_refetch_interval"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            issuers = try container.decodeIfPresent([TrustedIssuer].self, forKey: .issuers) ?? []
            clockSkew = try container.decodeIfPresent(ConfigDuration.self, forKey: .clockSkew) ?? ConfigDuration(seconds: 60)
            fetchTimeout = try container.decodeIfPresent(ConfigDuration.self, forKey: .fetchTimeout) ?? ConfigDuration(seconds: 5)
            keyRefetchInterval = try container.decodeIfPresent(ConfigDuration.self, forKey: .keyRefetchInterval) ?? ConfigDuration(seconds: 30)
        }
    }

    /// Checks every issuer as the API would; `http` URLs are told apart when the stage is built,
    /// where `security.allow_insecure_issuers` is known.
    public static func validate(_ config: Config) -> [StageConfigProblem] {
        var problems: [StageConfigProblem] = []
        if !(0...300).contains(config.clockSkew.seconds) { problems.append(StageConfigProblem(keyPath: "clock_skew", "must be between 0 and 5 minutes")) }
        if !(100...60_000).contains(config.fetchTimeout.milliseconds) {
            problems.append(StageConfigProblem(keyPath: "fetch_timeout", "must be between 100ms and 60s"))
        }
        if !(1...3600).contains(config.keyRefetchInterval.seconds) {
            problems.append(StageConfigProblem(keyPath: "key_refetch_interval", "must be between 1 second and 1 hour"))
        }
        var seen: [String: Int] = [:]
        for (index, issuer) in config.issuers.enumerated() {
            for problem in issuer.problems(allowHTTP: true) {
                problems.append(StageConfigProblem(keyPath: "issuers[\(index)].\(problem.field)", problem.message))
            }
            if let first = seen[issuer.issuer] {
                problems.append(StageConfigProblem(keyPath: "issuers[\(index)].issuer", "repeats issuers[\(first)]"))
            }
            seen[issuer.issuer] = seen[issuer.issuer] ?? index
        }
        return problems
    }

    public static func makeGrant(config: Config, context: StageContext) async throws -> any GrantHandler {
        let insecure = context.settings.security.allowInsecureIssuers
        var issuers: [TrustedIssuer] = []
        for (index, var issuer) in config.issuers.enumerated() {
            if let problem = issuer.problems(allowHTTP: insecure).first {
                throw InsecureIssuer(description: "grants: jwt_bearer: issuers[\(index)].\(problem.field): \(problem.message) (security.allow_insecure_issuers permits http for development)")
            }
            if issuer.id.isEmpty { issuer.id = "config-\(index)" }
            issuers.append(issuer)
        }
        var policy = RemoteKeySets.Policy()
        policy.allowHTTP = insecure
        policy.refetchInterval = TimeInterval(config.keyRefetchInterval.seconds)
        let http = GuardedHTTPClient(timeout: config.fetchTimeout, allowPrivateTargets: insecure)
        let remote = RemoteKeySets(http: http, policy: policy, logger: context.logger, now: context.now)
        let directory = IssuerDirectory(declared: issuers, store: context.trustedIssuers, logger: context.logger)
        directory.follow(context.changeFeed)
        let issuer = context.settings.server.issuer
        return JWTBearerGrant(
            directory: directory, keys: IssuerKeys(remote: remote, logger: context.logger),
            rules: AssertionRules(defaultAudiences: [issuer, issuer + "/oauth/token"], clockSkew: TimeInterval(config.clockSkew.seconds)),
            agents: context.agents, replays: context.replays, logger: context.logger)
    }
}

/// A YAML issuer with an `http` URL while `security.allow_insecure_issuers` is off.
struct InsecureIssuer: Error, CustomStringConvertible {
    let description: String
}
