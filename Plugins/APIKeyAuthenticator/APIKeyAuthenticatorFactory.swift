public import MachineAuthCore

/// The `api_key` authenticator stage: organization API keys (`sk_…`) presented as
/// `Authorization: Bearer sk_…` or `X-API-Key`. A key acts for its organization only.
public enum APIKeyAuthenticatorFactory: AuthenticatorFactory {
    public static let type = "api_key"
    public static let summary = "organization API keys (sk_…) by Bearer or X-API-Key, scoped to their organization"

    /// Options of the `api_key` stage.
    public struct Config: Decodable, Sendable {
        /// How often `last_used_at` is written for a busy key. Default 60s.
        public var lastUsedInterval: ConfigDuration

        enum CodingKeys: String, CodingKey {
            case lastUsedInterval = "last_used_interval"
        }

        public init(lastUsedInterval: ConfigDuration = ConfigDuration(seconds: 60)) {
            self.lastUsedInterval = lastUsedInterval
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            lastUsedInterval = try container.decodeIfPresent(ConfigDuration.self, forKey: .lastUsedInterval) ?? ConfigDuration(seconds: 60)
        }
    }

    public static func makeAuthenticator(config: Config, context: StageContext) async throws -> any Authenticator {
        APIKeyAuthenticator(storage: context.tenants, hasher: context.hasher, lastUsedInterval: config.lastUsedInterval.seconds, now: context.now)
    }
}
