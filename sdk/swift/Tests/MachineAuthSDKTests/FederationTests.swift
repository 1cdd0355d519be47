import Crypto
import Synchronization
import Foundation
import Hummingbird
import MachineAuthClient
import NIOCore
import Testing

/// Workload identity federation against the real server trusting a loopback issuer this test
/// serves with Hummingbird (OIDC discovery, a JWK Set, GitHub's ID-token endpoint); the issuer's
/// ES256 tokens are signed here with swift-crypto, not by the SDK.
@Suite struct FederationTests {
    static let grant = "urn:ietf:params:oauth:grant-type:jwt-bearer"
    static let runnerToken = "runner-request-token"

    /// The issuer's key and base URL, and the audiences GitHub's endpoint was asked for.
    final class Issuer: Sendable {
        let key = P256.Signing.PrivateKey()
        let base: String
        let port: Int
        let audiences = Mutex<[String]>([])

        init() throws {
            port = try TestServer.freePort()
            base = "http://127.0.0.1:\(port)"
        }

        func sign(_ claims: JSONValue) throws -> String {
            let header = encodeSegment(["alg": "ES256", "kid": "loopback-1", "typ": "JWT"])
            let input = header + "." + encodeSegment(claims)
            let signature = try key.signature(for: Data(input.utf8)).rawRepresentation
            return input + "." + signature.base64EncodedString().replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        }

        func kubernetes(audience: String, account: String = "deployer") throws -> String {
            let now = Int(Date().timeIntervalSince1970)
            return try sign([
                "iss": .string(base + "/k8s"), "sub": .string("system:serviceaccount:prod:\(account)"), "aud": [.string(audience)],
                "iat": .number(Double(now)), "nbf": .number(Double(now)), "exp": .number(Double(now + 3600)),
            ])
        }

        func github(audience: String, workflow: String = "release") throws -> String {
            let now = Int(Date().timeIntervalSince1970)
            return try sign([
                "iss": .string(base + "/gh"), "sub": "repo:acme/deploy:ref:refs/heads/main", "aud": .string(audience),
                "jti": .string(UUID().uuidString), "repository": "acme/deploy", "repository_owner": "acme", "workflow": .string(workflow),
                "iat": .number(Double(now - 5)), "nbf": .number(Double(now - 5)), "exp": .number(Double(now + 300)),
            ])
        }

        var jwks: JSONValue {
            let raw = key.publicKey.x963Representation  // 0x04 || x || y
            func b64(_ data: Data) -> String {
                data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                    .replacingOccurrences(of: "=", with: "")
            }
            return ["keys": [[
                "kty": "EC", "crv": "P-256", "kid": "loopback-1", "alg": "ES256", "use": "sig",
                "x": .string(b64(raw.subdata(in: 1..<33))), "y": .string(b64(raw.subdata(in: 33..<65))),
            ]]]
        }

        func application() -> some ApplicationProtocol {
            let router = Router()
            for name in ["k8s", "gh"] {
                router.get("\(name)/.well-known/openid-configuration") { _, _ in
                    Self.json(["issuer": .string(self.base + "/" + name), "jwks_uri": .string(self.base + "/" + name + "/keys")])
                }
                router.get("\(name)/keys") { _, _ in Self.json(self.jwks) }
            }
            router.get("actions/token") { request, _ in
                guard request.headers[.authorization] == "bearer " + FederationTests.runnerToken else {
                    return Response(status: .unauthorized)
                }
                let audience = request.uri.queryParameters.get("audience") ?? ""
                self.audiences.withLock { $0.append(audience) }
                return Self.json(["count": .number(1), "value": .string(try self.github(audience: audience))])
            }
            return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
        }

        static func json(_ value: JSONValue) -> Response {
            let data = try! JSONEncoder().encode(value)
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
    }

