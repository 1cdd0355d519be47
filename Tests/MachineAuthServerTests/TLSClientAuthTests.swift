import Foundation
import HTTPTypes
import Hummingbird
import MachineAuthCore
import MachineAuthServerTesting
import MachineAuthStages
import MachineAuthTesting
import Testing

/// Client authentication by certificate (RFC 8705 §2) through the HTTP API: registration,
/// the token endpoint (the token is bound to the certificate), introspection, metadata, and
/// Envoy's `x-forwarded-client-cert`.
@Suite("tls_client_auth in-process")
struct TLSClientAuthTests {
    static func yaml(format: String? = nil, header: String = "X-SSL-Client-Cert", trusted: String? = nil) -> String {
        var server = "  client_certificate_header: \(header)\n"
        if let format { server += "  client_certificate_format: \(format)\n" }
        if let trusted { server += "  trusted_proxies: \"\(trusted)\"\n" }
        return RuntimeFixture.yaml(authenticators: ["client_secret", "tls_client_auth", "api_key"])
            .replacingOccurrences(of: "  allowed_origins:", with: server + "  allowed_origins:")
    }

    static let header = HTTPField.Name("X-SSL-Client-Cert")!
    static let issued = CertificateFixtures.escaped(CertificateFixtures.pemIssued)
    static let a = CertificateFixtures.escaped(CertificateFixtures.pemA)
    static let b = CertificateFixtures.escaped(CertificateFixtures.pemB)

    func token(_ h: Harness, _ clientID: String, certificate: String?, header: HTTPField.Name = header) async throws -> Harness.Reply {
        var headers: HTTPFields = [:]
        if let certificate { headers[header] = certificate }
        return try await h.form("/oauth/token", [("grant_type", "client_credentials"), ("client_id", clientID)], headers: headers)
    }

    func create(_ h: Harness, _ admin: String, _ body: [String: JSONValue]) async throws -> Harness.Reply {
        try await h.json(.post, "/api/agents", token: admin, .object(["name": "mtls", "scopes": ["read"]].merging(body) { $1 }))
    }

    @Test("tls_client_auth: the right certificate gets a token bound to it; another, none, or a secret is 401 invalid_client")
    func pki() async throws {
        try await Harness.with(Self.yaml(), live: true) { h in
            let admin = try await h.adminToken()
            let created = try await create(h, admin, ["token_endpoint_auth_method": "tls_client_auth", "tls_client_auth_san_dns": "agent-a.example.com"])
            #expect(created.status == .created && created["client_secret"] == .null, "\(created.text)")
            #expect(created["agent"]?.objectValue?["tls_client_auth_san_dns"] == "agent-a.example.com")
            #expect(created["agent"]?.objectValue?["tls_client_auth_subject_dn"] == nil)
            let clientID = created.string("client_id")
            let reply = try await token(h, clientID, certificate: Self.issued)
            #expect(reply.status == .ok && reply.string("token_type") == "Bearer", "\(reply.text)")
            let described = try await h.introspect(reply.string("access_token"), admin: admin)
            #expect(described["cnf"]?.objectValue?["x5t#S256"] != nil, "bound to the certificate: \(described.text)")
            for certificate in [Self.a, nil] {
                let refused = try await token(h, clientID, certificate: certificate)
                #expect(refused.status == .unauthorized && refused.string("error") == "invalid_client", "\(refused.text)")
            }
            let withSecret = try await h.form(
                "/oauth/token", [("grant_type", "client_credentials"), ("client_id", clientID), ("client_secret", "cs_guess")],
                headers: [Self.header: Self.issued])
            #expect(withSecret.status == .unauthorized)
            // The subject can change: the DN instead of the SAN (a new credential ends the old tokens).
            let patched = try await h.json(.patch, "/api/agents/\(created["agent"]?.objectValue?["id"]?.stringValue ?? "")", token: admin, [
                "tls_client_auth_subject_dn": .string(CertificateFixtures.issuedSubjectDN), "tls_client_auth_san_dns": .null,
            ])
            #expect(patched.status == .ok && patched["agent"]?.objectValue?["tls_client_auth_subject_dn"] != nil, "\(patched.text)")
            #expect(try await token(h, clientID, certificate: Self.issued).status == .ok)
            #expect(try await h.introspect(reply.string("access_token"), admin: admin)["active"] == .bool(false))
        }
    }

    @Test("self_signed_tls_client_auth: the certificate in x5c authenticates at the token and introspection endpoints; another does not")
    func selfSigned() async throws {
        try await Harness.with(Self.yaml(), live: true) { h in
            let admin = try await h.adminToken()
            let created = try await create(h, admin, ["token_endpoint_auth_method": "self_signed_tls_client_auth", "jwks": CertificateFixtures.jwksWithA])
            #expect(created.status == .created, "\(created.text)")
            let clientID = created.string("client_id")
            let reply = try await token(h, clientID, certificate: Self.a)
            #expect(reply.status == .ok, "\(reply.text)")
            #expect(try await token(h, clientID, certificate: Self.b).status == .unauthorized)
            let introspected = try await h.form(
                "/oauth/introspect", [("token", reply.string("access_token")), ("client_id", clientID)], headers: [Self.header: Self.a])
            #expect(introspected.status == .ok && introspected["active"] == .bool(true), "\(introspected.text)")
            #expect(try await h.json(.post, "/api/agents/\(created["agent"]?.objectValue?["id"]?.stringValue ?? "")/rotate", token: admin).status == .badRequest)
        }
    }

