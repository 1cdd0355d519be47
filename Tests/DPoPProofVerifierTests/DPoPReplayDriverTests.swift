import Foundation
import DPoPProofVerifier
import MachineAuthCore
import MachineAuthTesting
import Testing

/// The stage's replay cache is the store's replay table: a proof works once on every driver, and
/// once across two instances on one PostgreSQL database.
@Suite("dpop stage on every storage driver")
struct DPoPReplayDriverTests {
    static let url = "https://auth.example/oauth/token"
    let hasher = SecretHasher(key: Data("deployment-key".utf8))

    func request(_ time: Date) -> DPoPRequest {
        DPoPRequest(method: "POST", url: Self.url, isTokenRequest: true, at: time)
    }

    func replayRefused(_ stage: DPoPProofVerifier, _ proof: String, at time: Date) async -> Bool {
        do {
            _ = try await stage.verify(proof, for: request(time))
            return false
        } catch let error as OAuthError {
            return error.code == "invalid_dpop_proof" && error.message.contains("used before")
        } catch {
            return false
        }
    }

    @Test("a proof works once", arguments: TestDatabases.drivers)
    func once(driver: String) async throws {
        let handle = try await TestDatabases.open(driver)
        defer { handle.cleanup() }
        let stage = DPoPProofVerifier(config: .init(), replays: handle.storage, hasher: hasher)
        let now = Date()
        let proof = DPoPTestKey().proof("POST", Self.url, at: now)
        _ = try await stage.verify(proof, for: request(now))
        #expect(await replayRefused(stage, proof, at: now))
        try await handle.storage.close()
    }

    @Test("two instances on one PostgreSQL database share the replay cache and accept each other's nonces",
          .enabled(if: TestDatabases.postgresURL != nil, "needs MACHINEAUTH_TEST_POSTGRES_URL"))
    func twoInstances() async throws {
        let handle = try await TestDatabases.open("postgres")
        let other = try await handle.reopen()
        let config = DPoPProofVerifierFactory.Config(nonce: true)
        let first = DPoPProofVerifier(config: config, replays: handle.storage, hasher: hasher)
        let second = DPoPProofVerifier(config: config, replays: other, hasher: hasher)
        let now = Date()
        let nonce = try #require(first.currentNonce(at: now))
        let proof = DPoPTestKey().proof("POST", Self.url, at: now, nonce: nonce)
        _ = try await second.verify(proof, for: request(now))
        #expect(await replayRefused(first, proof, at: now))
        try await other.close()
        try await handle.storage.close()
    }
}
