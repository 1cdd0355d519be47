import AuditSink
import Foundation
import Logging
import MachineAuthCore
import MachineAuthTesting
import Synchronization
import Testing

@Suite("audit stage")
struct AuditSinkTests {
    /// Configurations load through this plugin's stage only.
    static let registry = ConfigFixtures.registry { $0.register(AuditSinkFactory.self) }

    @Test("validates retention and flush interval")
    func registry() {
        let problems = ConfigFixtures.problems("notifiers:\n  - type: audit\n    retention: 5m\n    flush_interval: 2m\n", registry: Self.registry)
        #expect(problems.count == 2)
    }

    @Test("events become audit records with actor, target, outcome and origin; retention deletes old ones")
    func records() async throws {
        try await StageEnvironment.with { environment in
            let sink = AuditSink(store: environment.storage, config: .init(retention: ConfigDuration(seconds: 3600)), logger: Logger(label: "t"),
                                 now: environment.clock.source)
            await sink.notify(DomainEvent(
                type: "agent.created", time: environment.clock.now.addingTimeInterval(-7200), actor: .admin("root@example.com"),
                target: .agent("a1"), origin: RequestOrigin(ipAddress: "10.0.0.1", userAgent: "curl", requestID: "r1")))
            await sink.notify(DomainEvent(type: "token.failed", time: environment.clock.now, actor: .anonymous, outcome: .failure))
            await sink.shutdown()
            let page = try await environment.storage.auditRecords(AuditQuery())
            #expect(page.total == 2)
            let created = try #require(page.items.first { $0.action == "agent.created" })
            #expect(created.actorType == "admin" && created.actorID == "root@example.com" && created.agentID == "a1")
            #expect(created.ipAddress == "10.0.0.1" && created.userAgent == "curl" && created.requestID == "r1")
            #expect(page.items.contains { $0.outcome == "failure" })
            await sink.purge()
            #expect(try await environment.storage.auditRecords(AuditQuery()).items.map(\.action) == ["token.failed"])
        }
    }

    @Test("by default a record is in the store when notify returns, under concurrency too")
    func writeThrough() async throws {
        try await StageEnvironment.with { environment in
            let sink = AuditSink(store: environment.storage, config: .init(), logger: Logger(label: "t"), now: environment.clock.source)
            await sink.notify(DomainEvent(type: "agent.created", time: environment.clock.now, actor: .admin("root@example.com")))
            let first = try await environment.storage.auditRecords(AuditQuery()).total
            #expect(first == 1, "no flush interval between an operation and its record")
            await withTaskGroup(of: Void.self) { group in
                for index in 0..<100 {
                    group.addTask { await sink.notify(DomainEvent(type: "token.issued", time: environment.clock.now, actor: .agent("a\(index)"))) }
                }
            }
            let all = try await environment.storage.auditRecords(AuditQuery()).total
            #expect(all == 101)
            #expect(Set(try await environment.storage.auditRecords(AuditQuery(page: PageRequest(page: 1, limit: 500))).items.map(\.id)).count == 101,
                    "every record is its own")
        }
    }

    @Test("a full batch is written by the background loop long before the flush interval, without blocking notify")
    func fullBatchWakesWriter() async throws {
        try await StageEnvironment.with { environment in
            let sink = AuditSink(store: environment.storage, config: .init(flushInterval: ConfigDuration(seconds: 60)), logger: Logger(label: "t"),
                                 now: environment.clock.source)
            let loop = Task { await sink.run() }
            for index in 0..<AuditSink.batchSize {
                await sink.notify(DomainEvent(type: "token.issued", time: environment.clock.now, actor: .agent("a\(index)")))
            }
            var written = 0
            for _ in 0..<200 where written < AuditSink.batchSize {
                try await Task.sleep(for: .milliseconds(25))
                written = try await environment.storage.auditRecords(AuditQuery()).total
            }
            #expect(written == AuditSink.batchSize)
            loop.cancel()
            await loop.value
        }
    }

    @Test("the events of one notify call are written in one append")
    func batchIsOneAppend() async throws {
        try await StageEnvironment.with { environment in
            let store = CountingAuditStore(inner: environment.storage)
            let sink = AuditSink(store: store, config: .init(), logger: Logger(label: "t"), now: environment.clock.source)
            await sink.notify((0..<300).map { DomainEvent(type: "agent.deleted", time: environment.clock.now, actor: .admin("root@example.com"), target: .agent("a\($0)")) })
            #expect(store.appends == [300])
            let stored = try await environment.storage.auditRecords(AuditQuery()).total
            #expect(stored == 300)
        }
    }
}

/// An audit store that counts the records of each append.
final class CountingAuditStore: AuditStore {
    let inner: any AuditStore
    private let counts = Mutex<[Int]>([])
    init(inner: any AuditStore) { self.inner = inner }
    var appends: [Int] { counts.withLock { $0 } }

    func appendAuditRecords(_ records: [AuditRecord]) async throws {
        counts.withLock { $0.append(records.count) }
        try await inner.appendAuditRecords(records)
    }
    func auditRecords(_ query: AuditQuery) async throws -> Page<AuditRecord> { try await inner.auditRecords(query) }
    func deleteAuditRecords(before time: Date) async throws -> Int { try await inner.deleteAuditRecords(before: time) }
}