    @Test("registration: exactly one subject, in its format, only with tls_client_auth; x5c needed for self-signed", arguments: [
        (["token_endpoint_auth_method": "tls_client_auth"], "token_endpoint_auth_method"),
        (["token_endpoint_auth_method": "tls_client_auth", "tls_client_auth_san_dns": "a.example.com", "tls_client_auth_san_ip": "10.1.2.3"], "exactly one"),
        (["token_endpoint_auth_method": "tls_client_auth", "tls_client_auth_san_ip": "10.1.2"], "tls_client_auth_san_ip"),
        (["token_endpoint_auth_method": "tls_client_auth", "tls_client_auth_subject_dn": "CN=a;O=b"], "tls_client_auth_subject_dn"),
        (["token_endpoint_auth_method": "tls_client_auth", "tls_client_auth_san_uri": 5], "tls_client_auth_san_uri"),
        (["tls_client_auth_san_dns": "a.example.com"], "only used with"),
        (["token_endpoint_auth_method": "self_signed_tls_client_auth"], "jwks"),
        (["token_endpoint_auth_method": "self_signed_tls_client_auth", "jwks": ["keys": [.object(CertificateFixtures.issuedKeyMembers.merging(["kid": "k"]) { $1 })]]], "x5c"),
        (["token_endpoint_auth_method": "self_signed_tls_client_auth",
          "jwks": ["keys": [.object(CertificateFixtures.issuedKeyMembers.merging(["kid": "k", "x5c": [.string(CertificateFixtures.derBase64A)]]) { $1 })]]],
         "another key"),
        (["token_endpoint_auth_method": "self_signed_tls_client_auth",
          "jwks": ["keys": [.object(CertificateFixtures.issuedKeyMembers.merging(["kid": "k", "x5c": ["aGVsbG8="]]) { $1 })]]], "x5c[0]"),
    ] as [([String: JSONValue], String)])
    func registration(body: [String: JSONValue], problem: String) async throws {
        try await Harness.with(Self.yaml()) { h in
            let reply = try await create(h, try await h.adminToken(), body)
            #expect(reply.status == .badRequest && reply.text.contains(problem), "\(reply.text)")
        }
    }

    @Test("metadata lists the methods only when a certificate header is configured; without one they are not offered")
    func metadata() async throws {
        try await Harness.with(Self.yaml()) { h in
            let methods = try await h.send(.get, "/.well-known/oauth-authorization-server")["token_endpoint_auth_methods_supported"]?.arrayValue ?? []
            #expect(methods.contains("tls_client_auth") && methods.contains("self_signed_tls_client_auth"), "\(methods)")
        }
        let off = RuntimeFixture.yaml(authenticators: ["client_secret", "tls_client_auth", "api_key"])
        try await Harness.with(off) { h in
            let methods = try await h.send(.get, "/.well-known/oauth-authorization-server")["token_endpoint_auth_methods_supported"]?.arrayValue ?? []
            #expect(!methods.contains("tls_client_auth"))
            let refused = try await create(h, try await h.adminToken(), ["token_endpoint_auth_method": "tls_client_auth", "tls_client_auth_san_dns": "a.example"])
            #expect(refused.status == .badRequest && refused.text.contains("not offered"), "\(refused.text)")
        }
    }

    @Test("from a peer that is not a trusted proxy the certificate header proves nothing")
    func untrusted() async throws {
        try await Harness.with(Self.yaml(trusted: "10.9.9.9"), live: true) { h in
            let admin = try await h.adminToken()
            let created = try await create(h, admin, ["token_endpoint_auth_method": "self_signed_tls_client_auth", "jwks": CertificateFixtures.jwksWithA])
            let refused = try await token(h, created.string("client_id"), certificate: Self.a)
            #expect(refused.status == .unauthorized && refused.string("error") == "invalid_client", "\(refused.text)")
        }
    }

    static let xfcc = HTTPField.Name("X-Forwarded-Client-Cert")!

    @Test("envoy-xfcc: the Cert of the last element authenticates and binds; malformed values are 400 naming the header")
    func envoy() async throws {
        try await Harness.with(Self.yaml(format: "envoy-xfcc", header: "X-Forwarded-Client-Cert"), live: true) { h in
            let admin = try await h.adminToken()
            let created = try await create(h, admin, ["token_endpoint_auth_method": "self_signed_tls_client_auth", "jwks": CertificateFixtures.jwksWithA])
            let clientID = created.string("client_id")
            let element = { (cert: String) in #"By=spiffe://example.org/envoy;Hash=ab;Cert="\#(cert)";Subject="CN=agent-a""# }
            let reply = try await token(h, clientID, certificate: element(Self.b) + "," + element(Self.a), header: Self.xfcc)
            #expect(reply.status == .ok, "\(reply.text)")
            let cnf = try await h.introspect(reply.string("access_token"), admin: admin)["cnf"]
            #expect(cnf == .object(["x5t#S256": .string(CertificateFixtures.thumbprintA)]))
            #expect(try await token(h, clientID, certificate: element(Self.a) + "," + element(Self.b), header: Self.xfcc).status == .unauthorized)
            for bad in ["Cert=\"\(Self.a)", "Hash=ab", "Cert=\"\(Self.a)\";cert=\"\(Self.b)\"", Self.a] {
                let refused = try await token(h, clientID, certificate: bad, header: Self.xfcc)
                #expect(refused.status == .badRequest && refused.string("error_description").contains("x-forwarded-client-cert"), "\(refused.text)")
            }
        }
    }

    @Test("client_certificate_format: an unknown format is a config error naming the key and the valid choices")
    func badFormat() {
        let problems = ConfigFixtures.problems(Self.yaml(format: "haproxy"), registry: .standard)
        #expect(problems.contains { $0.keyPath == "server.client_certificate_format" && $0.message.contains("nginx, envoy-xfcc") }, "\(problems)")
        #expect(problems.first.map { "\($0)".contains("test.yaml:") } == true, "\(problems)")
    }
}
