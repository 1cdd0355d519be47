import Foundation
import HTTPTypes
import Hummingbird
import MachineAuthCore
import MachineAuthServerTesting
import MachineAuthTesting
import Testing

/// Guessing someone else's secret or password slows down the guesser, never the owner: limits
/// key on (client, address) and (e-mail, address). Requests arrive through a trusted proxy on
/// loopback, which names the client's address in `X-Forwarded-For`.
@Suite("Failure limits lock out nobody else")
struct LockoutTests {
    static func from(_ address: String, _ headers: HTTPFields = [:]) -> HTTPFields {
        var headers = headers
        headers[HTTPField.Name("X-Forwarded-For")!] = address
        return headers
    }

    @Test("bad secrets for a client_id from one address do not slow that client down elsewhere")
    func clients() async throws {
        // A clock that stands still: the guesser's wait cannot run out while a slow machine works.
        try await Harness.with(now: ManualClock().source, live: true) { h in
            let agent = try await h.createAgent(try await h.adminToken())
            for _ in 0..<5 {
                let wrong = try await h.form("/oauth/token", [("grant_type", "client_credentials")],
                                             headers: Self.from("203.0.113.7", [.authorization: Harness.basic(agent.clientID, "cs_guess")]))
                #expect(wrong.status == .unauthorized)
            }
            let attacker = try await h.form("/oauth/token", [("grant_type", "client_credentials")],
                                            headers: Self.from("203.0.113.7", [.authorization: Harness.basic(agent.clientID, agent.secret)]))
            #expect(attacker.status == .tooManyRequests, "the guessing address waits")
            let owner = try await h.form("/oauth/token", [("grant_type", "client_credentials")],
                                         headers: Self.from("198.51.100.20", [.authorization: Harness.basic(agent.clientID, agent.secret)]))
            #expect(owner.status == .ok, "the client's own address is not slowed: \(owner.text)")
        }
    }

    @Test("bad passwords for an e-mail from one address do not lock the owner out elsewhere")
    func logins() async throws {
        try await Harness.with(now: ManualClock().source, live: true) { h in
            for _ in 0..<3 {
                let wrong = try await Self.login(h, "wrong-password", from: "203.0.113.8")
                #expect(wrong.status == .unauthorized)
            }
            let guesser = try await Self.login(h, "correct-horse-battery", from: "203.0.113.8")
            #expect(guesser.status == .tooManyRequests, "the guessing address waits")
            let owner = try await Self.login(h, "correct-horse-battery", from: "198.51.100.21")
            #expect(owner.status == .ok, "the owner signs in from elsewhere: \(owner.text)")
        }
    }

    static func login(_ h: Harness, _ password: String, from address: String) async throws -> Harness.Reply {
        try await h.send(.post, "/api/auth/login", headers: from(address, [.contentType: "application/json"]),
                         body: JSONValue.object(["email": "admin@example.com", "password": .string(password)]).jsonText)
    }

    @Test("delays grow with each further failure")
    func growingDelays() {
        let limiter = FailureLimiter(limit: 2, window: 60)
        let keys = FailureKeys.client("cid_x", address: "203.0.113.9")
        let start = Date(timeIntervalSince1970: 1_000_000)
        var waits: [Int] = []
        for attempt in 0..<6 {
            let time = start.addingTimeInterval(Double(attempt) * 0.001)
            limiter.recordFailure(keys, at: time)
            waits.append(limiter.retryAfter(keys, at: time) ?? 0)
        }
        #expect(waits == [0, 1, 2, 4, 8, 16])
        #expect(limiter.retryAfter(FailureKeys.client("cid_x", address: "198.51.100.1"), at: start.addingTimeInterval(10_000)) == nil)
    }

    @Test("a pair that succeeded is not held back by guesses for other targets from its shared address")
    func provenPairs() {
        let limiter = FailureLimiter(limit: 2, window: 60)
        let now = Date(timeIntervalSince1970: 2_000_000)
        let owner = FailureKeys.client("cid_owner", address: "198.51.100.7")
        limiter.recordSuccess(owner, at: now)
        for index in 0..<20 { limiter.recordFailure(FailureKeys.client("cid_guess\(index)", address: "198.51.100.7"), at: now) }
        #expect(limiter.retryAfter(FailureKeys.client("cid_new", address: "198.51.100.7"), at: now) != nil, "the spraying address waits")
        #expect(limiter.retryAfter(owner, at: now) == nil, "the proven pair does not")
    }

    @Test("IPv6 addresses count by their /64")
    func ipv6Networks() {
        let limiter = FailureLimiter(limit: 2, window: 60)
        let now = Date(timeIntervalSince1970: 3_000_000)
        limiter.recordFailure(FailureKeys.login(email: "a@example.com", address: "2001:db8:1:2::1"), at: now)
        limiter.recordFailure(FailureKeys.login(email: "a@example.com", address: "2001:db8:1:2::ffff"), at: now)
        #expect(limiter.retryAfter(FailureKeys.login(email: "a@example.com", address: "2001:db8:1:2:aaaa::5"), at: now) != nil)
        #expect(limiter.retryAfter(FailureKeys.login(email: "a@example.com", address: "2001:db8:1:3::1"), at: now) == nil)
    }

    @Test("an unknown e-mail costs the same password hash as a known one")
    func loginTiming() async throws {
        try await Harness.with { h in
            var known: [Duration] = []
            var unknown: [Duration] = []
            for index in 0..<2 {
                known.append(try await Self.loginDuration(h, "admin@example.com"))
                unknown.append(try await Self.loginDuration(h, "nobody-\(index)@example.com"))
            }
            // One PBKDF2 verification (210,000 rounds) on every path; without it an unknown e-mail answers ~20× faster.
            #expect(unknown.min()! * 3 > known.min()!, "known \(known), unknown \(unknown)")
        }
    }

    static func loginDuration(_ h: Harness, _ email: String) async throws -> Duration {
        let start = ContinuousClock.now
        _ = try await h.json(.post, "/api/auth/login", ["email": .string(email), "password": "wrong-password"])
        return start.duration(to: .now)
    }
}
