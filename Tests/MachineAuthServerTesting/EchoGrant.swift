import Foundation
public import MachineAuthCore
import MachineAuthStages

/// An extension grant for tests: an authenticated client trades a `subject` parameter for a
/// token of at most one scope, `echo`. Registered with one line (``StageRegistry/withEchoGrant``)
/// and listed under `grants:`; nothing in the server knows it.
public struct EchoGrant: GrantHandler {
    public static let type = "echo"
    public let grantType = "urn:machineauth:params:oauth:grant-type:echo"
    public let requiresClientAuthentication = true

    public init() {}

    public func grant(_ request: GrantRequest) async throws -> Grant {
        guard let client = request.client else { throw OAuthError.invalidClient("client authentication is required") }
        guard let subject = try request.parameters.single("subject"), !subject.isEmpty else {
            throw OAuthError.invalidRequest("subject is required")
        }
        return Grant(agent: client.agent, scopes: client.agent.scopes.filter { $0 == "echo" })
    }

    /// Names the subject in the response, as an extension grant may.
    public func contribute(to response: inout TokenResponse, for issuance: Issuance) async throws {
        if issuance.grantType == grantType { response.extra["issued_token_type"] = "urn:ietf:params:oauth:token-type:access_token" }
    }
}

extension StageRegistry {
    /// The standard stages plus ``EchoGrant``.
    public static var withEchoGrant: StageRegistry {
        var registry = StageRegistry.standard
        registry.registerGrant(type: EchoGrant.type, summary: "test extension grant") { _ in EchoGrant() }
        return registry
    }
}
