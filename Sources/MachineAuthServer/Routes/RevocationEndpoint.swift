import Hummingbird
import MachineAuthCore

/// `POST /oauth/revoke` (RFC 7009): who may revoke is decided here, the revocation by the
/// core's ``RevocationService``. Unknown or foreign tokens also get 200.
struct RevocationEndpoint: Sendable {
    let runtime: MachineAuthRuntime

    func handle(_ request: Request, context: AppRequestContext) async throws -> Response {
        let parameters = try await RequestParameters.read(request, maxBytes: runtime.settings.server.maxBodyBytes)
        guard let token = try parameters.single("token"), !token.isEmpty else { throw OAuthError.invalidRequest("token is required") }
        let caller = try await OAuthCallers.resolve(request, context: context, parameters: parameters, runtime: runtime, allowSelf: true)
        guard caller.mayWrite else { throw OAuthError.accessDenied("a viewer cannot revoke tokens") }
        try await runtime.services.revocation.revoke(
            token, hint: try parameters.single("token_type_hint"), mayRevoke: { caller.owns($0) },
            by: Attribution(actor: caller.attributionActor, origin: context.origin(request)))
        return JSONResponse.value([:], headers: .noStore)
    }
}
