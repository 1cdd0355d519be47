import Foundation
import HTTPTypes
import Hummingbird
import MachineAuthCore
import MachineAuthServerTesting
import MachineAuthStages
import MachineAuthTesting
import Testing

/// Certificate-bound access tokens (RFC 8705 §3) behind a TLS-terminating proxy: the
/// certificate arrives in `server.client_certificate_header` from a trusted proxy (the live
/// server's loopback peer), binds the token at the token endpoint, and is checked at
/// `/api/verify`, `/gateway/check` and the API.
@Suite("Mutual TLS in-process")
struct MutualTLSTests {
    static func yaml(trusted: String? = nil, extra: String = "") -> String {
        var server = "  client_certificate_header: X-SSL-Client-Cert\n"
        if let trusted { server += "  trusted_proxies: \"\(trusted)\"\n" }
        return RuntimeFixture.yaml(extra: extra + """
            gateway:
              rules:
                - match: { path: "/public/**" }
                  allow_anonymous: true
                - match: { path: "/v1/**" }
                  require_scopes: [read]
            """).replacingOccurrences(of: "  allowed_origins:", with: server + "  allowed_origins:")
    }

    static let header = HTTPField.Name("X-SSL-Client-Cert")!
    static let a = CertificateFixtures.escaped(CertificateFixtures.pemA)
    static let b = CertificateFixtures.escaped(CertificateFixtures.pemB)

    func token(_ h: Harness, _ agent: Harness.Credentials, certificate: String?) async throws -> Harness.Reply {
        var headers: HTTPFields = [.authorization: Harness.basic(agent.clientID, agent.secret)]
        if let certificate { headers[Self.header] = certificate }
        return try await h.form("/oauth/token", [("grant_type", "client_credentials")], headers: headers)
    }

    func send(_ h: Harness, _ uri: String, _ token: String, certificate: String?, original: String? = nil) async throws -> Harness.Reply {
        var headers: HTTPFields = [.authorization: "Bearer \(token)"]
        if let certificate { headers[Self.header] = certificate }
        if let original {
            headers[HTTPField.Name("X-Original-Method")!] = "GET"
            headers[HTTPField.Name("X-Original-URI")!] = original
        }
        return try await h.send(.get, uri, headers: headers)
    }

    @Test("a certificate binds the token (cnf x5t#S256, token_type Bearer); introspection and both metadata documents say so")
    func binding() async throws {
        try await Harness.with(Self.yaml(), live: true) { h in
            let admin = try await h.adminToken()
            let agent = try await h.createAgent(admin)
            let reply = try await token(h, agent, certificate: Self.a)
            #expect(reply.status == .ok && reply.string("token_type") == "Bearer", "\(reply.text)")
            let described = try await h.introspect(reply.string("access_token"), admin: admin)
            #expect(described["cnf"] == .object(["x5t#S256": .string(CertificateFixtures.thumbprintA)]), "\(described.text)")
            #expect(described["token_type"] == "Bearer")
            let unbound = try await h.introspect(try await token(h, agent, certificate: nil).string("access_token"), admin: admin)
            #expect(unbound["active"] == .bool(true) && unbound["cnf"] == nil)
            #expect(try await h.send(.get, "/.well-known/oauth-authorization-server")["tls_client_certificate_bound_access_tokens"] == .bool(true))
        }
    }

    @Test("a bound token is accepted with its certificate and refused with another or none (401 invalid_token, Bearer challenge)")
    func resources() async throws {
        try await Harness.with(Self.yaml(), live: true) { h in
            let agent = try await h.createAgent(try await h.adminToken())
            let token = try await token(h, agent, certificate: Self.a).string("access_token")
            for (uri, original) in [("/api/verify", nil), ("/api/agents/me", nil), ("/gateway/check", "/v1/reports")] as [(String, String?)] {
                let good = try await send(h, uri, token, certificate: Self.a, original: original)
                #expect(good.status == .ok, "\(uri): \(good.text)")
                for certificate in [Self.b, nil] {
                    let refused = try await send(h, uri, token, certificate: certificate, original: original)
                    #expect(refused.status == .unauthorized, "\(uri): \(refused.text)")
                    #expect(refused.headers[.wwwAuthenticate]?.hasPrefix(#"Bearer realm="machineauth", error="invalid_token""#) == true, "\(uri): \(refused.headers[.wwwAuthenticate] ?? "")")
                }
            }
            let anonymous = try await send(h, "/gateway/check", token, certificate: Self.b, original: "/public/x")
            #expect(anonymous.status == .ok && (anonymous.headers[HTTPField.Name("X-Client-Id")!] ?? "") == "", "no identity from a refused token")
            let plain = try await self.token(h, agent, certificate: nil).string("access_token")
            #expect(try await send(h, "/gateway/check", plain, certificate: Self.b, original: "/v1/reports").status == .ok, "an unbound token needs no certificate")
        }
    }

