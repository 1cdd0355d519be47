import Foundation
import Hummingbird
import MachineAuthCore

/// `POST /oauth/revoke` (RFC 7009). Access tokens go on the denylist until they expire;
/// refresh tokens are revoked with their whole grant. Unknown or foreign tokens also get 200.
struct RevocationEndpoint: Sendable {
    let runtime: MachineAuthRuntime

    func handle(_ request: Request, context: AppRequestContext) async throws -> Response {
        let parameters = try await RequestParameters.read(request, maxBytes: runtime.settings.server.maxBodyBytes)
        guard let token = try parameters.single("token"), !token.isEmpty else { throw OAuthError.invalidRequest("token is required") }
        let caller = try await OAuthCaller.resolve(request, context: context, parameters: parameters, runtime: runtime, allowSelf: true)
        guard caller.mayRevoke else { throw OAuthError.accessDenied("a viewer cannot revoke tokens") }
        let hint = try parameters.single("token_type_hint")
        // A grant stage that issued the token itself (a refresh token) revokes it.
        for grant in runtime.grants {
            switch try await grant.revoke(token, hint: hint, mayRevoke: { caller.owns($0) }) {
            case .notMine: continue
            case .unchanged: return JSONResponse.value([:], headers: .noStore)
            case .revoked(let agent, let kind, let id):
                await announce(jti: id, kind: kind, agent: agent, caller: caller, request: request, context: context)
                return JSONResponse.value([:], headers: .noStore)
            }
        }
        try await revokeAccessToken(token, caller: caller, request: request, context: context)
        return JSONResponse.value([:], headers: .noStore)
    }

    private func revokeAccessToken(_ token: String, caller: OAuthCaller, request: Request, context: AppRequestContext) async throws {
        guard let parsed = try? JWS.parse(token), parsed.header["typ"]?.stringValue?.lowercased().hasSuffix("at+jwt") == true,
            (try? TokenValidator.checkSignature(parsed, keyRing: runtime.keyRing)) != nil,
            parsed.claims["iss"]?.stringValue == runtime.settings.server.issuer,
            let jti = parsed.claims["jti"]?.stringValue, let exp = parsed.claims["exp"]?.intValue,
            let agentID = parsed.claims["agent_id"]?.stringValue
        else { return }
        let expiresAt = Date(timeIntervalSince1970: TimeInterval(exp))
        guard expiresAt > runtime.now(), !runtime.revocations.contains(jti) else { return }
        let agent = try await runtime.storage.agent(id: agentID)
        guard let agent, caller.owns(agent) else { return }
        let revoked = RevokedAccessToken(jti: jti, expiresAt: expiresAt, agentID: agentID)
        try await runtime.storage.revokeAccessToken(revoked)
        runtime.revocations.insert(revoked)
        await announce(jti: jti, kind: "access_token", agent: agent, caller: caller, request: request, context: context)
    }

    private func announce(jti: String, kind: String, agent: Agent, caller: OAuthCaller, request: Request, context: AppRequestContext) async {
        runtime.telemetry.tokensRevoked.increment()
        await runtime.events.publish(DomainEvent(
            type: "token.revoked", time: runtime.now(), actor: caller.actor, target: .token(jti),
            organizationID: agent.organizationID, teamID: agent.teamID,
            data: ["agent_id": .string(agent.id), "client_id": .string(agent.clientID), "token_type": .string(kind)],
            origin: context.origin(request)))
    }
}
