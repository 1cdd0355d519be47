public import MachineAuthCore

/// `grant_type=client_credentials` (RFC 6749 §4.4): an authenticated client gets a token for
/// itself, with at most its own scopes.
public struct ClientCredentialsGrant: GrantHandler {
    public init() {}

    public let grantType = "client_credentials"
    public let requiresClientAuthentication = true

    public func grant(_ request: GrantRequest) async throws -> Grant {
        guard let client = request.client else {
            throw OAuthError.invalidClient("client authentication is required (HTTP Basic or client_id and client_secret)", challenge: .basic)
        }
        return Grant(agent: client.agent, scopes: client.agent.scopes)
    }
}
