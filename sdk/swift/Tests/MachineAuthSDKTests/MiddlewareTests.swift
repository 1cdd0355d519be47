import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MachineAuthClient
import MachineAuthHummingbird
import NIOCore
import Testing

extension VerificationTests {
    /// `MachineAuthMiddleware` in an application tested with `app.test(.router)`: the claims on
    /// the context, and the RFC 6750 refusals.
    @Suite struct Middleware {
        /// `GET /orders` needs `read` (middleware), `POST /orders` also `write` (handler).
        static func application(_ verifier: TokenVerifier, introspect: Bool = false) -> some ApplicationProtocol {
            let router = Router(context: MachineAuthContext.self)
            router.group("orders")
                .add(middleware: MachineAuthMiddleware(verifier: verifier, scopes: ["read"], introspect: introspect, realm: "orders"))
                .get { _, context in
                    let claims = try context.requireClaims()
                    return "\(claims.agentID) \(claims.scopes.joined(separator: ","))"
                }
                .post { _, context in try context.requireScopes("write").clientID }
            router.get("/open") { _, context in
                (try? context.requireClaims()) == nil ? "anonymous" : "claims on an open route"
            }
            return Application(router: router)
        }

        static func bearer(_ token: String) -> HTTPFields { [.authorization: "Bearer \(token)"] }

        @Test(arguments: VerificationTests.algorithms)
        func verifiesTokensAndRefusesTheRest(_ algorithm: String) async throws {
            let running = try Running.get(.signing(algorithm))
            let agent = try await running.createAgent(allowedAudiences: [VerificationTests.api])
            let client = running.client(of: agent)
            let readWrite = try await client.token().accessToken
            let readOnly = try await client.token(scope: ["read"]).accessToken
            let writeOnly = try await client.token(scope: ["write"]).accessToken
            let elsewhere = try await client.token(resource: [VerificationTests.api]).accessToken
            try await Self.application(TokenVerifier(issuer: running.base)).test(.router) { test in
                try await test.execute(uri: "/orders", method: .get, headers: Self.bearer(readWrite)) { response in
                    #expect(response.status == .ok)
                    #expect(String(buffer: response.body) == "\(agent.id) read,write")
                }
                try await test.execute(uri: "/orders", method: .post, headers: [.authorization: "bearer  \(readWrite) "]) { response in
                    #expect(response.status == .ok)
                    #expect(String(buffer: response.body) == agent.clientID)
                }
                try await test.execute(uri: "/orders", method: .post, headers: Self.bearer(readOnly)) { response in
                    #expect(response.status == .forbidden)
                    #expect(response.headers[.wwwAuthenticate]
                        == #"Bearer error="insufficient_scope", error_description="the token lacks the scope write", scope="write""#)
                }
                try await test.execute(uri: "/orders", method: .get, headers: Self.bearer(writeOnly)) { response in
                    #expect(response.status == .forbidden)
                    #expect(response.headers[.wwwAuthenticate]
                        == #"Bearer realm="orders", error="insufficient_scope", error_description="the token lacks the scope read", scope="read""#)
                    #expect(String(buffer: response.body) == #"{"error":"insufficient_scope","error_description":"the token lacks the scope read"}"#)
                }
                try await test.execute(uri: "/orders", method: .get, headers: Self.bearer(elsewhere)) { response in
                    #expect(response.status == .unauthorized)
                    #expect(response.headers[.wwwAuthenticate]
                        == #"Bearer realm="orders", error="invalid_token", error_description="the token is not meant for this audience""#)
                }
                try await test.execute(uri: "/orders", method: .get, headers: Self.bearer(withHeader(readWrite, ["y": "z"]))) { response in
                    #expect(response.status == .unauthorized)
                    #expect(response.headers[.wwwAuthenticate]?.contains(#"error="invalid_token""#) == true)
                }
                try await test.execute(uri: "/orders", method: .get) { response in
                    #expect(response.status == .unauthorized)
                    #expect(response.headers[.wwwAuthenticate] == #"Bearer realm="orders""#)  // RFC 6750 §3.1: no error code
                }
                try await test.execute(uri: "/orders", method: .get, headers: [.authorization: "Basic \(readWrite)"]) { response in
                    #expect(response.status == .unauthorized)
                    #expect(response.headers[.wwwAuthenticate] == #"Bearer realm="orders""#)
                }
                try await test.execute(uri: "/open", method: .get, headers: Self.bearer(readWrite)) { response in
                    #expect(String(buffer: response.body) == "anonymous")
                }
            }
        }

        @Test func revokedTokensAreRefusedInIntrospectionMode() async throws {
            let running = try Running.get(.standard)
            let client = running.client(of: try await running.createAgent())
            let token = try await client.requestToken().accessToken
            let verifier = try await running.adminClient.verifier()
            try await Self.application(verifier, introspect: true).test(.router) { test in
                try await test.execute(uri: "/orders", method: .get, headers: Self.bearer(token)) { response in
                    #expect(response.status == .ok)
                }
                try await client.revoke(token)
                try await test.execute(uri: "/orders", method: .get, headers: Self.bearer(token)) { response in
                    #expect(response.status == .unauthorized)
                    #expect(response.headers[.wwwAuthenticate]?.contains(#"error="invalid_token", error_description="the token is not active"#) == true)
                }
            }
            try await Self.application(verifier).test(.router) { test in  // locally the signature still holds
                try await test.execute(uri: "/orders", method: .get, headers: Self.bearer(token)) { response in
                    #expect(response.status == .ok)
                }
            }
        }

        @Test func unreachableKeysAreTheServersFault() async throws {
            let running = try Running.get(.standard)
            let token = try await running.client(of: try await running.createAgent()).token().accessToken
            let verifier = TokenVerifier(issuer: running.base, jwksURL: running.base + "/no-such-jwks")
            let error = try await caught(MachineAuthError.self) { try await verifier.verify(token) }
            #expect(error.error == "jwks_unavailable" && error.errorDescription.contains("404"))
            try await Self.application(verifier).test(.router) { test in
                try await test.execute(uri: "/orders", method: .get, headers: Self.bearer(token)) { response in
                    #expect(response.status == .serviceUnavailable)
                    #expect(response.headers[.wwwAuthenticate] == nil && response.headers[.retryAfter] == "5")
                }
            }
        }
    }
}
