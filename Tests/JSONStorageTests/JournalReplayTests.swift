import Foundation
@testable import JSONStorage
import MachineAuthCore
import MachineAuthTesting
import Testing

@Suite("JSON journal replay")
struct JournalReplayTests {
    typealias F = StoreFixtures

    /// A store holding one agent, left open with its journal (as a crash would leave it).
    func crashedStore(_ directory: TemporaryDirectory) async throws -> (path: String, agent: Agent, storage: JSONStorage) {
        let (path, storage, agent) = try await F.openStore(in: directory, agent: "replayed")
        try await storage.applyUsage([agent.id: UsageDelta(tokens: 2)])
        return (path, agent, storage)
    }

    func append(_ text: String, toLastJournalOf path: String) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: try #require(F.journalFiles(path).last)))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
        try handle.close()
    }

    @Test("a torn last record is ignored, and later writes go to a new journal file", arguments: [
        #"{"seq":3,"agents":{"put":[{"id":"#, "\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}", #"{"seq":3,"usage":{"x":{"tok"# + "\n",
    ])
    func tornTail(tail: String) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (path, agent, storage) = try await crashedStore(directory)
        let image = try F.crashImage(of: path, named: "crash")
        try await storage.close()
        try append(tail, toLastJournalOf: image)
        let reopened = F.store(image)
        try await reopened.open()
        #expect(try await reopened.agent(id: agent.id)?.usage.tokenCount == 2)
        let later = F.agent("later")
        try await reopened.insertAgent(later)
        #expect(F.journalFiles(image).count == 2, "the torn file is not appended to")
        let again = try F.crashImage(of: image, named: "again")
        try await reopened.close()
        #expect(try await F.reopened(again) { try await $0.agent(id: later.id) } != nil)
        #expect(try await F.reopened(path) { try await $0.agent(id: agent.id)?.usage.tokenCount } == 2)
    }

    @Test("records already in the store file are not applied again (a crash between a compaction's two steps)")
    func idempotentReplay() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (path, agent, storage) = try await crashedStore(directory)
        let journal = try F.journalFiles(path).map { ($0, try Data(contentsOf: URL(fileURLWithPath: $0))) }
        try await storage.close()
        #expect(F.journalFiles(path).isEmpty)
        for (file, data) in journal { try data.write(to: URL(fileURLWithPath: file)) }
        for _ in 0..<2 {
            #expect(try await F.reopened(path) { try await $0.agent(id: agent.id)?.usage.tokenCount } == 2)
        }
    }

    @Test("a missing record or a number out of range refuses to open and touches nothing", arguments: [
        (#"{"seq":7,"usage":{"AGENT":{"tokens":1,"refreshes":0,"failures":0}}}"#, "missing"),
        (#"{"seq":3,"usage":{"AGENT":{"tokens":9223372036854775807,"refreshes":0,"failures":0}}}"#, "outside"),
        (#"{"seq":3,"usage":{"AGENT":{"tokens":-1,"refreshes":0,"failures":0}}}"#, "outside"),
        (#"{"seq":9223372036854775807}"#, "out of range"),
        (#"{"seq":-4}"#, "out of range"),
        (#"{"seq":3,"webhooks":{"put":[{"id":"w","name":"w","url":"https://x.test","events":["*"],"encrypted_secret":"s","is_active":true,"max_retries":9223372036854775807,"retry_backoff_base":2,"created_at":"2026-01-01T00:00:00.000Z","updated_at":"2026-01-01T00:00:00.000Z","consecutive_fails":0}]}}"#, "out of range"),
    ])
    func damagedJournal(line: String, problem: String) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (path, agent, storage) = try await crashedStore(directory)
        let image = try F.crashImage(of: path, named: "crash")
        try await storage.close()
        try append(line.replacingOccurrences(of: "AGENT", with: agent.id) + "\n", toLastJournalOf: image)
        let before = try F.journalLines(image)
        await #expect {
            try await F.store(image).open()
        } throws: { error in
            (error as? StorageError)?.code == .corrupt && "\(error)".contains(problem) && "\(error)".contains("left untouched")
        }
        #expect(try F.journalLines(image) == before)
        #expect(!FileManager.default.fileExists(atPath: image), "no store file was written")
    }

    @Test("a store file with a number out of range is refused", arguments: [
        #""usage":{"token_count":9223372036854775807,"refresh_count":0,"failed_auth_count":0}"#,
        #""usage":{"token_count":0,"refresh_count":-3,"failed_auth_count":0}"#,
    ])
    func damagedSnapshot(usage: String) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write("store.json", """
            {"format":"machineauth-store","schema_version":2,"journal_sequence":0,"agents":[{"id":"a","name":"a","client_id":"c",\(usage),
            "created_at":"2026-01-01T00:00:00.000Z"}]}
            """)
        await #expect {
            try await F.store(path).open()
        } throws: { error in
            (error as? StorageError)?.code == .corrupt && "\(error)".contains("outside")
        }
    }

    @Test("the usage journal of earlier versions is replayed once and removed by the next compaction")
    func legacyUsageJournal() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write("store.json", """
            {"format":"machineauth-store","schema_version":1,"usage_sequence":2,"agents":[{"id":"a","name":"a","client_id":"c",
            "usage":{"token_count":5,"refresh_count":0,"failed_auth_count":0},"created_at":"2026-01-01T00:00:00.000Z"}]}
            """)
        _ = try directory.write("store.json.usage.jsonl", """
            {"sequence":2,"deltas":{"a":{"tokens":5,"refreshes":0,"failures":0}}}
            {"sequence":3,"deltas":{"a":{"tokens":1,"refreshes":2,"failures":0}}}

            """)
        let storage = F.store(path)
        try await storage.open()
        #expect(try await storage.agent(id: "a")?.usage.tokenCount == 6)
        #expect(try await storage.agent(id: "a")?.usage.refreshCount == 2)
        try await storage.applyUsage(["a": UsageDelta(tokens: 1)])
        try await storage.close()
        #expect(!FileManager.default.fileExists(atPath: path + ".usage.jsonl"))
        #expect(try await F.reopened(path) { try await $0.agent(id: "a")?.usage.tokenCount } == 7)
        #expect(try String(contentsOfFile: path, encoding: .utf8).contains(#""schema_version":2"#))
    }

    @Test("the deliveries still to send are known after a replay of the journal and after a compaction")
    func deliveryQueueSurvivesReopen() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (path, storage, _) = try await F.openStore(in: directory, agent: "hooked")
        let hook = Webhook(id: RandomToken.uuid(), name: "hook", url: "https://example.com/hook", events: ["*"], encryptedSecret: "enc:v1:x",
                           organizationID: nil, maxRetries: 3, retryBackoffBase: 2, createdAt: Date())
        try await storage.insertWebhook(hook)
        let queued = (0..<3).map { index in
            var delivery = WebhookDelivery(id: "msg_\(index)", webhookID: hook.id, eventType: "agent.created", eventID: RandomToken.uuid(),
                                           payload: "{}", maxAttempts: 4, createdAt: Date())
            delivery.nextAttemptAt = Date().addingTimeInterval(-Double(10 - index))
            return delivery
        }
        try await storage.enqueueDeliveries(queued)
        var sent = try #require(try await storage.claimDeliveries(owner: "w", limit: 1, now: Date(), leaseUntil: Date().addingTimeInterval(60)).first)
        #expect(sent.id == "msg_0")
        sent.status = .delivered
        #expect(try await storage.finishDelivery(sent, owner: "w"))
        let image = try F.crashImage(of: path, named: "crash")
        try await storage.close()
        for reopenedPath in [image, path] {
            let claimed = try await F.reopened(reopenedPath) { store in
                try await store.claimDeliveries(owner: "x", limit: 10, now: Date(), leaseUntil: Date().addingTimeInterval(60)).map(\.id)
            }
            #expect(claimed == ["msg_1", "msg_2"], "\(reopenedPath)")
        }
    }
}
