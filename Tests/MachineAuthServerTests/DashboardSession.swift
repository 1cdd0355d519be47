import Foundation
import HTTPTypes
import Hummingbird
import MachineAuthCore
import Testing

/// A browser's view of the dashboard, in-process: signs in through the sign-in form (its
/// form-token cookie included), keeps the session cookies, and posts forms with the session's
/// CSRF token as a hidden field would.
struct DashboardSession: Sendable {
    let h: Harness
    var cookies: [String: String] = [:]

    var csrf: String { cookies["machineauth_csrf"] ?? "" }

    /// Signs in as `email`; expects success.
    static func signIn(_ h: Harness, email: String = "admin@example.com", password: String = "correct-horse-battery") async throws -> DashboardSession {
        var session = DashboardSession(h: h)
        let reply = try await session.signIn(email: email, password: password)
        #expect(reply.status == .seeOther, "\(reply.text.prefix(300))")
        #expect(session.cookies["machineauth_admin"] != nil)
        return session
    }

    /// Fills in the sign-in form and sends it.
    mutating func signIn(email: String, password: String) async throws -> Harness.Reply {
        let form = try await get("/dashboard/login")
        #expect(form.status == .ok)
        return try await post("/dashboard/login", [
            ("csrf_token", Self.hidden("csrf_token", in: form.text)), ("email", email), ("password", password), ("next", ""),
        ], withCSRF: false)
    }

    mutating func get(_ path: String) async throws -> Harness.Reply {
        let reply = try await h.send(.get, path, headers: cookieHeader)
        remember(reply)
        return reply
    }

    /// Posts a form; `withCSRF` adds the session's CSRF token as the `csrf_token` field.
    mutating func post(_ path: String, _ fields: [(String, String)], withCSRF: Bool = true) async throws -> Harness.Reply {
        var headers = cookieHeader
        headers[.contentType] = "application/x-www-form-urlencoded"
        let all = (withCSRF ? [("csrf_token", csrf)] : []) + fields
        let body = all.map { "\(Harness.encode($0.0))=\(Harness.encode($0.1))" }.joined(separator: "&")
        let reply = try await h.send(.post, path, headers: headers, body: body)
        remember(reply)
        return reply
    }

    private var cookieHeader: HTTPFields {
        cookies.isEmpty ? [:] : [.cookie: cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ")]
    }

    private mutating func remember(_ reply: Harness.Reply) {
        for header in reply.headers[values: .setCookie] {
            let pair = header.split(separator: ";", maxSplits: 1)[0]
            guard let equals = pair.firstIndex(of: "=") else { continue }
            let name = String(pair[..<equals]), value = String(pair[pair.index(after: equals)...])
            if value.isEmpty || header.contains("Max-Age=0") { cookies[name] = nil } else { cookies[name] = value }
        }
    }

    /// The value of the hidden input `name` in a page.
    static func hidden(_ name: String, in html: String) -> String {
        guard let field = html.range(of: "name=\"\(name)\" value=\""),
            let end = html[field.upperBound...].firstIndex(of: "\"")
        else { return "" }
        return String(html[field.upperBound..<end])
    }

    /// The text of the element with `id` (up to the next tag).
    static func element(_ id: String, in html: String) -> String? {
        guard let start = html.range(of: "id=\"\(id)\""), let open = html[start.upperBound...].firstIndex(of: ">"),
            let close = html[open...].firstIndex(of: "<")
        else { return nil }
        return String(html[html.index(after: open)..<close])
    }
}
