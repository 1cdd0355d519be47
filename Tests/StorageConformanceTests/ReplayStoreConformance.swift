import Foundation
import MachineAuthCore
import MachineAuthTesting
import Testing

@Suite("Storage conformance: identifiers used once")
struct ReplayStoreConformance {
    @Test("a key is used once until it expires, racing uses have one winner, and it survives a reopen", arguments: TestDatabases.drivers)
    func usedOnce(driver: String) async throws {
        try await withStore(driver) { handle async throws in
            let store = handle.storage
            let now = Date()
            #expect(try await store.recordFirstUse("jti:a", until: now.addingTimeInterval(300), at: now))
            #expect(try await store.recordFirstUse("jti:a", until: now.addingTimeInterval(300), at: now) == false, "a replay")
            #expect(try await store.recordFirstUse("jti:b", until: now.addingTimeInterval(300), at: now), "keys are independent")
            let wins = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<16 { group.addTask { try await store.recordFirstUse("jti:race", until: now.addingTimeInterval(300), at: now) } }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(wins == 1, "exactly one of 16 racing uses wins")
            #expect(try await store.recordFirstUse("jti:short", until: now.addingTimeInterval(1), at: now))
            #expect(try await store.recordFirstUse("jti:short", until: now.addingTimeInterval(310), at: now.addingTimeInterval(5)),
                    "usable again once the earlier use has expired")
            try await store.close()
            let again = try await handle.reopen()
            #expect(try await again.recordFirstUse("jti:a", until: now.addingTimeInterval(300), at: now) == false, "remembered after a restart")
            try await again.purgeExpiredTokens(before: now.addingTimeInterval(400))
            #expect(try await again.recordFirstUse("jti:a", until: now.addingTimeInterval(900), at: now.addingTimeInterval(400)), "forgotten once expired and purged")
            try await again.close()
        }
    }

    @Test("two PostgreSQL instances share the record", .enabled(if: TestDatabases.postgresURL != nil, "needs MACHINEAUTH_TEST_POSTGRES_URL"))
    func sharedAcrossInstances() async throws {
        try await withStore("postgres") { handle async throws in
            let other = try await handle.reopen()
            let now = Date()
            #expect(try await handle.storage.recordFirstUse("jti:shared", until: now.addingTimeInterval(300), at: now))
            #expect(try await other.recordFirstUse("jti:shared", until: now.addingTimeInterval(300), at: now) == false)
            try await other.close()
        }
    }
}
