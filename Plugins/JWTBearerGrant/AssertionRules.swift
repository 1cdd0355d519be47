import Foundation
import MachineAuthCore

/// The claim rules of RFC 7523 §3 for a verified assertion of a trusted issuer: meant for this
/// server, unexpired, not too long-lived, about a subject, and (for single-use issuers) with an
/// identifier used once.
struct AssertionRules: Sendable {
    /// What `aud` names when the issuer sets no audiences: the issuer identifier or the token endpoint URL.
    let defaultAudiences: Set<String>
    let clockSkew: TimeInterval

    /// What the checked claims establish.
    struct Outcome {
        var subject: String
        /// When the assertion stops being usable (how long its `jti` is remembered).
        var usableUntil: Date
        var jti: String?
    }

    func check(_ claims: [String: JSONValue], of issuer: TrustedIssuer, at now: Date) throws(OAuthError) -> Outcome {
        let time = now.timeIntervalSince1970
        let limit = TimeInterval(issuer.tokenLifetimeLimit)
        guard let subject = claims["sub"]?.stringValue, (1...1024).contains(subject.utf8.count) else {
            throw OAuthError.invalidGrant("the assertion needs sub (1 to 1024 characters)")
        }
        let allowed = issuer.audiences.isEmpty ? defaultAudiences : Set(issuer.audiences)
        let audiences: [String]
        switch claims["aud"] {
        case .string(let one)?: audiences = [one]
        case .array(let many)?: audiences = many.compactMap(\.stringValue)
        default: audiences = []
        }
        guard audiences.contains(where: allowed.contains) else {
            throw OAuthError.invalidGrant("the assertion's aud must name \(allowed.sorted().joined(separator: " or "))")
        }
        guard let exp = Self.seconds(claims["exp"]) else { throw OAuthError.invalidGrant("the assertion needs exp") }
        guard exp + clockSkew > time else { throw OAuthError.invalidGrant("the assertion has expired") }
        guard exp - time <= limit + clockSkew else {
            throw OAuthError.invalidGrant("the assertion's exp may lie at most \(Int(limit)) seconds ahead (max_token_lifetime)")
        }
        if let nbf = claims["nbf"] {
            guard let value = Self.seconds(nbf), value - clockSkew <= time else { throw OAuthError.invalidGrant("the assertion is not valid yet (nbf)") }
        }
        if let iat = claims["iat"] {
            guard let value = Self.seconds(iat), value - clockSkew <= time else {
                throw OAuthError.invalidGrant("the assertion was issued in the future (iat)")
            }
            guard exp - value <= limit + clockSkew else {
                throw OAuthError.invalidGrant("the assertion may live at most \(Int(limit)) seconds (exp - iat, max_token_lifetime)")
            }
        }
        let jti = claims["jti"]?.stringValue
        if issuer.isSingleUse {
            guard let jti, (1...256).contains(jti.utf8.count), jti.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
                throw OAuthError.invalidGrant("the issuer's tokens are single-use: the assertion needs a jti of 1 to 256 printable ASCII characters")
            }
        }
        return Outcome(subject: subject, usableUntil: Date(timeIntervalSince1970: exp + clockSkew), jti: jti)
    }

    /// A NumericDate (RFC 7519 §2) within ten thousand years of the epoch, or `nil`: nothing
    /// later can overflow or trap.
    static func seconds(_ value: JSONValue?) -> Double? {
        switch value {
        case .int(let seconds)?: return (-400_000_000_000...400_000_000_000).contains(seconds) ? Double(seconds) : nil
        case .double(let seconds)?: return seconds.isFinite && abs(seconds) < 4e11 ? seconds : nil
        default: return nil
        }
    }
}
