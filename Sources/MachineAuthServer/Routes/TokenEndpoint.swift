import Foundation
import Hummingbird
import MachineAuthCore

/// `POST /oauth/token` (and its alias `/oauth/refresh`): the client credentials and refresh
/// token grants (RFC 6749 §4.4, §6) with RFC 8707 resource indicators.
struct TokenEndpoint: Sendable {
    let runtime: MachineAuthRuntime
    var authentication: Authentication { Authentication(runtime: runtime) }

    func handle(_ request: Request, context: AppRequestContext) async throws -> Response {
        let parameters = try await RequestParameters.read(request, maxBytes: runtime.settings.server.maxBodyBytes)
        do {
            guard let grantType = try parameters.single("grant_type"), !grantType.isEmpty else {
                throw OAuthError.invalidRequest("grant_type is required")
            }
            let supported = Set(runtime.authenticators.flatMap(\.capabilities.grantTypes))
            guard supported.contains(grantType) else {
                throw OAuthError.unsupportedGrantType(
                    "grant_type \"\(grantType)\" is not supported (supported: \(supported.sorted().joined(separator: ", ")))")
            }
            switch grantType {
            case "client_credentials": return try await clientCredentials(request, context: context, parameters: parameters)
            case "refresh_token": return try await refresh(request, context: context, parameters: parameters)
            default: throw OAuthError.unsupportedGrantType("grant_type \"\(grantType)\" is not supported")
            }
        } catch let error as OAuthError {
            runtime.telemetry.tokenFailed(error.code)
            throw error
        }
    }

    private func clientCredentials(_ request: Request, context: AppRequestContext, parameters: RequestParameters) async throws -> Response {
        guard let client = try await authentication.authenticateClient(request, context: context, parameters: parameters) else {
            throw OAuthError.invalidClient("client authentication is required (HTTP Basic or client_id and client_secret)", challenge: .basic)
        }
        let agent = client.agent
        guard agent.grantTypes.contains("client_credentials") else {
            throw OAuthError.unauthorizedClient("this client may not use the client_credentials grant")
        }
        let scopes = try ScopeRequest.resolve(try parameters.single("scope"), within: agent.scopes)
        let audience = try AudienceRequest(settings: runtime.settings).resolve(parameters, for: agent, within: nil)
        let issued = try await runtime.issuer.issue(for: agent, scopes: scopes, audience: audience, grantType: "client_credentials")
        var refreshToken: String?
        if runtime.settings.tokens.refreshTokensForClientCredentials, agent.grantTypes.contains("refresh_token"),
            let issuer = runtime.refreshTokenIssuer
        {
            refreshToken = try await issuer.issueRefreshToken(for: agent, scopes: scopes, audience: audience, familyID: nil)
        }
        return await respond(issued, refreshToken: refreshToken, agent: agent, grantType: "client_credentials", request: request, context: context)
    }

    private func refresh(_ request: Request, context: AppRequestContext, parameters: RequestParameters) async throws -> Response {
        let client = try await authentication.authenticateClient(request, context: context, parameters: parameters)
        if let client, !client.agent.grantTypes.contains("refresh_token") {
            throw OAuthError.unauthorizedClient("this client may not use the refresh_token grant")
        }
        let presentation = CredentialPresentation.from(
            request, context: context, parameters: parameters, purpose: .refreshGrant, authenticatedClient: client?.agent)
        var principal: AgentPrincipal?
        for authenticator in runtime.authenticators where authenticator.capabilities.purposes.contains(.refreshGrant) {
            if case .agent(let found) = try await authenticator.authenticate(presentation) {
                principal = found
                break
            }
        }
        guard let principal, let grant = principal.refreshGrant else {
            throw OAuthError.invalidGrant("the refresh token is invalid")
        }
        let agent = principal.agent
        let granted = grant.scopes.filter(agent.scopes.contains)
        let scopes = try ScopeRequest.resolve(try parameters.single("scope"), within: granted)
        let audiences = AudienceRequest(settings: runtime.settings)
        let grantedAudience = try audiences.stillAllowed(grant.audience, for: agent)
        let audience = try audiences.resolve(parameters, for: agent, within: grantedAudience)
        let issued = try await runtime.issuer.issue(for: agent, scopes: scopes, audience: audience, grantType: "refresh_token")
        let next = try await runtime.refreshTokenIssuer?.issueRefreshToken(
            for: agent, scopes: granted, audience: grantedAudience, familyID: grant.familyID)
        runtime.telemetry.tokensRefreshed.increment()
        return await respond(issued, refreshToken: next, agent: agent, grantType: "refresh_token", request: request, context: context)
    }

