import Foundation

/// Tells whether a token is active and why not, free of HTTP: a grant stage describes the
/// tokens it issued itself (refresh tokens), access tokens are checked by ``TokenValidator``
/// (in memory). Introspection (RFC 7662) answers only active or not; the dashboard's token
/// tools also show the reason.
///
/// ```swift
/// switch try await inspector.inspect(token, hint: nil, visibleTo: { scope.owns($0) }) {
/// case .active(let claims, _): …
/// case .inactive(let reason): …
/// }
/// ```
public struct TokenInspector: Sendable {
    let grants: [any GrantHandler]
    let validator: TokenValidator
    let telemetry: Telemetry

    public init(grants: [any GrantHandler], validator: TokenValidator, telemetry: Telemetry) {
        self.grants = grants
        self.validator = validator
        self.telemetry = telemetry
    }

    /// What `token` is, for a caller that may see the tokens of the agents `visibleTo` admits.
    /// A token of an agent the caller may not see is inactive, as a token that is not ours.
    public func inspect(_ token: String, hint: String?, visibleTo mayRead: @Sendable (Agent) -> Bool) async throws -> TokenInspection {
        for grant in grants {
            guard let found = try await grant.introspect(token, hint: hint) else { continue }
            guard mayRead(found.agent) else { return .inactive(reason: TokenInspection.notYours) }
            guard found.isActive else {
                return .inactive(reason: "the \(grant.grantType) token was used, revoked or has expired, or its agent is no longer active")
            }
            return .active(claims: found.claims, agent: found.agent)
        }
        do {
            let validated = try await validator.validate(token)
            guard mayRead(validated.agent) else {
                telemetry.tokenValidated(active: false)
                return .inactive(reason: TokenInspection.notYours)
            }
            telemetry.tokenValidated(active: true)
            var claims = validated.claims
            // RFC 9449 §6.2: a bound token is described with its `cnf` (among the claims) and type DPoP.
            claims["token_type"] = Confirmation(claims: claims).keyThumbprint == nil ? "Bearer" : "DPoP"
            return .active(claims: claims, agent: validated.agent)
        } catch let rejection as TokenRejection {
            telemetry.tokenValidated(active: false)
            return .inactive(reason: rejection.message)
        }
    }
}

/// An inspected token: active with its claims, or inactive with the reason.
public enum TokenInspection: Sendable {
    case active(claims: [String: JSONValue], agent: Agent)
    case inactive(reason: String)

    /// Why a token of another organization's agent is not described.
    public static let notYours = "the token belongs to an agent outside your organizations (or is not one of this server's)"

    public var isActive: Bool {
        if case .active = self { return true }
        return false
    }
}
