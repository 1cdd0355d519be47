import Foundation
import MachineAuthCore

/// A client id and secret taken from a request, and how they were sent.
struct ClientCredentials {
    var clientID: String
    var secret: String
    var method: String

    /// Reads `Authorization: Basic` (id and secret form-urlencoded, RFC 6749 §2.3.1) or the
    /// `client_id` / `client_secret` parameters. Using both at once is an error (§2.3).
    static func extract(from presentation: CredentialPresentation, config: ClientSecretAuthenticatorFactory.Config) throws -> ClientCredentials? {
        let basic = try basicCredentials(presentation)
        let postedSecret = presentation.parameters["client_secret"]
        if let basic {
            guard config.allowBasic else {
                throw OAuthError.invalidClient("HTTP Basic client authentication is disabled", challenge: nil)
            }
            if postedSecret != nil {
                throw OAuthError.invalidRequest("use one client authentication method, not both Basic and client_secret")
            }
            if let postedID = presentation.parameters["client_id"], postedID != basic.clientID {
                throw OAuthError.invalidRequest("client_id does not match the Basic credentials")
            }
            return basic
        }
        guard let secret = postedSecret else { return nil }
        guard config.allowPost else {
            throw OAuthError.invalidClient("client_secret_post authentication is disabled; use HTTP Basic", challenge: .basic)
        }
        guard let clientID = presentation.parameters["client_id"], !clientID.isEmpty else {
            throw OAuthError.invalidRequest("client_secret was sent without client_id")
        }
        return ClientCredentials(clientID: clientID, secret: secret, method: "client_secret_post")
    }

    private static func basicCredentials(_ presentation: CredentialPresentation) throws -> ClientCredentials? {
        switch presentation.basic {
        case nil: return nil
        case .malformed?: throw OAuthError.invalidClient("malformed HTTP Basic credentials", challenge: .basic)
        case .credentials(let clientID, let secret)?: return ClientCredentials(clientID: clientID, secret: secret, method: "client_secret_basic")
        }
    }
}
