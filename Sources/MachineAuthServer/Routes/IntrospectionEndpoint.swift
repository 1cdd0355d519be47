import Foundation
import Hummingbird
import MachineAuthCore

/// `POST /oauth/introspect` (RFC 7662): who asks is decided here, what the token is by the
/// core's ``TokenInspector``. Inactive, invalid, expired, revoked and foreign tokens all
/// answer `{"active": false}` and nothing else.
struct IntrospectionEndpoint: Sendable {
    let runtime: MachineAuthRuntime

    static let inactive = JSONResponse.value(["active": false], headers: .noStore)

    func handle(_ request: Request, context: AppRequestContext) async throws -> Response {
        let parameters = try await RequestParameters.read(request, maxBytes: runtime.settings.server.maxBodyBytes)
        guard let token = try parameters.single("token"), !token.isEmpty else { throw OAuthError.invalidRequest("token is required") }
        let caller = try await OAuthCallers.resolve(
            request, context: context, parameters: parameters, runtime: runtime,
            allowSelf: runtime.settings.tokens.allowSelfIntrospection)
        let inspection = try await runtime.services.inspector.inspect(
            token, hint: try parameters.single("token_type_hint"), visibleTo: { caller.owns($0) })
        guard case .active(var claims, _) = inspection else { return Self.inactive }
        claims["active"] = true
        return JSONResponse.value(.object(claims), headers: .noStore)
    }
}
