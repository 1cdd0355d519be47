/// The signing algorithms MachineAuth uses. A token or key with any other — `none`, HMAC, PS256 —
/// is refused, and a key verifies only tokens of its own algorithm.
enum SigningAlgorithm: String, CaseIterable, Sendable {
    case rs256 = "RS256"
    case es256 = "ES256"
    case edDSA = "EdDSA"

    /// The JWK `kty` (and `crv`) a key of this algorithm has.
    var keyType: String {
        switch self {
        case .rs256: "RSA"
        case .es256: "EC"
        case .edDSA: "OKP"
        }
    }

    var curve: String? {
        switch self {
        case .rs256: nil
        case .es256: "P-256"
        case .edDSA: "Ed25519"
        }
    }
}

/// RFC 9068 `typ` values of access tokens; MachineAuth's admin sessions (`admin+jwt`) are refused.
let accessTokenTypes: Set<String> = ["at+jwt", "application/at+jwt"]
