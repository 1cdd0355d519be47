import ExternalJWT
public import Foundation
import Logging
public import MachineAuthCore

/// `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer` (RFC 7523 §2.1) for workload
/// identity federation: a workload presents the token its platform gave it (a Kubernetes
/// service-account token, a GitHub Actions OIDC token, a SPIFFE JWT-SVID) as `assertion`; if
/// a trusted issuer signed it for this server and one of that issuer's rules maps its claims to
/// an agent, the agent gets an access token — no client secret exists anywhere. The token
/// carries the outside identity in `external_identity`, and so does the `token.issued` event.
public struct JWTBearerGrant: GrantHandler {
    let directory: IssuerDirectory
    let keys: IssuerKeys
    let rules: AssertionRules
    let agents: any AgentStore
    let replays: any ReplayStore
    let logger: Logger

    public let grantType = FederatedAssertion.grantType
    /// The assertion is the credential (RFC 7523 §3.1: client authentication is optional).
    public let requiresClientAuthentication = false

    public func grant(_ request: GrantRequest) async throws -> Grant {
        guard let text = try request.parameters.single("assertion"), !text.isEmpty else {
            throw OAuthError.invalidRequest("assertion is required (the outside issuer's JWT)")
        }
        let assertion = try FederatedAssertion(text)
        guard let iss = assertion.issuer, let issuer = try await directory.issuer(named: iss) else {
            logger.info("jwt-bearer assertion refused: its issuer \(assertion.issuer?.prefix(200) ?? "(none)") is not trusted")
            throw FederatedAssertion.unverified
        }
        let log = logger
        try await assertion.verify(with: try await keys.keys(of: issuer, kid: assertion.header.kid)) { reason in
            log.info("jwt-bearer assertion of trusted issuer \(issuer.id) refused: \(reason)")
        }
        let outcome = try rules.check(assertion.claims, of: issuer, at: request.time)
        guard let rule = issuer.rule(for: assertion.claims) else {
            throw OAuthError.invalidGrant("no rule of the trusted issuer maps this subject to an agent")
        }
        guard let agent = try await agents.agent(clientID: rule.agent) else {
            logger.warning("trusted issuer \(issuer.id) maps to the agent \(rule.agent), which does not exist")
            throw OAuthError.invalidGrant("no rule of the trusted issuer maps this subject to an agent")
        }
        guard agent.status(at: request.time) == .active else { throw OAuthError.invalidGrant("the agent this identity maps to is not active") }
        if let client = request.client, client.agent.id != agent.id {
            throw OAuthError.invalidGrant("the authenticated client is not the agent this identity maps to")
        }
        if issuer.isSingleUse, let jti = outcome.jti {
            // The issuer's length keeps one issuer's jti from naming another's.
            let key = "jwt_bearer:\(issuer.issuer.utf8.count):\(issuer.issuer):\(jti)"
            guard try await replays.recordFirstUse(key, until: outcome.usableUntil, at: request.time) else {
                throw OAuthError.invalidGrant("the assertion was used before (jti)")
            }
        }
        let scopes = rule.scopes.map { limit in agent.scopes.filter(limit.contains) } ?? agent.scopes
        let identity: [String: JSONValue] = ["iss": .string(iss), "sub": .string(outcome.subject), "trusted_issuer": .string(issuer.id)]
        return Grant(agent: agent, scopes: scopes, claims: ["external_identity": .object(identity)])
    }
}
