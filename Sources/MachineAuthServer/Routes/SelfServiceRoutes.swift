import Foundation
import Hummingbird
import MachineAuthCore

/// `/api/agents/me…`: an agent managing itself with its own access token. Reactivation
/// authenticates with client credentials (its tokens died with the deactivation) and only
/// undoes a deactivation the agent made itself.
struct SelfServiceRoutes: Sendable {
    let runtime: MachineAuthRuntime
    var agentRoutes: AgentRoutes { AgentRoutes(runtime: runtime) }

    func register(on router: RouteRegistrar) {
        router.get("/api/agents/me") { request, context in
            let token = try await me(request, context)
            return JSONResponse.value(["agent": agentRoutes.view(token.agent)])
        }
        router.get("/api/agents/me/usage") { request, context in
            let token = try await me(request, context)
            var usage = token.agent.usage
            if let pending = runtime.services.usage.unflushed(token.agent.id) { usage.apply(pending) }
            return JSONResponse.value([
                "agent_id": .string(token.agent.id), "client_id": .string(token.agent.clientID),
                "token_count": .int(usage.tokenCount), "refresh_count": .int(usage.refreshCount),
                "failed_auth_count": .int(usage.failedAuthCount),
                "last_token_at": usage.lastTokenAt.map(AgentView.timestamp) ?? .null,
                "last_activity_at": usage.lastActivityAt.map(AgentView.timestamp) ?? .null,
            ])
        }
        router.post("/api/agents/me/rotate") { request, context in
            let token = try await me(request, context)
            let grace = try await agentRoutes.gracePeriod(request)
            guard let rotated = try await runtime.services.agents.rotate(
                id: token.agent.id, gracePeriod: grace, by: attribution(token, request, context))
            else { throw APIError.notFound("agent") }
            return agentRoutes.rotated(rotated, gracePeriod: grace)
        }
        router.post("/api/agents/me/deactivate") { request, context in
            let token = try await me(request, context)
            guard let updated = try await runtime.services.agents.deactivate(id: token.agent.id, by: attribution(token, request, context)) else {
                throw APIError.notFound("agent")
            }
            return agentRoutes.respond(updated, message: "agent deactivated; reactivate with POST /api/agents/me/reactivate and client credentials")
        }
        router.post("/api/agents/me/reactivate") { request, context in try await reactivate(request, context: context) }
        router.delete("/api/agents/me") { request, context in try await delete(request, context: context) }
        router.delete("/api/agents/me/delete") { request, context in try await delete(request, context: context) }
    }

    private func me(_ request: Request, _ context: AppRequestContext) async throws -> ValidatedAccessToken {
        guard let token = try context.scope().agentToken else { throw APIError.forbidden("this operation requires the agent's own access token") }
        return token
    }

    private func attribution(_ token: ValidatedAccessToken, _ request: Request, _ context: AppRequestContext) -> Attribution {
        Attribution(actor: .agent(token.agent.id), origin: context.origin(request))
    }

    private func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = try await me(request, context)
        _ = try await runtime.services.agents.delete(id: token.agent.id, by: attribution(token, request, context))
        return JSONResponse.value(["message": "agent deleted", "id": .string(token.agent.id)])
    }

    private func reactivate(_ request: Request, context: AppRequestContext) async throws -> Response {
        let parameters = try await RequestParameters.read(request, maxBytes: runtime.settings.server.maxBodyBytes)
        let principal = try await Authentication(runtime: runtime).authenticateClient(
            request, context: context, parameters: parameters, purpose: .reactivation)
        guard let agent = principal?.agent else {
            throw OAuthError.invalidClient("authenticate with the agent's client credentials", challenge: .basic)
        }
        let updated: Agent?
        do {
            updated = try await runtime.services.agents.reactivate(id: agent.id, by: Attribution(actor: .agent(agent.id), origin: context.origin(request)))
        } catch let refusal as ReactivationRefused {
            throw APIError(.forbidden, code: "access_denied", refusal.description)
        }
        guard let updated else { throw APIError.notFound("agent") }
        return agentRoutes.respond(updated, message: "agent reactivated; request new tokens")
    }
}
