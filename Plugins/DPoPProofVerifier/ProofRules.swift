import Crypto
import Foundation
import MachineAuthCore

/// The claim rules of RFC 9449 §4.3 for a DPoP proof: made for this request (`htm`, `htu`),
/// recently (`iat`), for the token it comes with (`ath`), with an identifier used once (`jti`).
struct ProofRules: Sendable {
    /// How long after `iat` a proof is accepted.
    let maxAge: TimeInterval
    /// Tolerance for clocks that disagree, on `iat` both ways.
    let clockSkew: TimeInterval

    /// The moment the proof stops being acceptable (for the replay record), or the refusal.
    func check(_ claims: ProofToken.Claims, for request: DPoPRequest) throws(OAuthError) -> Date {
        guard let jti = claims.jti, (1...256).contains(jti.utf8.count), jti.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw ProofToken.refused("the DPoP proof needs a jti of 1 to 256 printable ASCII characters")
        }
        guard claims.htm == request.method else { throw ProofToken.refused("the DPoP proof's htm must be \(request.method)") }
        guard let htu = claims.htu, let named = ProofURL.normalized(htu), named == ProofURL.normalized(request.url) else {
            throw ProofToken.refused("the DPoP proof's htu must be \(request.url.prefix(256)) (without query and fragment)")
        }
        // Only comparisons on the number as sent: no conversion that a huge iat could overflow.
        guard let iat = claims.iat, iat.isFinite else { throw ProofToken.refused("the DPoP proof needs iat") }
        let time = request.time.timeIntervalSince1970
        guard iat <= time + clockSkew else { throw ProofToken.refused("the DPoP proof was issued in the future (iat)") }
        guard iat >= time - maxAge - clockSkew else {
            throw ProofToken.refused("the DPoP proof is older than \(Int(maxAge)) seconds (iat): make a new one for each request")
        }
        if let token = request.accessToken {
            let expected = Base64URL.encode(Data(SHA256.hash(data: Data(token.utf8))))
            guard let ath = claims.ath else { throw ProofToken.refused("the DPoP proof needs ath, the hash of the access token") }
            guard ConstantTime.equals(ath, expected) else { throw ProofToken.refused("the DPoP proof's ath does not match the access token") }
        }
        return Date(timeIntervalSince1970: iat + maxAge + clockSkew)
    }
}

/// `htu` comparison (RFC 9449 §4.3): scheme and host case-insensitive, default ports dropped,
/// query and fragment ignored, the path as sent.
enum ProofURL {
    static func normalized(_ text: String) -> String? {
        guard text.utf8.count <= 8192, let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            scheme == "https" || scheme == "http", let host = components.percentEncodedHost, !host.isEmpty,
            // A URL with user information names its host ambiguously: refused, not guessed.
            components.percentEncodedUser == nil, components.percentEncodedPassword == nil
        else { return nil }
        let port = components.port.flatMap { port in (scheme == "https" && port == 443) || (scheme == "http" && port == 80) ? nil : port }
        let path = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
        guard path.hasPrefix("/") else { return nil }
        return scheme + "://" + host.lowercased() + (port.map { ":\($0)" } ?? "") + path
    }
}
