import Foundation
import JWTKit
import MachineAuthCore

/// The claim rules of RFC 7523 §3 for a verified client assertion: issued by the client about
/// itself, for this server, short-lived, and with an identifier used once.
struct ClientAssertionRules: Sendable {
    /// What `aud` must name one of: the issuer identifier (RFC 7523bis) or the token endpoint URL.
    let audiences: Set<String>
    let maxLifetime: TimeInterval
    let clockSkew: TimeInterval

    /// The moment the assertion stops being usable (for the replay record), or the refusal.
    func check(_ claims: ClientAssertion.Claims, clientID: String, at now: Date) throws(OAuthError) -> Date {
        let time = now.timeIntervalSince1970
        guard claims.iss == clientID, claims.sub == clientID else {
            throw ClientAssertion.refused("iss and sub must both be the client_id")
        }
        // One audience, this server: an assertion that also names another party could be replayed
        // here by that party (the audience injection of RFC 7523bis).
        guard let audience = claims.aud?.value, audience.count == 1, audiences.contains(audience[0]) else {
            throw ClientAssertion.refused("aud must be this server alone (\(audiences.sorted().joined(separator: " or ")))")
        }
        guard let exp = claims.exp, exp.isFinite else { throw ClientAssertion.refused("the client assertion needs exp") }
        guard exp + clockSkew > time else { throw ClientAssertion.refused("the client assertion has expired") }
        guard exp - time <= maxLifetime + clockSkew else {
            throw ClientAssertion.refused("exp may lie at most \(Int(maxLifetime)) seconds ahead")
        }
        if let nbf = claims.nbf {
            guard nbf.isFinite, nbf - clockSkew <= time else { throw ClientAssertion.refused("the client assertion is not valid yet (nbf)") }
        }
        if let iat = claims.iat {
            guard iat.isFinite, iat - clockSkew <= time else { throw ClientAssertion.refused("the client assertion was issued in the future (iat)") }
            guard iat < exp else { throw ClientAssertion.refused("the client assertion expires before it was issued (exp ≤ iat)") }
            guard exp - iat <= maxLifetime + clockSkew else {
                throw ClientAssertion.refused("the client assertion may live at most \(Int(maxLifetime)) seconds (exp - iat)")
            }
        }
        guard let jti = claims.jti, (1...256).contains(jti.utf8.count), jti.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw ClientAssertion.refused("the client assertion needs a jti of 1 to 256 printable ASCII characters")
        }
        return Date(timeIntervalSince1970: exp + clockSkew)
    }
}
