import Foundation
import MachineAuthTesting
import Testing

@testable import MachineAuthCore

@Suite("signing time: the thread CPU clock and the metric's conversion")
struct SigningTimeTests {
    @Test("the thread CPU clock counts this thread's work, not time asleep")
    func threadClock() throws {
        let started = ThreadCPUClock.now()
        var sum = 0
        for value in 0..<3_000_000 { sum &+= value &* value }
        #expect(sum != 0)
        let busy = ThreadCPUClock.now() - started
        #expect(busy > .zero)
        let beforeSleep = ThreadCPUClock.now()
        usleep(50_000)
        #expect(ThreadCPUClock.now() - beforeSleep < .milliseconds(20), "50 ms asleep uses almost no CPU time")
    }

    @Test("durations become whole nanoseconds; negative or enormous ones become 0 instead of overflowing")
    func nanoseconds() {
        #expect(Telemetry.nanoseconds(.microseconds(290)) == 290_000)
        #expect(Telemetry.nanoseconds(.seconds(2) + .nanoseconds(5)) == 2_000_000_005)
        #expect(Telemetry.nanoseconds(.zero - .seconds(1)) == 0)
        #expect(Telemetry.nanoseconds(.seconds(Int64.max)) == 0)
    }

    @Test("every issued token carries its algorithm and signing time", arguments: SigningAlgorithm.allCases)
    func issuedTokenSigning(algorithm: SigningAlgorithm) async throws {
        let issued = try await StageEnvironment.with { environment in
            var settings = try environment.settings()
            settings.tokens.algorithm = algorithm
            let ring = KeyRing(store: environment.storage, settings: settings.tokens)
            try await ring.load(now: environment.clock.now)
            let issuer = TokenIssuer(keyRing: ring, enrichers: [], settings: settings, now: environment.clock.source)
            let agent = try await environment.agent(secret: "s")
            return try await issuer.issue(for: agent, scopes: ["read"], audience: ["https://api.example"], grantType: "client_credentials")
        }
        let signing = try #require(issued.signing)
        #expect(signing.algorithm == algorithm.rawValue)
        #expect(signing.cpuTime > .zero && signing.cpuTime < .seconds(1))
    }
}
