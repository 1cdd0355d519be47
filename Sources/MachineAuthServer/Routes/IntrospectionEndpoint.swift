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
        let caller = try await OAuthCaller.resolve(
            request, context: context, parameters: parameters, runtime: runtime,
            allowSelf: runtime.settings.tokens.allowSelfIntrospection)
        let hint = try parameters.single("token_type_hint")
        let response: Response
        if token.hasPrefix("rt_") || hint == "refresh_token" {
            response = try await refreshToken(token, caller: caller)
        } else {
            response = try await accessToken(token, caller: caller)
        }
        return response
    }

    private func accessToken(_ token: String, caller: OAuthCaller) async throws -> Response {
        guard let validated = try? await runtime.validator.validate(token), caller.owns(validated.agent) else {
            runtime.telemetry.tokenValidated(active: false)
            return Self.inactive
        }
        runtime.telemetry.tokenValidated(active: true)
        var body = validated.claims
        body["active"] = true
        body["token_type"] = "Bearer"
        return JSONResponse.value(.object(body), headers: .noStore)
    }

    private func refreshToken(_ token: String, caller: OAuthCaller) async throws -> Response {
        let time = runtime.now()
        guard let record = try await runtime.storage.refreshToken(hash: runtime.hasher.hash(token)),
            record.usedAt == nil, record.revokedAt == nil, record.expiresAt > time,
            let agent = try await runtime.storage.agent(id: record.agentID), agent.status(at: time) == .active, caller.owns(agent)
        else { return Self.inactive }
        var body: [String: JSONValue] = [
            "active": true, "token_type": "refresh_token", "client_id": .string(record.clientID), "sub": .string(record.clientID),
            "agent_id": .string(agent.id), "scope": .string(record.scopes.joined(separator: " ")),
            "exp": .int(Int(record.expiresAt.timeIntervalSince1970)), "iat": .int(Int(record.createdAt.timeIntervalSince1970)),
            "iss": .string(runtime.settings.server.issuer),
        ]
        if !record.audience.isEmpty { body["aud"] = .array(record.audience.map(JSONValue.string)) }
        return JSONResponse.value(.object(body), headers: .noStore)
    }
}
