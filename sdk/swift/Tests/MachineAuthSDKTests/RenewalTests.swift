import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MachineAuthClient
import MachineAuthHummingbird
import Testing

/// Three-second tokens: the cache renews them before they expire, `renewBefore` sets how
/// early, and expired tokens are refused by the verifier and the middleware.
@Suite(.servers(.shortTokens))
struct RenewalTests {
    let clock = ContinuousClock()

    @Test func tokensAreRenewedBeforeTheyExpire() async throws {
        let running = try Running.get(.shortTokens)
        let agent = try await running.createAgent(scopes: ["read"])
        let client = running.client(of: agent)
        let first = try await client.token()
        #expect(first.expiresIn == 3)
        #expect(try await client.token().accessToken == first.accessToken)
        try await Task.sleep(for: .milliseconds(2600))  // past four fifths of its life
        let second = try await client.token()
        #expect(second.accessToken != first.accessToken)
        #expect(try await client.agent.me().clientID == agent.clientID)  // with the renewed token, no 401
        #expect(try await running.settled(agent.id) == 2)
    }

    @Test func renewBeforeSetsHowEarly() async throws {
        let running = try Running.get(.shortTokens)
        let agent = try await running.createAgent(scopes: ["read"])
        let standard = running.client(of: agent)
        let late = running.client(of: agent, configuration: .init(renewBefore: .zero))
        let started = clock.now
        let standardFirst = try await standard.token(), lateFirst = try await late.token()
        let obtained = clock.now
        try await Task.sleep(until: obtained + .milliseconds(2450))  // the standard client's token is due
        let standardSecond = try await standard.token(), lateSecond = try await late.token()
        let answered = clock.now
        #expect(standardSecond.accessToken != standardFirst.accessToken)
        if answered - started < .seconds(3) {  // the late client's token is due only at three seconds
            #expect(lateSecond.accessToken == lateFirst.accessToken)
        }
        try await Task.sleep(until: obtained + .milliseconds(3100))
        #expect(try await late.token().accessToken != lateFirst.accessToken)
    }

    @Test func expiredTokensAreRefused() async throws {
        let running = try Running.get(.shortTokens)
        let agent = try await running.createAgent(scopes: ["read"])
        let client = running.client(of: agent)
        let token = try await client.requestToken().accessToken
        let verifier = TokenVerifier(issuer: running.base, leeway: .seconds(1))
        let router = Router(context: MachineAuthContext.self)
        router.add(middleware: MachineAuthMiddleware(verifier: verifier, realm: "short"))
        router.get("/") { _, context in try context.requireClaims().clientID }
        let app = Application(router: router)
        try await app.test(.router) { test in
            try await test.execute(uri: "/", method: .get, headers: [.authorization: "Bearer \(token)"]) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == agent.clientID)
            }
            #expect(try await verifier.verify(token).clientID == agent.clientID)
            let expires = try #require(claimsOf(token)["exp"]?.doubleValue)
            let wait = expires + 1.5 - Date().timeIntervalSince1970  // past exp and the leeway
            try await Task.sleep(for: .milliseconds(Int(max(0, wait) * 1000)))
            let refused = try await caught(TokenVerificationError.self) { try await verifier.verify(token) }
            #expect(refused.code == .invalidToken && refused.status == 401 && refused.errorDescription.contains("expired"))
            try await test.execute(uri: "/", method: .get, headers: [.authorization: "Bearer \(token)"]) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.wwwAuthenticate] == #"Bearer realm="short", error="invalid_token", error_description="the token has expired""#)
                #expect(String(buffer: response.body).contains(#""error":"invalid_token""#))
            }
        }
        let lenient = TokenVerifier(issuer: running.base, leeway: .seconds(60))
        #expect(try await lenient.verify(token).agentID == agent.id)
    }
}
