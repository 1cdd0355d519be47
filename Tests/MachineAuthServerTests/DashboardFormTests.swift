import Foundation
import HTTPTypes
import Hummingbird
import MachineAuthCore
@testable import MachineAuthServer
import MachineAuthServerTesting
import MachineAuthTesting
import Testing

/// Every form's error path: a bad input is a 4xx page with the message next to its field
/// (the element `<field>-error`), the values sent are kept, and nothing is a 5xx.
@Suite("Dashboard forms")
struct DashboardFormTests {
    struct Case: Sendable, CustomStringConvertible {
        var path: String
        var fields: [(String, String)]
        var status: HTTPResponse.Status
        /// The id of the element with the message, and the message.
        var element: String
        var message: String
        var description: String { "\(path) \(fields.map { "\($0.0)=\($0.1)" }.joined(separator: "&"))" }
    }

    static let cases: [Case] = [
        Case(path: "/dashboard/agents", fields: [("name", " "), ("grant_types", "client_credentials")], status: .badRequest,
             element: "name-error", message: "Must not be empty."),
        Case(path: "/dashboard/agents", fields: [("name", "a"), ("grant_types", "client_credentials"), ("expires_in_days", "abc")], status: .badRequest,
             element: "expires_in_days-error", message: "Must be a whole number between 1 and 3,650."),
        Case(path: "/dashboard/agents", fields: [("name", "a"), ("grant_types", "client_credentials"), ("expires_in_days", "99999999999999999999999")],
             status: .badRequest, element: "expires_in_days-error", message: "Must be a whole number between 1 and 3,650."),
        Case(path: "/dashboard/agents", fields: [("name", "a")], status: .badRequest, element: "grant_types-error",
             message: "Must name at least one grant (valid: client_credentials, refresh_token)."),
        Case(path: "/dashboard/agents", fields: [("name", "a"), ("grant_types", "client_credentials"), ("scopes", "re\"ad")], status: .badRequest,
             element: "scopes-error", message: "\"re\"ad\" is not a valid scope (printable ASCII without spaces, quotes or backslashes)."),
        Case(path: "/dashboard/agents", fields: [("name", "a"), ("grant_types", "client_credentials"), ("metadata", "no equals sign")],
             status: .badRequest, element: "metadata-error", message: "Each line must read key=value."),
        Case(path: "/dashboard/agents", fields: [("name", "a"), ("grant_types", "client_credentials"), ("organization_id", "nope")], status: .notFound,
             element: "organization_id-error", message: "Organization not found."),
        Case(path: "/dashboard/organizations", fields: [("name", "Acme"), ("slug", "Not A Slug")], status: .badRequest, element: "org-slug-error",
             message: "Must be a lowercase DNS label: a-z, 0-9 and -, 1 to 63 characters, not starting or ending with -."),
        Case(path: "/dashboard/organizations", fields: [("name", "Acme"), ("slug", "acme"), ("owner_email", "nobody")], status: .badRequest,
             element: "org-owner-error", message: "Must be an e-mail address."),
        Case(path: "/dashboard/webhooks", fields: [("url", "ftp://example.com")], status: .badRequest, element: "hook-url-error",
             message: "Must be an http or https URL."),
        Case(path: "/dashboard/webhooks", fields: [("url", "http://127.0.0.1:9/hook"), ("max_retries", "99")], status: .badRequest,
             element: "hook-retries-error", message: "Must be a whole number between 0 and 50."),
        Case(path: "/dashboard/webhooks", fields: [("url", "http://127.0.0.1:9/hook"), ("events", "agent.exploded")], status: .badRequest,
             element: "hook-events-error", message: "Unknown event \"agent.exploded\" (see GET /api/webhook-events; wildcards: agent.*, *)."),
        Case(path: "/dashboard/webhooks", fields: [("url", "http://127.0.0.1:9/hook"), ("retry_backoff_base", "0")], status: .badRequest,
             element: "hook-backoff-error", message: "Must be a whole number between 1 and 10."),
        Case(path: "/dashboard/tokens/issue", fields: [("client_id", "")], status: .badRequest, element: "client_id-error",
             message: "Enter the agent's client id."),
        Case(path: "/dashboard/tokens/issue", fields: [("client_id", "cid_nobody"), ("client_secret", "wrong")], status: .unauthorized,
             element: "client_secret-error", message: "Client authentication failed."),
        Case(path: "/dashboard/tokens/inspect", fields: [("token", "")], status: .badRequest, element: "inspect-token-error",
             message: "Paste a token to inspect."),
        Case(path: "/dashboard/tokens/revoke", fields: [("token", " ")], status: .badRequest, element: "revoke-token-error",
             message: "Paste the token to revoke."),
        Case(path: "/dashboard/gateway/check", fields: [("method", "GET"), ("path", "no-slash")], status: .badRequest, element: "gw-path-error",
             message: "Enter the request's path, starting with /, e.g. /v1/reports."),
        Case(path: "/dashboard/gateway/check", fields: [("method", "BREW"), ("path", "/")], status: .badRequest, element: "gw-method-error",
             message: "Choose one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS."),
        Case(path: "/dashboard/users", fields: [("email", "someone@example.com"), ("password", "short")], status: .badRequest,
             element: "user-password-error", message: "Must be at least 12 characters."),
        Case(path: "/dashboard/users", fields: [("email", "someone@example.com"), ("password", "long-enough-password"), ("role", "owner")],
             status: .badRequest, element: "user-role-error", message: "Must be admin or viewer."),
        Case(path: "/dashboard/users", fields: [("email", "someone"), ("password", "long-enough-password")], status: .badRequest,
             element: "user-email-error", message: "Must be an e-mail address."),
    ]

