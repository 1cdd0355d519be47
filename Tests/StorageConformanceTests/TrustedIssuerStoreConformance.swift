import Foundation
import MachineAuthCore
import MachineAuthTesting
import Testing

@Suite("Storage conformance: trusted issuers")
struct TrustedIssuerStoreConformance {
    /// Whole seconds, as every driver stores times to the millisecond at least.
    static var now: Date { Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down)) }

    func issuer(_ url: String = "https://issuer-\(RandomToken.hex(bytes: 4)).example", created: Date = Self.now) -> TrustedIssuer {
        TrustedIssuer(id: RandomToken.hex(prefix: "tis_", bytes: 8), name: "ci", issuer: url, preset: .githubActions, audiences: ["https://auth.example"],
                      jwks: ["keys": [["kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo", "kid": "k1"]]],
                      maxTokenLifetime: 600, rules: [IdentityRule(subject: "repo:acme/deploy:*", claims: ["environment": "prod"], agent: "cid_a", scopes: ["deploy"])],
                      createdAt: created)
    }

    @Test("insert, read, list in creation order, update, delete", arguments: TestDatabases.drivers)
    func lifecycle(driver: String) async throws {
        try await withStore(driver) { handle async throws in
            let store = handle.storage
            let first = issuer(created: Date(timeIntervalSince1970: 1_800_000_000))
            let second = issuer(created: Date(timeIntervalSince1970: 1_800_000_100))
            try await store.insertTrustedIssuer(second)
            try await store.insertTrustedIssuer(first)
            #expect(try await store.trustedIssuer(id: first.id) == first, "every member reads back as written")
            #expect(try await store.listTrustedIssuers().map(\.id) == [first.id, second.id], "oldest first")
            let renamed = try await store.updateTrustedIssuer(id: first.id) { $0.name = "renamed"; $0.rules[0].scopes = nil }
            #expect(renamed?.name == "renamed" && renamed?.rules[0].scopes == nil)
            #expect(try await store.trustedIssuer(id: first.id) == renamed)
            #expect(try await store.updateTrustedIssuer(id: "tis_missing") { $0.name = "x" } == nil)
            await #expect(throws: ValidationError.self) {
                _ = try await store.updateTrustedIssuer(id: first.id) { $0.name = "half"; throw ValidationError("name", "refused") }
            }
            #expect(try await store.trustedIssuer(id: first.id)?.name == "renamed", "a throwing change writes nothing")
            #expect(try await store.deleteTrustedIssuer(id: first.id)?.id == first.id)
            #expect(try await store.deleteTrustedIssuer(id: first.id) == nil)
            #expect(try await store.trustedIssuer(id: first.id) == nil)
            #expect(try await store.listTrustedIssuers() == [second])
        }
    }

    @Test("a repeated id or issuer URL is a conflict, on insert and on update", arguments: TestDatabases.drivers)
    func conflicts(driver: String) async throws {
        try await withStore(driver) { handle async throws in
            let store = handle.storage
            let taken = issuer()
            let other = issuer()
            try await store.insertTrustedIssuer(taken)
            try await store.insertTrustedIssuer(other)
            var sameURL = issuer(taken.issuer)
            sameURL.name = "copy"
            var sameID = issuer()
            sameID.id = taken.id
            for duplicate in [sameURL, sameID] {
                await #expect {
                    try await store.insertTrustedIssuer(duplicate)
                } throws: { ($0 as? StorageError)?.code == .conflict }
            }
            await #expect {
                _ = try await store.updateTrustedIssuer(id: other.id) { $0.issuer = taken.issuer }
            } throws: { ($0 as? StorageError)?.code == .conflict }
            #expect(try await store.trustedIssuer(id: other.id) == other, "the refused update changed nothing")
            #expect(try await store.listTrustedIssuers().count == 2)
            _ = try await store.deleteTrustedIssuer(id: taken.id)
            try await store.insertTrustedIssuer(sameURL)
            #expect(try await store.trustedIssuer(id: sameURL.id)?.name == "copy", "a deleted issuer's URL is free again")
        }
    }

    @Test("every change is announced on the change feed (PostgreSQL: to another instance)", arguments: TestDatabases.drivers)
    func announced(driver: String) async throws {
        try await withStore(driver) { handle async throws in
            let writer = handle.storage
            let listener = driver == "postgres" ? try await handle.reopen() : writer
            let heard = AnnouncementCounter(listener.changes())
            if driver == "postgres" {
                // The other instance's LISTEN may still be connecting: write until it hears one.
                var warmUp = 0
                while await heard.count == 0, warmUp < 50 {
                    try await writer.insertTrustedIssuer(issuer())
                    warmUp += 1
                    try await Task.sleep(for: .milliseconds(100))
                }
                try await Task.sleep(for: .milliseconds(300))  // the warm-up's last announcements are in
            }
            let before = await heard.count
            let made = issuer()
            try await writer.insertTrustedIssuer(made)
            _ = try await writer.updateTrustedIssuer(id: made.id) { $0.name = "changed" }
            _ = try await writer.deleteTrustedIssuer(id: made.id)
            #expect(await heard.wait(for: before + 3), "insert, update and delete were each announced as trustedIssuersChanged")
            _ = try await writer.deleteTrustedIssuer(id: "tis_missing")
            try await Task.sleep(for: .milliseconds(200))
            #expect(await heard.count == before + 3, "deleting nothing announces nothing")
            await heard.stop()
            if driver == "postgres" { try await listener.close() }
        }
    }

    @Test("everything written is there after reopening", arguments: TestDatabases.drivers)
    func reopen(driver: String) async throws {
        try await withStore(driver) { handle async throws in
            let kept = issuer(), changed = issuer(), removed = issuer()
            for made in [kept, changed, removed] { try await handle.storage.insertTrustedIssuer(made) }
            let updated = try await handle.storage.updateTrustedIssuer(id: changed.id) { $0.preset = nil; $0.maxTokenLifetime = nil }
            _ = try await handle.storage.deleteTrustedIssuer(id: removed.id)
            try await handle.storage.close()
            let again = try await handle.reopen()
            #expect(try await Set(again.listTrustedIssuers()) == Set([kept, try #require(updated)]))
            #expect(try await again.trustedIssuer(id: removed.id) == nil)
            try await again.close()
        }
    }
}

/// Counts the ``StorageChange/trustedIssuersChanged`` a change feed delivers.
actor AnnouncementCounter {
    private(set) var count = 0
    private var task: Task<Void, Never>?

    init(_ changes: AsyncStream<StorageChange>) {
        task = nil
        Task { await self.follow(changes) }
    }

    private func follow(_ changes: AsyncStream<StorageChange>) {
        task = Task {
            for await change in changes where change == .trustedIssuersChanged { self.add() }
        }
    }

    private func add() { count += 1 }

    /// Whether `expected` announcements arrive within five seconds.
    func wait(for expected: Int) async -> Bool {
        for _ in 0..<100 {
            if count >= expected { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return count >= expected
    }

    func stop() { task?.cancel() }
}
