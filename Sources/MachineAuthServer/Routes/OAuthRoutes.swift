import Hummingbird
import MachineAuthCore

/// The OAuth endpoints: token (and the `/oauth/refresh` alias), introspection, revocation, userinfo.
struct OAuthRoutes: Sendable {
    let runtime: MachineAuthRuntime

    func register(on router: RouteRegistrar) {
        let token = TokenEndpoint(runtime: runtime)
        router.post("/oauth/token") { request, context in try await token.handle(request, context: context) }
        router.post("/oauth/refresh") { request, context in try await token.handle(request, context: context) }
        let introspection = IntrospectionEndpoint(runtime: runtime)
        router.post("/oauth/introspect") { request, context in try await introspection.handle(request, context: context) }
        let revocation = RevocationEndpoint(runtime: runtime)
        router.post("/oauth/revoke") { request, context in try await revocation.handle(request, context: context) }
        router.get("/oauth/userinfo") { request, context in try await userinfo(request, context) }
        router.post("/oauth/userinfo") { request, context in try await userinfo(request, context) }
    }

    /// The profile of the agent whose access token is presented.
    private func userinfo(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let token = try context.scope().agentToken else { throw APIError.forbidden("this operation requires the agent's own access token") }
        let agent = token.agent
        var profile: [String: JSONValue] = [
            "sub": .string(agent.clientID), "client_id": .string(agent.clientID), "agent_id": .string(agent.id),
            "name": .string(agent.name), "scope": .string(token.scopes.joined(separator: " ")),
            "status": .string(agent.status(at: runtime.now()).rawValue),
        ]
        if let organization = agent.organizationID { profile["org_id"] = .string(organization) }
        if let team = agent.teamID { profile["team_id"] = .string(team) }
        return JSONResponse.value(.object(profile), headers: .noStore)
    }
}
