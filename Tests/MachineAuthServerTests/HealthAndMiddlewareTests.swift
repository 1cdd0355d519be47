import Foundation
import Hummingbird
import HTTPTypes
import MachineAuthCore
import MachineAuthServer
import MachineAuthServerTesting
import MachineAuthTesting
import Testing

@Suite("Health, errors and middleware")
struct HealthAndMiddlewareTests {
    @Test("root, health and readiness")
    func health() async throws {
        try await Harness.with { h in
            let root = try await h.send(.get, "/")
            #expect(root.string("service") == "MachineAuth")
            #expect(root.string("version") == MachineAuthVersion.current)
            #expect(try await h.send(.get, "/health").string("status") == "ok")
            let ready = try await h.send(.get, "/health/ready")
            #expect(ready.status == .ok)
            #expect(ready["agents"] == .int(0))
        }
    }

    @Test("unknown routes get a JSON 404 with a request id")
    func notFound() async throws {
        try await Harness.with { h in
            let reply = try await h.send(.get, "/nope", headers: [HTTPField.Name("X-Request-Id")!: "abc123"])
            #expect(reply.status == .notFound)
            #expect(reply.string("error") == "not_found")
            #expect(reply.headers[HTTPField.Name("X-Request-Id")!] == "abc123")
        }
    }

    @Test("a body over the limit gets 413, not a crash")
    func tooLarge() async throws {
        try await Harness.with { h in
            let reply = try await h.send(.post, "/oauth/token", headers: [.contentType: "application/x-www-form-urlencoded"], body: String(repeating: "a", count: 2_000_000))
            #expect(reply.status == .contentTooLarge)
            #expect(reply.string("error") == "request_too_large")
        }
    }

    @Test("CORS answers preflights for allowed origins only")
    func cors() async throws {
        try await Harness.with { h in
            let allowed = try await h.send(.options, "/oauth/token", headers: [.origin: "http://dashboard.test", .accessControlRequestMethod: "POST"])
            #expect(allowed.status == .noContent)
            #expect(allowed.headers[.accessControlAllowOrigin] == "http://dashboard.test")
            let other = try await h.send(.get, "/health", headers: [.origin: "http://evil.test"])
            #expect(other.headers[.accessControlAllowOrigin] == nil)
        }
    }

    @Test("REQUIRE_HTTPS redirects GET and refuses other plain-HTTP requests; health stays open")
    func https() async throws {
        let yaml = RuntimeFixture.yaml().replacingOccurrences(of: "  issuer: http://issuer.test", with: "  issuer: http://issuer.test\n  require_https: true")
        try await Harness.with(yaml) { h in
            let get = try await h.send(.get, "/.well-known/jwks.json", headers: [:])
            #expect(get.status == .permanentRedirect)
            #expect(get.headers[.location]?.hasPrefix("https://") == true)
            #expect(get.headers[.location]?.hasSuffix("/.well-known/jwks.json") == true)
            let post = try await h.form("/oauth/token", [("grant_type", "client_credentials")])
            #expect(post.status == .forbidden)
            #expect(post.string("error") == "https_required")
            #expect(try await h.send(.get, "/health").status == .ok)
        }
    }

    @Test("malformed bodies are clear 400s")
    func malformedBodies() async throws {
        try await Harness.with { h in
            let admin = try await h.adminToken()
            let notJSON = try await h.send(.post, "/api/agents", headers: [.authorization: "Bearer \(admin)", .contentType: "application/json"], body: "{oops")
            #expect(notJSON.status == .badRequest)
            let wrongType = try await h.send(.post, "/oauth/token", headers: [.contentType: "text/plain"], body: "grant_type=client_credentials")
            #expect(wrongType.status == .badRequest)
            #expect(wrongType.string("error") == "invalid_request")
        }
    }
}
