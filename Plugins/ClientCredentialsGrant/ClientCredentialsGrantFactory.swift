public import MachineAuthCore

/// The `client_credentials` grant stage. It takes no options.
public enum ClientCredentialsGrantFactory: GrantHandlerFactory {
    public static let type = "client_credentials"
    public static let summary = "an authenticated client's token for itself (client_credentials grant)"

    /// No options: any key is reported as unknown.
    public struct Config: Decodable, Sendable {
        enum CodingKeys: CodingKey {}

        public init(from decoder: any Decoder) throws {
            _ = try decoder.container(keyedBy: CodingKeys.self)
        }
    }

    public static func makeGrant(config: Config, context: StageContext) async throws -> any GrantHandler {
        ClientCredentialsGrant()
    }
}
