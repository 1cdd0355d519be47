import Hummingbird
import MachineAuthCore

/// `POST /oauth/token` (and its alias `/oauth/refresh`): parses the request and renders what
/// the core's ``TokenService`` decides — client authentication, the registered grants, scope,
/// audience, signing, refresh tokens and events all live there.
struct TokenEndpoint: Sendable {
    let runtime: MachineAuthRuntime

    func handle(_ request: Request, context: AppRequestContext) async throws -> Response {
        let parameters = try await RequestParameters.read(request, maxBytes: runtime.settings.server.maxBodyBytes)
        let presentation = CredentialPresentation.from(request, context: context, parameters: parameters, purpose: .clientAuthentication)
        let response = try await runtime.services.tokens.token(parameters, presentation: presentation, origin: context.origin(request))
        if let agentID = response.agentID { context.notes.record(.agent(agentID)) }
        return JSONResponse.value(response.json, headers: .noStore)
    }
}
