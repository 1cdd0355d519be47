import Foundation
import Logging
import MachineAuthCore
import RemoteKeySets

/// Where a trusted issuer's verification keys come from: its inline `jwks`, its `jwks_uri`, or
/// the `jwks_uri` of its OIDC discovery document, the remote ones through ``RemoteKeySets``.
struct IssuerKeys: Sendable {
    let remote: RemoteKeySets
    let logger: Logger

    /// The keys that may have signed a token of `issuer` naming `kid`. Why remote keys could not
    /// be had goes to the log; the client learns only that they could not.
    func keys(of issuer: TrustedIssuer, kid: String?) async throws(OAuthError) -> [[String: JSONValue]] {
        if let jwks = issuer.jwks {
            return jwks.objectValue?["keys"]?.arrayValue?.compactMap(\.objectValue) ?? []
        }
        do throws(RemoteKeySets.Failure) {
            let url: URL
            if let text = issuer.jwksURI {
                guard let checked = await remote.checkedURL(text) else {
                    throw RemoteKeySets.Failure("jwks_uri \(text) is not an https URL (security.allow_insecure_issuers permits http)")
                }
                url = checked
            } else {
                url = try await remote.discoveredKeySetURL(issuer: issuer.issuer)
            }
            return try await remote.keys(at: url, kid: kid)
        } catch {
            logger.warning("the keys of trusted issuer \(issuer.id) (\(issuer.issuer)) could not be had: \(error)")
            throw FederatedAssertion.unverified
        }
    }
}
