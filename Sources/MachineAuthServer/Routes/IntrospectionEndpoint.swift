import Foundation
import Hummingbird
import MachineAuthCore

/// `POST /oauth/introspect` (RFC 7662). Inactive, invalid, expired, revoked and foreign
/// tokens all answer `{"active": false}` and nothing else.
struct IntrospectionEndpoint: Sendable {
    let runtime: MachineAuthRuntime

    static let inactive = JSONResponse.value(["active": false], headers: .noStore)

    func handle(_ request: Request, context: AppRequestContext) async throws -> Response {
        let parameters = try await RequestParameters.read(request, maxBytes: runtime.settings.server.maxBodyBytes)
        guard let token = try parameters.single("token"), !token.isEmpty else { throw OAuthError.invalidRequest("token is required") }
        let caller = try await OAuthCallers.resolve(
            request, context: context, parameters: parameters, runtime: runtime,
            allowSelf: runtime.settings.tokens.allowSelfIntrospection)
        let hint = try parameters.single("token_type_hint")
        // A grant stage that issued the token itself (a refresh token) describes it.
        for grant in runtime.stages.grants {
            guard let found = try await grant.introspect(token, hint: hint) else { continue }
            guard found.isActive, caller.owns(found.agent) else { return Self.inactive }
            var body = found.claims
            body["active"] = true
            return JSONResponse.value(.object(body), headers: .noStore)
        }
        return try await accessToken(token, caller: caller)
    }

    private func accessToken(_ token: String, caller: AccessScope) async throws -> Response {
        guard let validated = try? await runtime.services.validator.validate(token), caller.owns(validated.agent) else {
            runtime.services.telemetry.tokenValidated(active: false)
            return Self.inactive
        }
        runtime.services.telemetry.tokenValidated(active: true)
        var body = validated.claims
        body["active"] = true
        body["token_type"] = "Bearer"
        return JSONResponse.value(.object(body), headers: .noStore)
    }
}