    @Test("a DPoP proof and a certificate bind the token to both (cnf jkt and x5t#S256); it then needs both")
    func dpopAndCertificate() async throws {
        try await Harness.with(Self.yaml(extra: "dpop:\n  type: dpop\n"), live: true) { h in
            let admin = try await h.adminToken()
            let agent = try await h.createAgent(admin)
            let key = DPoPTestKey()
            let issuer = "http://issuer.test"
            let reply = try await h.form("/oauth/token", [("grant_type", "client_credentials")], headers: [
                .authorization: Harness.basic(agent.clientID, agent.secret), HTTPField.Name("DPoP")!: key.proof("POST", issuer + "/oauth/token", at: Date()),
                Self.header: Self.a,
            ])
            #expect(reply.status == .ok && reply.string("token_type") == "DPoP", "\(reply.text)")
            let token = reply.string("access_token")
            let described = try await h.introspect(token, admin: admin)
            #expect(described["cnf"] == .object(["jkt": .string(key.thumbprint), "x5t#S256": .string(CertificateFixtures.thumbprintA)]))
            func verify(certificate: String?) async throws -> Harness.Reply {
                var headers: HTTPFields = [
                    .authorization: "DPoP \(token)", HTTPField.Name("DPoP")!: key.proof("GET", issuer + "/api/verify", at: Date(), accessToken: token),
                ]
                if let certificate { headers[Self.header] = certificate }
                return try await h.send(.get, "/api/verify", headers: headers)
            }
            #expect(try await verify(certificate: Self.a).status == .ok)
            #expect(try await verify(certificate: nil).status == .unauthorized)
            #expect(try await verify(certificate: Self.b).status == .unauthorized)
            #expect(try await send(h, "/api/verify", token, certificate: Self.a).status == .unauthorized, "as Bearer, without the proof")
        }
    }

    @Test("tls_client_certificate_bound_access_tokens: a token request without a certificate is 400; the flag is validated and shown")
    func agentFlag() async throws {
        try await Harness.with(Self.yaml(), live: true) { h in
            let admin = try await h.adminToken()
            let agent = try await h.createAgent(admin, extra: ["tls_client_certificate_bound_access_tokens": true])
            let shown = try await h.json(.get, "/api/agents/\(agent.id)", token: admin)
            #expect(shown["agent"]?.objectValue?["tls_client_certificate_bound_access_tokens"] == .bool(true))
            let without = try await token(h, agent, certificate: nil)
            #expect(without.status == .badRequest && without.string("error") == "invalid_request", "\(without.text)")
            #expect(try await token(h, agent, certificate: Self.b).status == .ok)
            let bad = try await h.json(.patch, "/api/agents/\(agent.id)", token: admin, ["tls_client_certificate_bound_access_tokens": "yes"])
            #expect(bad.status == .badRequest && bad.text.contains("tls_client_certificate_bound_access_tokens"), "\(bad.text)")
            let off = try await h.json(.patch, "/api/agents/\(agent.id)", token: admin, ["tls_client_certificate_bound_access_tokens": false])
            #expect(off.status == .ok)
            #expect(try await token(h, agent, certificate: nil).status == .ok)
        }
    }

    @Test("a malformed certificate header from the proxy is refused, naming the header: 400 at the token endpoint, 401 at resources")
    func malformed() async throws {
        try await Harness.with(Self.yaml(), live: true) { h in
            let agent = try await h.createAgent(try await h.adminToken())
            let token = try await token(h, agent, certificate: Self.a).string("access_token")
            for value in ["%zz", "-----BEGIN CERTIFICATE-----%0AaGVsbG8=%0A-----END CERTIFICATE-----", String(repeating: "A", count: 20_000)] {
                let issued = try await self.token(h, agent, certificate: value)
                #expect(issued.status == .badRequest && issued.string("error_description").contains("x-ssl-client-cert"), "\(issued.text)")
                let checked = try await send(h, "/gateway/check", token, certificate: value, original: "/v1/reports")
                #expect(checked.status == .unauthorized, "\(checked.text)")
            }
        }
    }

    @Test("from a peer that is not a trusted proxy the header is ignored: nothing is bound, a certificate-bound agent is refused")
    func untrustedPeer() async throws {
        try await Harness.with(Self.yaml(trusted: "10.9.9.9"), live: true) { h in
            let admin = try await h.adminToken()
            let agent = try await h.createAgent(admin)
            let reply = try await token(h, agent, certificate: Self.a)
            #expect(reply.status == .ok)
            #expect(try await h.introspect(reply.string("access_token"), admin: admin)["cnf"] == nil)
            let bound = try await h.createAgent(admin, name: "bound", extra: ["tls_client_certificate_bound_access_tokens": true])
            #expect(try await token(h, bound, certificate: Self.a).status == .badRequest)
        }
    }

    @Test("without client_certificate_header the header is never read and the metadata says nothing")
    func disabled() async throws {
        try await Harness.with(RuntimeFixture.yaml(), live: true) { h in
            let admin = try await h.adminToken()
            let reply = try await token(h, try await h.createAgent(admin), certificate: Self.a)
            #expect(try await h.introspect(reply.string("access_token"), admin: admin)["cnf"] == nil)
            #expect(try await h.send(.get, "/.well-known/oauth-authorization-server")["tls_client_certificate_bound_access_tokens"] == nil)
            let bound = try await h.createAgent(admin, name: "bound", extra: ["tls_client_certificate_bound_access_tokens": true])
            let refused = try await token(h, bound, certificate: Self.a)
            #expect(refused.status == .badRequest && refused.string("error_description").contains("client_certificate_header"))
        }
    }

    @Test("client_certificate_header must be a header name that means nothing else", arguments: ["Authorization", "X SSL", "x-forwarded-for"])
    func badHeaderName(name: String) {
        let yaml = RuntimeFixture.yaml().replacingOccurrences(of: "  allowed_origins:", with: "  client_certificate_header: \"\(name)\"\n  allowed_origins:")
        #expect {
            _ = try PipelineLoader(registry: .standard).load(ConfigSource(name: "x.yaml", text: yaml, dotEnvPath: nil), environment: ConfigEnvironment([:]))
        } throws: { error in
            "\(error)".contains("client_certificate_header")
        }
    }
}