    @Test("a refused form says why next to the field", arguments: cases)
    func refused(_ form: Case) async throws {
        try await Harness.with(DashboardTests.yaml) { h in
            var session = try await DashboardSession.signIn(h)
            let reply = try await session.post(form.path, form.fields)
            #expect(reply.status == form.status, "\(reply.text.prefix(400))")
            #expect(DashboardSession.element(form.element, in: reply.text).map(Self.unescape) == form.message, "\(reply.text.prefix(2000))")
            #expect(reply.text.contains("aria-invalid=\"true\"") || form.element.hasSuffix("grant_types-error"))
        }
    }

    @Test("errors of forms on an object's page: rotation, teams, API keys, webhook edits, list filters")
    func objectForms() async throws {
        try await Harness.with(DashboardTests.yaml) { h in
            var session = try await DashboardSession.signIn(h)
            let owner = try await h.adminToken()
            let agent = try await h.createAgent(owner)
            let grace = try await session.post("/dashboard/agents/\(agent.id)/rotate", [("grace_period_seconds", "-5")])
            #expect(grace.status == .badRequest && DashboardSession.element("grace_period_seconds-error", in: grace.text) == "Must be a whole number between 0 and 2,592,000.")
            #expect(grace.text.contains("value=\"-5\""), "the value sent stays in the field")
            let organization = try await h.json(.post, "/api/organizations", token: owner, ["name": "F", "slug": "f"])["organization"]?.objectValue?["id"]?.stringValue ?? ""
            let team = try await session.post("/dashboard/organizations/\(organization)/teams", [("name", "")])
            #expect(team.status == .badRequest && DashboardSession.element("team-name-error", in: team.text) == "Must not be empty.")
            let key = try await session.post("/dashboard/organizations/\(organization)/api-keys", [("name", "k"), ("expires_in_days", "0")])
            #expect(key.status == .badRequest && DashboardSession.element("key-expiry-error", in: key.text) == "Must be a whole number between 1 and 3,650.")
            let duplicate = try await session.post("/dashboard/organizations", [("name", "G"), ("slug", "f")])
            #expect(duplicate.status == .conflict && duplicate.text.contains("class=\"problem\""))
            let webhook = try await h.json(.post, "/api/webhooks", token: owner, ["url": "http://127.0.0.1:9/hook"])["webhook"]?.objectValue?["id"]?.stringValue ?? ""
            let edit = try await session.post("/dashboard/webhooks/\(webhook)", [("url", "nope"), ("name", "w"), ("events", "*")])
            #expect(edit.status == .badRequest && DashboardSession.element("edit-url-error", in: edit.text) == "Must be an http or https URL.")
            for (path, element, message) in [
                ("/dashboard/agents?status=bogus", "status-error", "Must be one of active, inactive, expired."),
                ("/dashboard/agents?page=0", "page-error", "Must be a whole number between 1 and 1,000,000."),
                ("/dashboard/agents?limit=9999", "limit-error", "Must be a whole number between 1 and 500."),
                ("/dashboard/audit?from=yesterday", "from-error", "Must be an RFC 3339 timestamp."),
                ("/dashboard/webhooks/\(webhook)?status=lost", "delivery-status-error", "Must be one of pending, retrying, delivered, failed, dead."),
            ] {
                let reply = try await session.get(path)
                #expect(reply.status == .badRequest && DashboardSession.element(element, in: reply.text) == message, "\(path): \(reply.text.prefix(300))")
            }
            #expect(try await session.get("/dashboard/agents/not-an-agent").status == .notFound)
            #expect(try await session.post("/dashboard/agents/not-an-agent/rotate", []).status == .notFound)
        }
    }

    static func unescape(_ html: String) -> String {
        html.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
    }
}
