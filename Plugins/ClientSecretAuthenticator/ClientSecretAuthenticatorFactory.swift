public import MachineAuthCore

/// The `client_secret` authenticator stage: OAuth client authentication with a client id
/// and secret, by HTTP Basic (`client_secret_basic`) or in the body (`client_secret_post`).
public enum ClientSecretAuthenticatorFactory: AuthenticatorFactory {
    public static let type = "client_secret"
    public static let summary = "client id + secret by HTTP Basic or request body (client_credentials grant)"

    /// Options of the `client_secret` stage.
    public struct Config: Decodable, Sendable {
        /// Accept `Authorization: Basic` (RFC 6749 §2.3.1). Default true.
        public var allowBasic: Bool
        /// Accept `client_id` / `client_secret` body parameters. Default true.
        public var allowPost: Bool

        enum CodingKeys: String, CodingKey {
            case allowBasic = "allow_basic", allowPost = "allow_post"
        }

        public init(allowBasic: Bool = true, allowPost: Bool = true) {
            self.allowBasic = allowBasic
            self.allowPost = allowPost
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            allowBasic = try container.decodeIfPresent(Bool.self, forKey: .allowBasic) ?? true
            allowPost = try container.decodeIfPresent(Bool.self, forKey: .allowPost) ?? true
        }
    }

    public static func validate(_ config: Config) -> [StageConfigProblem] {
        config.allowBasic || config.allowPost ? [] : [StageConfigProblem("allow_basic and allow_post cannot both be false")]
    }

    public static func makeAuthenticator(config: Config, context: StageContext) async throws -> any Authenticator {
        ClientSecretAuthenticator(config: config, agents: context.agents, hasher: context.hasher, now: context.now)
    }
}
