public import Foundation
import Metrics

/// The whole issuance of `POST /oauth/token`, free of HTTP: authenticate the client, dispatch
/// to the grant stage registered for `grant_type`, decide scope and audience, sign (with every
/// enricher), let every grant add to the response, record usage and metrics, publish the event.
///
/// ```swift
/// let response = try await tokens.token(parameters, presentation: presentation, origin: origin)
/// ```
public struct TokenService: Sendable {
    let clients: ClientAuthentication
    /// In configuration order.
    let grants: [any GrantHandler]
    let issuer: TokenIssuer
    let usage: UsageRecorder
    let events: EventBus
    let telemetry: Telemetry
    let settings: CoreSettings
    /// Which tokens are bound to a DPoP key (RFC 9449).
    public let dpop: DPoPBinding
    let now: @Sendable () -> Date

    public init(
        clients: ClientAuthentication, grants: [any GrantHandler], issuer: TokenIssuer, usage: UsageRecorder, events: EventBus,
        telemetry: Telemetry, settings: CoreSettings, dpop: DPoPBinding? = nil, now: @escaping @Sendable () -> Date
    ) {
        self.dpop = dpop ?? DPoPBinding(verifier: nil, now: now)
        self.clients = clients
        self.grants = grants
        self.issuer = issuer
        self.usage = usage
        self.events = events
        self.telemetry = telemetry
        self.settings = settings
        self.now = now
    }

    /// `grant_types_supported`: the registered grants.
    public var grantTypes: [String] { grants.map(\.grantType) }

    /// Issues an access token for a token request, or throws the ``OAuthError`` to answer.
    public func token(_ parameters: RequestParameters, presentation: CredentialPresentation, origin: RequestOrigin) async throws -> TokenResponse {
        do {
            return try await issue(parameters, presentation: presentation, origin: origin)
        } catch let error as OAuthError {
            telemetry.tokenFailed(error.code)
            throw error
        }
    }

    private func issue(_ parameters: RequestParameters, presentation: CredentialPresentation, origin: RequestOrigin) async throws -> TokenResponse {
        guard let grantType = try parameters.single("grant_type"), !grantType.isEmpty else {
            throw OAuthError.invalidRequest("grant_type is required")
        }
        guard let handler = grants.first(where: { $0.grantType == grantType }) else {
            throw OAuthError.unsupportedGrantType(
                "grant_type \"\(grantType)\" is not supported (supported: \(grantTypes.joined(separator: ", ")))")
        }
        // The proof is checked first (a refused proof spends no client assertion and counts no
        // failure), but recorded as used only once the client authenticated, so requests without
        // credentials write nothing.
        let proof = try await dpop.checkedProof(presentation.dpop)
        let key = proof?.thumbprint
        let client = try await clients.client(presentation, origin: origin)
        if handler.requiresClientAuthentication, client == nil {
            throw OAuthError.invalidClient("client authentication is required (HTTP Basic or client_id and client_secret)", challenge: .basic)
        }
        if let client, !client.agent.grantTypes.contains(grantType) {
            throw OAuthError.unauthorizedClient("this client may not use the \(grantType) grant")
        }
        // Before the grant, so a refused request spends no refresh token.
        let certificate = presentation.clientCertificate
        if let client {
            try dpop.requireBinding(key, for: client.agent)
            try CertificateBinding.requireBinding(certificate, for: client.agent, configured: settings.server.readsClientCertificates)
        }
        try await dpop.recordUse(of: proof)
        let grant = try await handler.grant(GrantRequest(parameters: parameters, client: client, time: now()))
        let agent = grant.agent
        guard agent.grantTypes.contains(grantType) else { throw OAuthError.unauthorizedClient("this client may not use the \(grantType) grant") }
        let scopes = try ScopeRequest.resolve(try parameters.single("scope"), within: grant.scopes)
        let audience = try AudienceRequest(settings: settings).resolve(parameters, for: agent, within: grant.audience)
        try dpop.requireBinding(key, for: agent)
        try CertificateBinding.requireBinding(certificate, for: agent, configured: settings.server.readsClientCertificates)
        let confirmation = Confirmation(keyThumbprint: key, certificateThumbprint: certificate?.thumbprint)
        let token = try await issuer.issue(
            for: agent, scopes: scopes, audience: audience, grantType: grantType, confirmation: confirmation, grantClaims: grant.claims)
        var response = TokenResponse(
            accessToken: token.token, tokenType: key == nil ? "Bearer" : "DPoP", expiresIn: token.expiresIn, scope: scopes.joined(separator: " "))
        response.agentID = agent.id
        let issuance = Issuance(grantType: grantType, grant: grant, token: token)
        for stage in grants { try await stage.contribute(to: &response, for: issuance) }
        await record(issuance, origin: origin)
        return response
    }

    /// Usage counters, metrics and the `token.issued` / `token.refreshed` event.
    private func record(_ issuance: Issuance, origin: RequestOrigin) async {
        let agent = issuance.grant.agent
        let token = issuance.token
        let renewal = issuance.grant.isRenewal
        usage.record(agent.id, UsageDelta(
            tokens: renewal ? 0 : 1, refreshes: renewal ? 1 : 0, lastTokenAt: token.issuedAt, lastActivityAt: token.issuedAt))
        telemetry.tokenIssued(grantType: issuance.grantType, renewal: renewal, signing: token.signing)
        var data: [String: JSONValue] = [
            "agent_id": .string(agent.id), "client_id": .string(agent.clientID), "grant_type": .string(issuance.grantType),
            "scope": .string(token.scopes.joined(separator: " ")),
        ]
        data.merge(issuance.grant.claims) { own, _ in own }
        await events.publish(DomainEvent(
            type: renewal ? "token.refreshed" : "token.issued", time: now(), actor: .agent(agent.id),
            target: .token(token.jti), organizationID: agent.organizationID, teamID: agent.teamID, data: data, origin: origin))
    }
}
