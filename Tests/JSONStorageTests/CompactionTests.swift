import Foundation
@testable import JSONStorage
import MachineAuthCore
import MachineAuthTesting
import Synchronization
import Testing

@Suite("JSON store compaction")
struct CompactionTests {
    typealias F = StoreFixtures

    @Test("a journal that outgrows its threshold and the store file is compacted in the background")
    func background() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("store.json")
        let storage = F.store(path, compactionBytes: 4096)
        try await storage.open()
        let agents = (0..<60).map { F.agent("agent-\($0)") }
        for agent in agents { try await storage.insertAgent(agent) }
        await storage.compaction.withLock { $0 }?.value
        let onDisk = try String(contentsOfFile: path, encoding: .utf8)
        #expect(onDisk.contains(#""journal_sequence":"#) && !onDisk.contains(#""journal_sequence":0,"#))
        #expect(try F.journalLines(path).count < agents.count, "compacted records left the journal")
        let crashed = try F.crashImage(of: path, named: "crash")
        try await storage.close()
        for image in [crashed, path] {
            #expect(try await F.reopened(image) { try await $0.listAgents(AgentQuery(page: PageRequest(page: 1, limit: 100))).total } == 60)
        }
    }

    @Test("a crash at any step of a compaction loses nothing acknowledged and counts nothing twice")
    func crashDuringCompaction() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (path, storage, agent) = try await F.openStore(in: directory, agent: "counted")
        var written = [agent.id]
        var images: [(path: String, agents: [String], tokens: Int)] = []
        func write(_ name: String) async throws {
            let next = F.agent(name)
            try await storage.insertAgent(next)
            try await storage.applyUsage([agent.id: UsageDelta(tokens: 1)])
            written.append(next.id)
            images.append((try F.crashImage(of: path, named: name), written, written.count - 1))
        }
        try await write("before")
        let log = try #require(storage.journal.withLock { $0 })
        let capture = try #require(storage.beginCompaction(log))
        try await write("captured")
        try Data(#"{"format":"machineauth-store","agents":[{"id":"#.utf8).write(to: URL(fileURLWithPath: path + ".tmp-1-torn"))
        try await write("snapshotting")
        try FileManager.default.removeItem(atPath: path + ".tmp-1-torn")
        let snapshot = try storage.writeSnapshot(capture)
        try await write("snapshot-written")
        try storage.finishCompaction(capture, snapshot)
        try await write("journal-removed")
        try await storage.close()
        images.append((path, written, written.count - 1))
        for image in images {
            let (agents, tokens) = try await F.reopened(image.path) { store in
                (try await store.listAgents(AgentQuery(page: PageRequest(page: 1, limit: 100))).items.map(\.id),
                 try await store.agent(id: agent.id)?.usage.tokenCount)
            }
            #expect(Set(agents) == Set(image.agents), "\(image.path)")
            #expect(tokens == image.tokens, "\(image.path)")
        }
    }

    @Test("compaction leaves out expired tokens and revocations and old finished deliveries, on disk and in memory")
    func dropsHistory() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (path, storage, agent) = try await F.openStore(in: directory, agent: "owner")
        let live = F.refreshToken(for: agent)
        let expired = F.refreshToken(for: agent, expires: Date().addingTimeInterval(-7200))
        let justExpired = F.refreshToken(for: agent, expires: Date().addingTimeInterval(-10))
        for token in [live, expired, justExpired] { try await storage.insertRefreshToken(token) }
        try await storage.revokeAccessToken(RevokedAccessToken(jti: "old", expiresAt: Date().addingTimeInterval(-7200)))
        try await storage.revokeAccessToken(RevokedAccessToken(jti: "current", expiresAt: Date().addingTimeInterval(600)))
        let webhook = Webhook(id: "w", name: "w", url: "https://x.test", events: ["*"], encryptedSecret: "s", maxRetries: 3,
                              retryBackoffBase: 2, createdAt: Date())
        try await storage.insertWebhook(webhook)
        func delivery(_ id: String, _ status: WebhookDelivery.Status, daysAgo: Double) -> WebhookDelivery {
            var delivery = WebhookDelivery(id: id, webhookID: "w", eventType: "agent.created", eventID: id, payload: "{}", maxAttempts: 3,
                                           createdAt: Date().addingTimeInterval(-daysAgo * 86400))
            delivery.status = status
            delivery.lastAttemptAt = status == .pending ? nil : delivery.createdAt
            return delivery
        }
        try await storage.enqueueDeliveries([delivery("old-delivered", .delivered, daysAgo: 40), delivery("old-dead", .dead, daysAgo: 40),
                                             delivery("old-pending", .pending, daysAgo: 40), delivery("recent", .delivered, daysAgo: 1)])
        let log = try #require(storage.journal.withLock { $0 })
        try storage.compact(try #require(storage.beginCompaction(log)))

        #expect(try await storage.refreshToken(hash: expired.hash) == nil, "forgotten in memory")
        #expect(try await storage.refreshToken(hash: justExpired.hash) != nil, "kept within the validators' margin")
        #expect(try await storage.revokedAccessTokens().map(\.jti) == ["current"])
        let onDisk = try String(contentsOfFile: path, encoding: .utf8)
        for gone in [expired.hash, "\"old\"", "old-delivered", "old-dead"] { #expect(!onDisk.contains(gone), "\(gone)") }
        for kept in [live.hash, justExpired.hash, "\"current\"", "old-pending", "recent"] { #expect(onDisk.contains(kept), "\(kept)") }
        try await storage.close()
        let deliveries = try await F.reopened(path) { try await $0.deliveries(webhookID: "w", status: nil, page: PageRequest()).items.map(\.id) }
        #expect(Set(deliveries) == ["old-pending", "recent"])
    }

    @Test("the server's expiry purge forgets expired rows at once and sets the margin compaction keeps")
    func purgeMargin() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (_, storage, agent) = try await F.openStore(in: directory, agent: "owner")
        let expired = F.refreshToken(for: agent, expires: Date().addingTimeInterval(-3600))
        let skewed = F.refreshToken(for: agent, expires: Date().addingTimeInterval(-60))
        for token in [expired, skewed] { try await storage.insertRefreshToken(token) }
        try await storage.purgeExpiredTokens(before: Date().addingTimeInterval(-600))
        #expect(try await storage.refreshToken(hash: expired.hash) == nil)
        #expect(try await storage.refreshToken(hash: skewed.hash) != nil, "within the clock skew")
        #expect((600..<660).contains(storage.expiryMargin.withLock { $0 }))
        try await storage.close()
    }
}
