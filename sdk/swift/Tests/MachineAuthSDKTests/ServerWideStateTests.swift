import Foundation
import MachineAuthClient
import MachineAuthVerifier
import Testing

/// Tests that change what a whole server does — its rate limit for a client, its signing key —
/// on a server of their own, one after the other.
@Suite(.servers(.rateLimited), .serialized)
struct ServerWideStateTests {
    /// Fails authentication as `agent` until the server answers 429; its `Retry-After`.
    static func exhaustAllowance(_ running: Running, _ agent: CreatedAgent) async throws -> Duration {
        let wrong = MachineAuthClient(
            baseURL: running.base, clientID: agent.clientID, clientSecret: "cs_wrong", configuration: .init(retry: .never))
        for _ in 0..<30 {
            do {
                _ = try await wrong.requestToken()
            } catch let error as MachineAuthError where error.status == 429 {
                #expect(error.error == "slow_down" && error.isRateLimited)
                return try #require(error.retryAfter)
            } catch let error as MachineAuthError where error.status == 401 {
                continue
            }
        }
        throw TestServerError("the server never rate limited")
    }

    @Test func a429IsRetriedAfterRetryAfter() async throws {
        let running = try Running.get(.rateLimited)
        let agent = try await running.createAgent()
        let wait = try await Self.exhaustAllowance(running, agent)
        #expect(wait > .zero && wait <= .seconds(30))
        let started = ContinuousClock.now
        #expect(try await running.client(of: agent).token().accessToken.isEmpty == false)
        #expect(ContinuousClock.now - started >= wait * 0.9)
    }

    @Test func aWaitBeyondMaxDelayIsThrown() async throws {
        let running = try Running.get(.rateLimited)
        let agent = try await running.createAgent()
        _ = try await Self.exhaustAllowance(running, agent)
        let client = running.client(of: agent, configuration: .init(retry: RetryPolicy(maxDelay: .milliseconds(100))))
        let started = ContinuousClock.now
        let limited = try await caught(MachineAuthError.self) { try await client.token() }
        #expect(limited.status == 429 && limited.retryAfter != nil)
        #expect(ContinuousClock.now - started < .seconds(1))  // not sat out
    }

    @Test func aNewSigningKeyIsFetchedForItsKeyID() async throws {
        let running = try Running.get(.rateLimited)
        let client = running.client(of: try await running.createAgent())
        let verifier = TokenVerifier(issuer: running.base, minimumRefetchInterval: .milliseconds(500))
        let before = try await client.token().accessToken
        _ = try await verifier.verify(before)
        let kid = try await running.rotateSigningKey()
        await client.invalidateToken()
        let after = try await client.token().accessToken
        #expect(headerOf(after)["kid"]?.stringValue == kid && kid != headerOf(before)["kid"]?.stringValue)
        try await Task.sleep(for: .milliseconds(600))
        #expect(try await verifier.verify(after).clientID == client.clientID)
        #expect(try await verifier.verify(before).clientID == client.clientID)  // the old key stays published
        #expect(await verifier.jwksFetches == 2)
    }
}