    static func configuration(_ issuer: Issuer) throws -> String {
        let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: package.appendingPathComponent("../../config/machineauth.yaml").standardizedFileURL, encoding: .utf8)
        let issuers = """
                issuers:
                  - id: cluster
                    issuer: \(issuer.base)/k8s
                    preset: kubernetes
                    rules:
                      - { subject: "system:serviceaccount:prod:deployer", agent: cid_swift_deployer }
                      - { subject: "system:serviceaccount:prod:reporter", agent: cid_swift_reporter }
                  - id: github
                    issuer: \(issuer.base)/gh
                    preset: github_actions
                    audiences: [machineauth-sdk-tests]
                    rules:
                      - { subject: "repo:acme/deploy:ref:refs/heads/main", claims: { workflow: release }, agent: cid_swift_release }

            """
        guard let range = text.range(of: #"(?m)^    issuers: \[\].*\n"#, options: .regularExpression) else {
            throw TestServerError("the default config has no empty issuers list under jwt_bearer")
        }
        let grants = "[client_credentials, \"\(grant)\"]"
        let provision = """

            provision:
              agents:
                - { name: swift-deployer, client_id: cid_swift_deployer, scopes: [read, write], grant_types: \(grants) }
                - { name: swift-reporter, client_id: cid_swift_reporter, scopes: [read], grant_types: \(grants) }
                - { name: swift-release, client_id: cid_swift_release, scopes: [deploy], grant_types: \(grants) }

            """
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("machineauth-swift-fed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("machineauth.yaml").path
        try text.replacingCharacters(in: range, with: issuers).appending(provision).write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Runs `body` with the issuer serving and a server trusting it (four-second access tokens).
    static func withFederation(_ body: (Issuer, TestServer) async throws -> Void) async throws {
        let issuer = try Issuer()
        let app = issuer.application()
        let serving = Task { try await app.run() }
        defer { serving.cancel() }
        let server = try await TestServer.start(ServerOptions(name: "federation", environment: [
            "MACHINEAUTH_CONFIG": try configuration(issuer), "ALLOW_INSECURE_ISSUERS": "true", "JWT_ACCESS_TOKEN_EXPIRY": "4",
        ]))
        do {
            try await body(issuer, server)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    @Test func federation() async throws {
        try await Self.withFederation { issuer, server in
            // A token file, read anew at every token request: the renewal picks up the rotated file.
            let file = server.directory.appendingPathComponent("token").path
            try (try issuer.kubernetes(audience: server.base) + "\n").write(toFile: file, atomically: true, encoding: .utf8)
            let client = MachineAuthClient(baseURL: server.base, assertionFile: file)
            let first = try await client.token()
            #expect(claimsOf(first.accessToken)["sub"]?.stringValue == "cid_swift_deployer")
            #expect(claimsOf(first.accessToken)["external_identity"]?["sub"]?.stringValue == "system:serviceaccount:prod:deployer")
            #expect(try await client.token().accessToken == first.accessToken)
            #expect(try await client.agent.me().clientID == "cid_swift_deployer")
            try issuer.kubernetes(audience: server.base, account: "reporter").write(toFile: file, atomically: true, encoding: .utf8)
            try await Task.sleep(for: .milliseconds(3400))  // four-second tokens are due after 3.2 s
            let renewed = try await client.token()
            #expect(renewed.accessToken != first.accessToken)
            #expect(claimsOf(renewed.accessToken)["sub"]?.stringValue == "cid_swift_reporter")

            // GitHub Actions: a new ID token (single use at the server) for every token request.
            let environment = [
                "ACTIONS_ID_TOKEN_REQUEST_URL": issuer.base + "/actions/token?api-version=2.0", "ACTIONS_ID_TOKEN_REQUEST_TOKEN": Self.runnerToken,
            ]
            let ci = MachineAuthClient(
                baseURL: server.base, workloadIdentity: .gitHubActions(audience: "machineauth-sdk-tests", environment: environment))
            let one = try await ci.requestToken(scope: ["deploy"]), two = try await ci.requestToken(scope: ["deploy"])
            #expect(claimsOf(one.accessToken)["sub"]?.stringValue == "cid_swift_release")
            #expect(claimsOf(two.accessToken)["sub"]?.stringValue == "cid_swift_release")
            #expect(issuer.audiences.withLock { $0 } == ["machineauth-sdk-tests", "machineauth-sdk-tests"])

            // Refusals carry the server's error and description.
            let wrongAudience = try issuer.kubernetes(audience: "https://elsewhere.example.com")
            let refused = MachineAuthClient(baseURL: server.base, workloadIdentity: WorkloadIdentity { wrongAudience })
            let error = try await caught(MachineAuthError.self) { try await refused.token() }
            #expect(error.error == "invalid_grant" && error.status == 400 && !error.errorDescription.isEmpty)
            let unmapped = try issuer.github(audience: "machineauth-sdk-tests", workflow: "nightly")
            let noRule = try await caught(MachineAuthError.self) {
                try await MachineAuthClient(baseURL: server.base, workloadIdentity: WorkloadIdentity { unmapped }).token()
            }
            #expect(noRule.errorDescription.contains("no rule"))
            let missing = try await caught(MachineAuthError.self) {
                try await MachineAuthClient(baseURL: server.base, assertionFile: server.directory.path + "/absent").token()
            }
            #expect(missing.error == "configuration_error")
        }
    }
}
