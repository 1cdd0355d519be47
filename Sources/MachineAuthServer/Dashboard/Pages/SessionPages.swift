import Foundation
import Hummingbird
import MachineAuthCore

/// Signing in and out of the dashboard with the admin session cookie (``SessionCookies``).
///
/// The sign-in form is protected against cross-site posts by its own token: a random value in
/// an HttpOnly, `SameSite=Strict` cookie that the form must repeat (there is no session yet
/// whose CSRF token could serve).
struct SessionPages: Sendable {
    let dashboard: Dashboard
    static let loginCookie = "machineauth_login"

    func register(on router: DashboardRouter) {
        router.get("/dashboard/login") { page in
            if await signedIn(page) { return dashboard.redirect(Self.destination(page.query.string("next"))) }
            return form(page, email: "", next: page.query.string("next") ?? "", status: .ok)
        }
        router.post("/dashboard/login") { page in try await signIn(page) }
        router.post("/dashboard/logout") { page in
            guard let session = try page.scope().session else { throw APIError.forbidden("this operation requires an administrator session") }
            try await dashboard.runtime.services.administrators.logout(session, origin: page.origin)
            var response = dashboard.redirect("/dashboard/login", notice: .signedOut)
            SessionCookies.clear(on: &response, context: page.context)
            return response
        }
    }

    private func signIn(_ page: DashboardRequest) async throws -> Response {
        let fields = page.fields
        let next = fields.text("next")
        let expected = page.request.cookies[Self.loginCookie]?.value ?? ""
        guard !expected.isEmpty, ConstantTime.equals(fields.raw(AccessGate.csrfField), expected) else {
            return form(page, email: fields.text("email"), next: next, status: .forbidden, problem: "The sign-in form expired. Please try again.")
        }
        let session: AdminSession
        do {
            session = try await AdminSignIn(runtime: dashboard.runtime).signIn(
                email: fields.text("email"), password: fields.raw("password"), request: page.request, context: page.context)
        } catch {
            let refusal = ErrorMiddleware.refusal(for: error, request: page.request, context: page.context)
            guard refusal.status.code < 500 else { throw error }
            var errors: [String: String] = [:]
            if let field = refusal.field { errors[field] = DashboardErrorPage.sentence(String(refusal.message.dropFirst(field.count + 2))) }
            let problem = refusal.field == nil ? DashboardErrorPage.sentence(refusal.message) : nil
            var response = form(page, email: fields.text("email"), next: next, status: refusal.status, problem: problem, errors: errors)
            if let retryAfter = refusal.headers[.retryAfter] { response.headers[.retryAfter] = retryAfter }
            return response
        }
        var response = dashboard.redirect(Self.destination(next))
        let csrf = dashboard.runtime.services.adminSessions.csrfToken(for: session)
        SessionCookies.set(on: &response, session: session, csrf: csrf, lifetime: dashboard.runtime.settings.admin.sessionTTL.seconds, context: page.context)
        response.setCookie(loginCookie(value: "", maxAge: 0, page.context))
        return response
    }

    /// The sign-in form with a fresh form token.
    private func form(
        _ page: DashboardRequest, email: String, next: String, status: HTTPResponse.Status, problem: String? = nil, errors: [String: String] = [:]
    ) -> Response {
        let token = RandomToken.hex(bytes: 16)
        var chrome = Chrome(title: "Sign in", resources: dashboard.resources)
        chrome.notice = page.query.string("notice").flatMap(Notice.text)
        let view = LoginView(chrome: chrome, token: token, email: email, next: next, problem: problem, errors: errors)
        var response = dashboard.render("login", view, status: status)
        response.setCookie(loginCookie(value: token, maxAge: 3600, page.context))
        return response
    }

    private func loginCookie(value: String, maxAge: Int, _ context: AppRequestContext) -> Cookie {
        Cookie(name: Self.loginCookie, value: value, maxAge: maxAge, path: "/dashboard/login", secure: context.scheme == "https", httpOnly: true, sameSite: .strict)
    }

    /// Whether the request already carries a valid admin session.
    private func signedIn(_ page: DashboardRequest) async -> Bool {
        let authentication = Authentication(runtime: dashboard.runtime)
        guard let credential = authentication.presented(page.request),
            case .admin(let session)? = try? await authentication.caller(page.request, context: page.context, credential: credential.value)
        else { return false }
        return (try? await AccessScope.resolve(.admin(session), runtime: dashboard.runtime)) != nil
    }

    /// Where to go after signing in: a dashboard path only (never another site, `//host` or a `\`).
    static func destination(_ next: String?) -> String {
        guard let next, next.hasPrefix("/dashboard"), !next.contains("//"), !next.contains("\\"),
            next.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F })
        else { return "/dashboard" }
        return next
    }

    /// Percent-encodes a query parameter value.
    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/")
}

/// The sign-in page.
struct LoginView: Sendable {
    var chrome: Chrome
    var token: String
    var email: String
    var next: String
    var problem: String?
    var errors: [String: String]
}
