import Foundation
import HTTPTypes
import Hummingbird
import MachineAuthCore
import MachineAuthServerTesting
import MachineAuthTesting
import Testing

/// The gateway reads the original request one way: its dialect's headers, from a trusted
/// proxy only, and a path that cannot be read one way is refused.
@Suite("Gateway spoofing")
struct GatewaySpoofingTests {
    static func yaml(dialect: String = "auto", trusted: String? = nil, ambiguous: String = "deny") -> String {
        var yaml = RuntimeFixture.yaml(extra: """
            gateway:
              dialect: \(dialect)
              ambiguous_paths: \(ambiguous)
              rules:
                - match: { path: "/public/**" }
                  allow_anonymous: true
                - match: { path: "/v1/admin/**" }
                  require_scopes: [admin]
            """)
        if let trusted { yaml = yaml.replacingOccurrences(of: "  allowed_origins:", with: "  trusted_proxies: \"\(trusted)\"\n  allowed_origins:") }
        return yaml
    }

    static func field(_ name: String) -> HTTPField.Name { HTTPField.Name(name)! }

    static func check(_ h: Harness, _ headers: [(String, String)]) async throws -> Harness.Reply {
        var fields = HTTPFields()
        for (name, value) in headers { fields.append(HTTPField(name: field(name), value: value)) }
        return try await h.send(.get, "/gateway/check", headers: fields)
    }

    @Test("a client's X-Original-URI cannot override Caddy's X-Forwarded-Uri (auto and caddy dialects)", arguments: ["auto", "caddy", "traefik"])
    func clientHeadersBehindCaddy(dialect: String) async throws {
        try await Harness.with(Self.yaml(dialect: dialect), live: true) { h in
            let spoofed = try await Self.check(h, [
                ("X-Forwarded-Method", "GET"), ("X-Forwarded-Uri", "/v1/admin/secret"),
                ("X-Original-URI", "/public/x"), ("X-Original-Method", "GET"),
            ])
            #expect(spoofed.status == .forbidden || spoofed.status == .unauthorized, "\(dialect): \(spoofed.status) \(spoofed.text)")
            let method = try await Self.check(h, [("X-Forwarded-Method", "DELETE"), ("X-Forwarded-Uri", "/public/x"), ("X-Original-Method", "GET")])
            #expect(dialect == "auto" ? method.status == .forbidden : method.status == .ok, "\(dialect): \(method.text)")
            #expect(try await Self.check(h, [("X-Forwarded-Method", "GET"), ("X-Forwarded-Uri", "/public/x")]).status == .ok)
            let caseOnly = try await Self.check(h, [("X-Forwarded-Method", "GET"), ("X-Forwarded-Uri", "/PUBLIC/x"), ("X-Original-URI", "/public/x")])
            #expect(caseOnly.status == .forbidden, "\(dialect): a copy differing in case is never the one judged: \(caseOnly.text)")
        }
    }

    @Test("a client's X-Forwarded-Uri cannot override nginx's X-Original-URI (auto and nginx dialects)", arguments: ["auto", "nginx"])
    func clientHeadersBehindNginx(dialect: String) async throws {
        try await Harness.with(Self.yaml(dialect: dialect), live: true) { h in
            let spoofed = try await Self.check(h, [
                ("X-Original-URI", "/v1/admin/secret"), ("X-Original-Method", "GET"), ("X-Forwarded-Uri", "/public/x"),
                ("X-Forwarded-Method", "GET"),
            ])
            #expect(spoofed.status == .forbidden || spoofed.status == .unauthorized, "\(dialect): \(spoofed.text)")
            #expect(try await Self.check(h, [("X-Original-URI", "/public/x"), ("X-Original-Method", "GET")]).status == .ok)
            let twice = try await Self.check(h, [("X-Original-URI", "/v1/admin/x"), ("X-Original-URI", "/public/x"), ("X-Original-Method", "GET")])
            #expect(twice.status == .forbidden, "a forwarded header sent twice is refused")
        }
    }

    @Test("method and URI come from one complete family; an Envoy-style check takes no family header")
    func oneFamily() async throws {
        try await Harness.with(Self.yaml(), live: true) { h in
            let mixed = try await Self.check(h, [("X-Original-URI", "/public/x"), ("X-Forwarded-Method", "GET")])
            #expect(mixed.status == .forbidden, "a partial family is refused: \(mixed.text)")
            let half = try await Self.check(h, [("X-Original-URI", "/public/x")])
            #expect(half.status == .forbidden, "\(half.text)")
            let envoy = try await h.send(.get, "/gateway/check/v1/admin/secret", headers: [Self.field("X-Original-URI"): "/public/x"])
            #expect(envoy.status == .forbidden, "a client's X-Original-URI beside Envoy's path is refused: \(envoy.text)")
        }
    }

