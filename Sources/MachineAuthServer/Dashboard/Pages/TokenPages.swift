import Foundation
import Hummingbird
import MachineAuthCore

/// `/dashboard/tokens`: issue a token with client credentials (the core's ``TokenService``,
/// exactly as `POST /oauth/token`), decode and inspect one (``TokenInspector``: active or why
/// not), revoke one (``RevocationService``). Tokens travel only in form bodies and appear only
/// in `no-store` responses.
struct TokenPages: Sendable {
    let dashboard: Dashboard

    /// The form field an OAuth error code is about.
    static let errorFields = ["invalid_client": "client_secret", "invalid_scope": "scope", "invalid_target": "audience"]

    func register(on router: DashboardRouter) {
        router.get("/dashboard/tokens") { page in try render(page, TokenToolsView.Forms()) }
        router.post("/dashboard/tokens/issue") { page in try await issue(page) }
        router.post("/dashboard/tokens/inspect") { page in
            var forms = TokenToolsView.Forms()
            forms.inspect = FormState(values: ["token": page.fields.text("token")])
            guard let token = page.fields.optional("token") else {
                forms.inspect.errors["token"] = "Paste a token to inspect."
                return try render(page, forms, status: .badRequest)
            }
            forms.revoke.values["token"] = token
            return try render(page, forms, inspection: try await inspect(token, page))
        }
        router.post("/dashboard/tokens/revoke") { page in
            var forms = TokenToolsView.Forms()
            forms.revoke = FormState(values: ["token": page.fields.text("token")])
            guard let token = page.fields.optional("token") else {
                forms.revoke.errors["token"] = "Paste the token to revoke."
                return try render(page, forms, status: .badRequest)
            }
            let scope = try page.scope()
            try await dashboard.runtime.services.revocation.revoke(
                token, hint: nil, mayRevoke: { scope.owns($0) }, by: Attribution(actor: scope.attributionActor, origin: page.origin))
            forms.inspect.values["token"] = token
            let inspection = try await inspect(token, page)
            let outcome = inspection.active
                ? "The token was not revoked: it is not one of this server's tokens of your agents."
                : "Done. The token is not active: \(inspection.reason ?? "")."
            return try render(page, forms, inspection: inspection, revocation: outcome)
        }
    }

    private func issue(_ page: DashboardRequest) async throws -> Response {
        let fields = page.fields
        var forms = TokenToolsView.Forms()
        forms.issue = FormState(values: ["client_id": fields.text("client_id"), "scope": fields.text("scope"), "audience": fields.text("audience")])
        guard let clientID = fields.optional("client_id") else {
            forms.issue.errors["client_id"] = "Enter the agent's client id."
            return try render(page, forms, status: .badRequest)
        }
        var values = ["grant_type": ["client_credentials"], "client_id": [clientID], "client_secret": [fields.raw("client_secret")]]
        if let scope = fields.optional("scope") { values["scope"] = [scope] }
        if let audience = fields.optional("audience") { values["audience"] = [audience] }
        let parameters = RequestParameters(values)
        let presentation = CredentialPresentation(
            purpose: .clientAuthentication, authorization: nil, parameters: parameters.firstValues, remoteAddress: page.context.clientAddress)
        do {
            let issued = try await dashboard.runtime.services.tokens.token(parameters, presentation: presentation, origin: page.origin)
            forms.inspect.values["token"] = issued.accessToken
            forms.revoke.values["token"] = issued.accessToken
            let view = IssuedTokenView(
                accessToken: issued.accessToken, tokenType: issued.tokenType, expiresIn: NumberRangeError.format(issued.expiresIn),
                scope: issued.scope, refreshToken: issued.refreshToken)
            return try render(page, forms, issued: view)
        } catch let error as OAuthError {
            guard error.status < 500 else { throw error }
            let message = DashboardErrorPage.sentence(error.message)
            if let field = Self.errorFields[error.code] { forms.issue.errors[field] = message } else { forms.issue.problem = message }
            var response = try render(page, forms, status: HTTPResponse.Status(code: error.status))
            if let retryAfter = error.retryAfter { response.headers[.retryAfter] = String(retryAfter) }
            return response
        }
    }

    /// What the token says (decoded, unverified) and what the server says about it.
    private func inspect(_ token: String, _ page: DashboardRequest) async throws -> InspectionView {
        let scope = try page.scope()
        let inspection = try await dashboard.runtime.services.inspector.inspect(token, hint: nil, visibleTo: { scope.owns($0) })
        return InspectionView(token: token, inspection: inspection)
    }

    private func render(
        _ page: DashboardRequest, _ forms: TokenToolsView.Forms, status: HTTPResponse.Status = .ok, issued: IssuedTokenView? = nil,
        inspection: InspectionView? = nil, revocation: String? = nil
    ) throws -> Response {
        let view = TokenToolsView(
            chrome: try dashboard.chrome(page, title: "Token tools", section: "/dashboard/tokens"), forms: forms, issued: issued,
            inspection: inspection, revocation: revocation)
        return dashboard.render("tokens", view, status: status, headers: .noStore)
    }
}
