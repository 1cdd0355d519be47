import Hummingbird
import MachineAuthCore

/// `POST /oauth/token` (and its alias `/oauth/refresh`): parses the request and renders what
/// the core's ``TokenService`` decides — client authentication, the registered grants, scope,
/// audience, signing, refresh tokens and events all live there.
struct TokenEndpoint: Sendable {
    let runtime: MachineAuthRuntime

    func handle(_ request: Request, context: AppRequestContext) async throws -> Response {
        let parameters = try await RequestParameters.read(request, maxBytes: runtime.settings.server.maxBodyBytes)
        var presentation = CredentialPresentation.from(request, context: context, parameters: parameters, purpose: .clientAuthentication)
        presentation.dpop = Authentication(runtime: runtime).dpop(request)
        presentation.clientCertificate = try Authentication(runtime: runtime).clientCertificate(
            request, context: context, refusal: OAuthError.invalidRequest)
        let response = try await runtime.services.tokens.token(parameters, presentation: presentation, origin: context.origin(request))
        if let agentID = response.agentID { context.notes.record(.agent(agentID)) }
        var headers = HTTPFields.noStore
        // RFC 9449 §8.2: the next nonce to use, with every answer while the stage requires them.
        if let nonce = runtime.services.dpop.currentNonce() { headers[.dpopNonce] = nonce }
        return JSONResponse.value(response.json, headers: headers)
    }
}
