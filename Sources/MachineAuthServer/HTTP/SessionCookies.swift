import Hummingbird
import MachineAuthCore

/// The admin session's cookies, for the API's sign-in and the dashboard's alike: the session
/// itself (HttpOnly) and its CSRF token (readable by the dashboard's script), both
/// `SameSite=Strict` and `Secure` when the client came over HTTPS (as the request context
/// decided it: `X-Forwarded-Proto` counts only from a trusted proxy).
enum SessionCookies {
    /// Sets both cookies for `session`, living as long as the session.
    static func set(on response: inout Response, session: AdminSession, csrf: String, lifetime: Int, context: AppRequestContext) {
        let secure = context.scheme == "https"
        response.setCookie(Cookie(
            name: Authentication.adminCookie, value: session.token, maxAge: lifetime, path: "/", secure: secure, httpOnly: true, sameSite: .strict))
        response.setCookie(Cookie(
            name: Authentication.csrfCookie, value: csrf, maxAge: lifetime, path: "/", secure: secure, httpOnly: false, sameSite: .strict))
    }

    /// Expires both cookies.
    static func clear(on response: inout Response, context: AppRequestContext) {
        let secure = context.scheme == "https"
        response.setCookie(Cookie(name: Authentication.adminCookie, value: "", maxAge: 0, path: "/", secure: secure, httpOnly: true, sameSite: .strict))
        response.setCookie(Cookie(name: Authentication.csrfCookie, value: "", maxAge: 0, path: "/", secure: secure, httpOnly: false, sameSite: .strict))
    }
}
