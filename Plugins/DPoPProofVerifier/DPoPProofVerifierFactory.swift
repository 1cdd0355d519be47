public import MachineAuthCore

/// The `dpop` stage (RFC 9449): token requests with a `DPoP` proof get access tokens bound to
/// the proof's key (`token_type: DPoP`, `cnf.jkt`), which resources then accept only with a
/// fresh proof of that key.
public enum DPoPProofVerifierFactory: DPoPVerifierFactory {
    public static let type = "dpop"
    public static let summary = "DPoP proofs (RFC 9449): access tokens bound to the client's key, checked by the gateway and /api/verify"
    /// Every algorithm proofs may be signed with, by what the key types verify.
    public static let supportedAlgorithms = ["ES256", "EdDSA", "PS256", "RS256"]

    /// Options of the `dpop` stage.
    public struct Config: Decodable, Sendable {
        /// Every access token must be bound: token requests without a proof are refused. Default false.
        public var required: Bool
        /// Token requests must carry a server nonce (`use_dpop_nonce`, `DPoP-Nonce`). Default false.
        public var nonce: Bool
        /// How long a nonce is good: its window and the next. Default 5 minutes.
        public var nonceLifetime: ConfigDuration
        /// How long after its `iat` a proof is accepted (and its `jti` remembered). Default 5 minutes.
        public var maxAge: ConfigDuration
        /// Tolerance for clocks that disagree, on `iat`. Default 60 seconds.
        public var clockSkew: ConfigDuration
        /// The proof algorithms accepted (`dpop_signing_alg_values_supported`). Default all four.
        public var algorithms: [String]

        enum CodingKeys: String, CodingKey {
            case required, nonce, algorithms
            case nonceLifetime = "nonce_lifetime", maxAge = "max_age", clockSkew = "clock_skew"
        }

        public init(
            required: Bool = false, nonce: Bool = false, nonceLifetime: ConfigDuration = ConfigDuration(seconds: 300),
            maxAge: ConfigDuration = ConfigDuration(seconds: 300), clockSkew: ConfigDuration = ConfigDuration(seconds: 60),
            algorithms: [String] = DPoPProofVerifierFactory.supportedAlgorithms
        ) {
            self.required = required
            self.nonce = nonce
            self.nonceLifetime = nonceLifetime
            self.maxAge = maxAge
            self.clockSkew = clockSkew
            self.algorithms = algorithms
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            let defaults = Config()
            required = try container.decodeIfPresent(Bool.self, forKey: .required) ?? defaults.required
            nonce = try container.decodeIfPresent(Bool.self, forKey: .nonce) ?? defaults.nonce
            nonceLifetime = try container.decodeIfPresent(ConfigDuration.self, forKey: .nonceLifetime) ?? defaults.nonceLifetime
            maxAge = try container.decodeIfPresent(ConfigDuration.self, forKey: .maxAge) ?? defaults.maxAge
            clockSkew = try container.decodeIfPresent(ConfigDuration.self, forKey: .clockSkew) ?? defaults.clockSkew
            algorithms = try container.decodeIfPresent([String].self, forKey: .algorithms) ?? defaults.algorithms
        }
    }

    public static func validate(_ config: Config) -> [StageConfigProblem] {
        var problems: [StageConfigProblem] = []
        if !(10...3600).contains(config.maxAge.seconds) { problems.append(StageConfigProblem(keyPath: "max_age", "must be between 10 seconds and 1 hour")) }
        if !(0...300).contains(config.clockSkew.seconds) { problems.append(StageConfigProblem(keyPath: "clock_skew", "must be between 0 and 5 minutes")) }
        if !(10...86400).contains(config.nonceLifetime.seconds) {
            problems.append(StageConfigProblem(keyPath: "nonce_lifetime", "must be between 10 seconds and 1 day"))
        }
        if config.algorithms.isEmpty { problems.append(StageConfigProblem(keyPath: "algorithms", "must name at least one algorithm")) }
        for name in config.algorithms where !supportedAlgorithms.contains(name) {
            problems.append(StageConfigProblem(keyPath: "algorithms", "\"\(name)\" is not supported (supported: \(supportedAlgorithms.joined(separator: ", ")))"))
        }
        return problems
    }

    public static func makeVerifier(config: Config, context: StageContext) async throws -> any DPoPVerifier {
        DPoPProofVerifier(config: config, replays: context.replays, hasher: context.hasher)
    }
}
