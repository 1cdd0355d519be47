public import Foundation
public import MachineAuthClient

/// The claims of a verified MachineAuth access token (RFC 9068), typed; `claims` holds every
/// claim, including those an enricher added (`org_id`, `team_id`, custom ones).
public struct VerifiedToken: Sendable, Hashable {
    /// `sub`: the agent's client id.
    public let subject: String
    public let clientID: String
    public let agentID: String
    public let issuer: String
    public let audience: [String]
    public let scopes: [String]
    public let expiresAt: Date
    public let issuedAt: Date
    public let jti: String?
    /// The agent's organization, when the `org_team` enricher is on.
    public let organizationID: String?
    /// The agent's team, when the `org_team` enricher is on.
    public let teamID: String?
    /// Every claim of the token.
    public let claims: [String: JSONValue]

    init(claims: [String: JSONValue], expiresAt: Date, issuedAt: Date) {
        let text = { (name: String) in claims[name]?.stringValue }
        subject = text("sub") ?? ""
        clientID = text("client_id") ?? ""
        agentID = text("agent_id") ?? ""
        issuer = text("iss") ?? ""
        audience = claims["aud"]?.stringList ?? []
        scopes = (text("scope") ?? "").split(separator: " ").map(String.init)
        self.expiresAt = expiresAt
        self.issuedAt = issuedAt
        jti = text("jti")
        organizationID = text("org_id")
        teamID = text("team_id")
        self.claims = claims
    }

    /// Whether the token grants every one of `scopes`.
    public func hasScopes(_ scopes: [String]) -> Bool {
        Set(scopes).isSubset(of: self.scopes)
    }
}