    private func respond(
        _ issued: IssuedAccessToken, refreshToken: String?, agent: Agent, grantType: String, request: Request, context: AppRequestContext
    ) async -> Response {
        let refreshing = grantType == "refresh_token"
        runtime.usage.record(agent.id, UsageDelta(
            tokens: refreshing ? 0 : 1, refreshes: refreshing ? 1 : 0, lastTokenAt: issued.issuedAt, lastActivityAt: issued.issuedAt))
        runtime.telemetry.tokenIssued(grantType: grantType)
        await runtime.events.publish(DomainEvent(
            type: refreshing ? "token.refreshed" : "token.issued", time: runtime.now(), actor: .agent(agent.id),
            target: .token(issued.jti), organizationID: agent.organizationID, teamID: agent.teamID,
            data: [
                "agent_id": .string(agent.id), "client_id": .string(agent.clientID), "grant_type": .string(grantType),
                "scope": .string(issued.scopes.joined(separator: " ")),
            ],
            origin: context.origin(request)))
        var body: [String: JSONValue] = [
            "access_token": .string(issued.token), "token_type": "Bearer", "expires_in": .int(issued.expiresIn),
            "scope": .string(issued.scopes.joined(separator: " ")),
        ]
        if let refreshToken { body["refresh_token"] = .string(refreshToken) }
        return JSONResponse.value(.object(body), headers: .noStore)
    }
}

/// The `scope` parameter: space-separated, every scope granted to the client (RFC 6749 §3.3).
enum ScopeRequest {
    static func resolve(_ requested: String?, within allowed: [String]) throws -> [String] {
        guard let requested else { return allowed }
        let scopes = requested.split(separator: " ").map(String.init)
        guard !scopes.isEmpty else { return allowed }
        let missing = scopes.filter { !allowed.contains($0) }
        guard missing.isEmpty else {
            throw OAuthError.invalidScope("scope not granted to this client: \(missing.joined(separator: " "))")
        }
        var seen = Set<String>()
        return scopes.filter { seen.insert($0).inserted }
    }
}

/// `resource` (RFC 8707, repeatable absolute URIs) and `audience` parameters → the token's `aud`.
///
/// Only audiences the agent may ask for are issued: its `allowed_audiences`, else the
/// deployment's `tokens.allowed_audiences`, and always the default audience (this server, unless
/// `tokens.default_audience` says otherwise). Anything else is `invalid_target` (RFC 8707 §2).
struct AudienceRequest {
    let settings: CoreSettings

    var defaultAudience: [String] {
        settings.tokens.defaultAudience.isEmpty ? [settings.server.issuer] : settings.tokens.defaultAudience
    }

    /// Every audience `agent` may be issued now.
    func allowed(for agent: Agent) -> Set<String> {
        Set((agent.allowedAudiences.isEmpty ? settings.tokens.allowedAudiences : agent.allowedAudiences) + defaultAudience)
    }

    /// The audience of a refresh grant that the agent may still be issued: one it lost since is dropped.
    func stillAllowed(_ granted: [String], for agent: Agent) throws -> [String] {
        let allowed = allowed(for: agent)
        let kept = granted.filter(allowed.contains)
        guard !kept.isEmpty else { throw OAuthError.invalidGrant("this client may no longer be issued the audience of the refresh token") }
        return kept
    }

    /// `granted`: for a refresh, the audience of the original grant (already narrowed to what the
    /// agent may still have, ``stillAllowed(_:for:)``), which may only be narrowed further.
    func resolve(_ parameters: RequestParameters, for agent: Agent, within granted: [String]?) throws -> [String] {
        let resources = parameters.all("resource")
        for resource in resources {
            guard let url = URL(string: resource), url.scheme != nil, url.host != nil || url.scheme == "urn", url.fragment == nil else {
                throw OAuthError.invalidTarget("resource \"\(resource)\" must be an absolute URI without a fragment")
            }
        }
        let audiences = parameters.all("audience").flatMap { $0.split(separator: " ").map(String.init) }
        var seen = Set<String>()
        let requested = (resources + audiences).filter { seen.insert($0).inserted }
        if let granted {
            guard !requested.isEmpty else { return granted }
            let outside = requested.filter { !granted.contains($0) }
            guard outside.isEmpty else {
                throw OAuthError.invalidTarget("the refresh token was not granted for \(outside.joined(separator: " "))")
            }
            return requested
        }
        guard !requested.isEmpty else { return defaultAudience }
        let allowed = allowed(for: agent)
        let outside = requested.filter { !allowed.contains($0) }
        guard outside.isEmpty else {
            throw OAuthError.invalidTarget("this client may not ask for \(outside.joined(separator: " ")) (see the agent's allowed_audiences)")
        }
        return requested
    }
}