    @Test("unmatched: authenticate admits tokens but not API keys")
    func unmatchedAPIKeys() async throws {
        let yaml = Self.yaml().replacingOccurrences(of: "  dialect: auto", with: "  dialect: auto\n  unmatched: authenticate")
        try await Harness.with(yaml, live: true) { h in
            let owner = try await h.adminToken()
            let organization = try await h.json(.post, "/api/organizations", token: owner, ["name": "A", "slug": "a"])
            let orgID = organization["organization"]?.objectValue?["id"]?.stringValue ?? ""
            let key = try await h.json(.post, "/api/organizations/\(orgID)/api-keys", token: owner, ["name": "k"]).string("key")
            var headers = HTTPFields()
            headers[Self.field("X-Original-URI")] = "/elsewhere"
            headers[Self.field("X-Original-Method")] = "GET"
            headers[.authorization] = "Bearer \(key)"
            #expect(try await h.send(.get, "/gateway/check", headers: headers).status == .forbidden)
            headers[.authorization] = "Bearer \(try await h.accessToken(try await h.createAgent(owner)))"
            #expect(try await h.send(.get, "/gateway/check", headers: headers).status == .ok)
        }
    }

    @Test("forwarded headers count only from TRUSTED_PROXIES")
    func untrustedPeer() async throws {
        try await Harness.with(Self.yaml(dialect: "auto", trusted: "10.9.9.9"), live: true) { h in
            let reply = try await Self.check(h, [("X-Original-URI", "/public/x"), ("X-Original-Method", "GET")])
            #expect(reply.status == .forbidden && reply.string("error_description").contains("TRUSTED_PROXIES"), "\(reply.text)")
            let envoy = try await h.send(.get, "/gateway/check/public/x")
            #expect(envoy.status == .ok, "Envoy's form needs no forwarded headers")
        }
    }

    @Test("ambiguous paths are denied before any rule, in every dialect", arguments: [
        "/v1/admin/x%ff", "/v1/admin/%2e%2e/%2e%2e/public/x", "/public/..%2f..%2fv1/admin", "/public/%2e%2e/v1/admin",
        "/public;x=1/../v1/admin", "/public/%5c..%5cv1/admin", "/public%2f..%2fv1%2fadmin", "/public/%252e%252e/v1/admin",
        "/public/../v1/admin",
    ])
    func ambiguousPaths(path: String) async throws {
        try await Harness.with(Self.yaml(), live: true) { h in
            let nginx = try await Self.check(h, [("X-Original-URI", path), ("X-Original-Method", "GET")])
            #expect(nginx.status == .forbidden && nginx.string("error") == "access_denied", "nginx \(path): \(nginx.text)")
            let caddy = try await Self.check(h, [("X-Forwarded-Uri", path), ("X-Forwarded-Method", "GET")])
            #expect(caddy.status == .forbidden, "caddy \(path): \(caddy.text)")
            let envoy = try await h.send(.get, "/gateway/check" + path)
            #expect(envoy.status == .forbidden || envoy.status == .notFound || envoy.status == .badRequest, "envoy \(path): \(envoy.text)")
        }
    }

    @Test("ambiguous_paths: decode matches the decoded path instead (the admin rule then applies)")
    func lenient() async throws {
        try await Harness.with(Self.yaml(ambiguous: "decode"), live: true) { h in
            let reply = try await Self.check(h, [("X-Original-URI", "/public/%2e%2e/v1/admin/x"), ("X-Original-Method", "GET")])
            #expect(reply.status == .unauthorized, "judged as /v1/admin/x: \(reply.text)")
            let slash = try await Self.check(h, [("X-Original-URI", "/v1/admin/..%2f..%2fpublic/x"), ("X-Original-Method", "GET")])
            #expect(slash.status == .forbidden, "an encoded slash never becomes a separator: \(slash.text)")
            #expect(try await Self.check(h, [("X-Original-URI", "/public/a%2e%2e"), ("X-Original-Method", "GET")]).status == .ok)
        }
    }
}
