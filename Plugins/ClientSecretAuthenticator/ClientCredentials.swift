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
        let basic = try basicCredentials(presentation.authorization)
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

    private static func basicCredentials(_ authorization: String?) throws -> ClientCredentials? {
        guard let authorization, authorization.count > 6, authorization.prefix(6).lowercased() == "basic " else { return nil }
        guard let decoded = Base64URL.decodeStandard(authorization.dropFirst(6).trimmingASCIIWhitespace),
            let text = String(data: decoded, encoding: .utf8), let colon = text.firstIndex(of: ":")
        else { throw OAuthError.invalidClient("malformed HTTP Basic credentials", challenge: .basic) }
        guard let clientID = formDecode(text[..<colon]), let secret = formDecode(text[text.index(after: colon)...]) else {
            throw OAuthError.invalidClient("malformed HTTP Basic credentials", challenge: .basic)
        }
        return ClientCredentials(clientID: clientID, secret: secret, method: "client_secret_basic")
    }

    /// `application/x-www-form-urlencoded` decoding, as RFC 6749 §2.3.1 requires for Basic.
    private static func formDecode(_ text: Substring) -> String? {
        PercentDecoding.decode(Array(text.utf8)[...], plusIsSpace: true)
    }
}
