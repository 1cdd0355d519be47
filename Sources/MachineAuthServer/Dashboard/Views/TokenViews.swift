import Foundation
import MachineAuthCore

/// The token tools page: three forms, and what the last one did.
struct TokenToolsView: Sendable {
    struct Forms: Sendable {
        var issue = FormState()
        var inspect = FormState()
        var revoke = FormState()
    }

    var chrome: Chrome
    var forms: Forms
    var issued: IssuedTokenView?
    var inspection: InspectionView?
    var revocation: String?
}

/// A token just issued (shown once; the page is not stored).
struct IssuedTokenView: Sendable {
    var accessToken: String
    var tokenType: String
    var expiresIn: String
    var scope: String
    var refreshToken: String?
}

/// A token taken apart — header and claims as sent, without trusting them — and what the
/// server says about it: active, or why not.
struct InspectionView: Sendable {
    var active: Bool
    var status: String
    var reason: String?
    var decoded: Bool
    var decodeProblem: String?
    var header: [Pair]
    var claims: [Pair]
    var times: [Pair]
    var agentID: String?
    var agentName: String?

    init(token: String, inspection: TokenInspection) {
        switch inspection {
        case .active(_, let agent):
            active = true
            reason = nil
            agentID = agent.id
            agentName = agent.name
        case .inactive(let why):
            active = false
            reason = why
        }
        status = active ? "active" : "inactive"
        do {
            let parsed = try JWS.parse(token)
            decoded = true
            header = Self.pairs(parsed.header)
            claims = Self.pairs(parsed.claims)
            times = ["iat", "nbf", "exp"].compactMap { name in
                parsed.claims[name]?.intValue.map { Pair(name: name, value: Time.text(Date(timeIntervalSince1970: TimeInterval($0)))) }
            }
        } catch {
            decoded = false
            let why = (error as? TokenRejection)?.message ?? "\(error)"
            decodeProblem = "Not a JWT (\(why)): opaque tokens such as refresh tokens are only described by the server."
            header = []
            claims = []
            times = []
        }
    }

    static func pairs(_ object: [String: JSONValue]) -> [Pair] {
        object.sorted { $0.key < $1.key }.map { key, value in Pair(name: key, value: value.stringValue ?? value.jsonText) }
    }
}
