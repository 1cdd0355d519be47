import Foundation
@testable import JSONStorage
import MachineAuthCore
import MachineAuthTesting
import Testing

@Suite("JSON storage durability")
struct JSONStorageDurabilityTests {
    typealias F = StoreFixtures

    @Test("data survives close and reopen; the store is one file of mode 0600 again after close")
    func reopen() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("store.json")
        let first = F.store(path)
        try await first.open()
        let agent = F.agent("a")
        try await first.insertAgent(agent)
        try await first.close()
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(F.journalFiles(path).isEmpty, "closing compacts the journal into the store file")
        let reloaded = try #require(try await F.reopened(path) { try await $0.agent(id: agent.id) })
        #expect(reloaded.name == agent.name && reloaded.secrets.map(\.hash) == agent.secrets.map(\.hash) && reloaded.scopes == agent.scopes)
        #expect(abs(reloaded.createdAt.timeIntervalSince(agent.createdAt)) < 0.001, "dates keep millisecond precision")
        #expect(try await F.reopened(path) { try await $0.agent(clientID: agent.clientID)?.id } == agent.id)
    }

    @Test("an acknowledged write is one fsynced journal record, not a rewrite of the store; a crash keeps it")
    func journaledWrites() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("store.json")
        let storage = F.store(path)
        try await storage.open()
        try await storage.insertAgent(F.agent("first"))
        try await storage.close()
        let snapshot = try Data(contentsOf: URL(fileURLWithPath: path))
        try await storage.open()
        let agents = (0..<5).map { F.agent("a\($0)") }
        for agent in agents { try await storage.insertAgent(agent) }
        _ = try await storage.updateAgent(id: agents[0].id) { $0.name = "renamed" }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == snapshot, "the store file was not rewritten")
        #expect(try F.journalLines(path).count == 6, "one record per change")
        let mode = try FileManager.default.attributesOfItem(atPath: try #require(F.journalFiles(path).first))[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)

        let crashed = try F.crashImage(of: path, named: "crash")
        let names = try await F.reopened(crashed) { store in try await agents.asyncMap { try await store.agent(id: $0.id)?.name } }
        #expect(names == ["renamed", "a1", "a2", "a3", "a4"])
        try await storage.close()
    }

    @Test("usage counters are journaled as counters; a crash replays them once")
    func usage() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("store.json")
        let storage = F.store(path)
        try await storage.open()
        let agent = F.agent("busy")
        try await storage.insertAgent(agent)
        let late = Date(timeIntervalSince1970: 1_900_000_000)
        for tokens in 1...3 {
            try await storage.applyUsage([agent.id: UsageDelta(tokens: tokens, lastTokenAt: late.addingTimeInterval(Double(-tokens)))])
        }
        try await storage.applyUsage([agent.id: UsageDelta(failures: 1), "deleted-agent": UsageDelta(tokens: 9)])
        #expect(try F.journalLines(path).last?.contains(#""usage":{""#) == true)
        #expect(try F.journalLines(path).allSatisfy { !$0.contains("deleted-agent") }, "counters of unknown agents are not journaled")
        let crashed = try F.crashImage(of: path, named: "crash")
        let recovered = try #require(try await F.reopened(crashed) { try await $0.agent(id: agent.id)?.usage })
        #expect(recovered.tokenCount == 6 && recovered.failedAuthCount == 1)
        #expect(recovered.lastTokenAt == late.addingTimeInterval(-1))
        try await storage.close()
        #expect(try await F.reopened(path) { try await $0.agent(id: agent.id)?.usage.tokenCount } == 6)
    }

    @Test("concurrent writers all land")
    func concurrentWriters() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("store.json")
        let storage = F.store(path)
        try await storage.open()
        let agents = (0..<200).map { F.agent("agent-\($0)") }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for agent in agents { group.addTask { try await storage.insertAgent(agent) } }
            try await group.waitForAll()
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for agent in agents.prefix(50) {
                group.addTask { _ = try await storage.updateAgent(id: agent.id) { $0.name += "-renamed" } }
            }
            try await group.waitForAll()
        }
        #expect(try F.journalLines(path).count == 250)
        let crashed = try F.crashImage(of: path, named: "crash")
        try await storage.close()
        for image in [path, crashed] {
            let page = try await F.reopened(image) { try await $0.listAgents(AgentQuery(page: PageRequest(page: 1, limit: 500))) }
            #expect(page.total == 200)
            #expect(page.items.filter { $0.name.hasSuffix("-renamed") }.count == 50)
        }
    }

    @Test("torn temporary files from a crash, of the store and of its audit files, are ignored and removed; other files are kept")
    func tornTemporary() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("store.json")
        let first = F.store(path)
        try await first.open()
        let agent = F.agent("kept")
        try await first.insertAgent(agent)
        try await first.close()
        let torn = ["store.json.tmp-999-abcd", "store.json.audit.jsonl.tmp-999-abcd",
                    "store.json.audit-00000007.jsonl.tmp-12-0f0f",  // a segment retention has since deleted
                    "store.json.audit-summaries.json.tmp-5-beef"].map { directory.file($0) }
        let others = ["other.json.tmp-999-abcd", "store.json.audit-x.jsonl.tmp-1-ab", "store.json.audit-00000007.jsonl.bak",
                      "store.json.journal-00000001.jsonl.tmp-1-ab", "notes.tmp-1-ab"].map { directory.file($0) }
        for file in torn + others {
            try Data("{\"format\":\"machineauth-st".utf8).write(to: URL(fileURLWithPath: file))
        }
        #expect(try await F.reopened(path) { try await $0.agent(id: agent.id) } != nil)
        for file in torn { #expect(!FileManager.default.fileExists(atPath: file), "\(file) is left") }
        for file in others { #expect(FileManager.default.fileExists(atPath: file), "\(file) is not the store's and was removed") }
    }

    @Test("a corrupt store is a clear error and is never overwritten")
    func corruptFile() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write("store.json", "{ not json")
        await #expect {
            try await F.store(path).open()
        } throws: { error in
            (error as? StorageError)?.code == .corrupt && "\(error)".contains("left untouched")
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "{ not json")
    }

    @Test("a second process cannot open the same store")
    func exclusive() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("store.json")
        let first = F.store(path)
        try await first.open()
        await #expect(throws: StorageError.self) { try await F.store(path).open() }
        try await first.close()
    }

    @Test("a duplicate client id is a conflict and changes nothing")
    func conflict() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("store.json")
        let storage = F.store(path)
        try await storage.open()
        try await storage.insertAgent(F.agent("a", clientID: "cid_same"))
        await #expect(throws: StorageError.conflict("an agent with client_id cid_same exists")) {
            try await storage.insertAgent(F.agent("b", clientID: "cid_same"))
        }
        #expect(try await storage.listAgents(AgentQuery()).total == 1)
        #expect(try F.journalLines(path).count == 1, "a refused change journals nothing")
        try await storage.close()
    }

    @Test("agents that share scopes and metadata after a reload still change one at a time")
    func sharedValuesStayIndependent() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("store.json")
        let first = F.store(path)
        try await first.open()
        var twins = [F.agent("one"), F.agent("two")]
        for index in twins.indices {
            twins[index].metadata = ["team": "load"]
            twins[index].tags = ["fleet"]
            try await first.insertAgent(twins[index])
        }
        try await first.close()

        let second = F.store(path)
        try await second.open()
        _ = try await second.updateAgent(id: twins[0].id) { agent in
            agent.scopes.append("write")
            agent.metadata["team"] = "ops"
            agent.tags.removeAll()
        }
        let changed = try #require(try await second.agent(id: twins[0].id))
        let untouched = try #require(try await second.agent(id: twins[1].id))
        #expect(changed.scopes == ["read", "write"] && changed.metadata == ["team": "ops"] && changed.tags.isEmpty)
        #expect(untouched.scopes == ["read"] && untouched.metadata == ["team": "load"] && untouched.tags == ["fleet"])
        #expect(try await second.listAgents(AgentQuery()).total == 2)
        try await second.close()
    }
}

@Suite("JSON storage refuses links")
struct JSONStorageLinkTests {
    @Test("a symbolic link in place of the store or a file beside it is refused, and its target untouched",
          arguments: ["store.json", "store.json.audit.jsonl", "store.json.journal-00000001.jsonl", "store.json.lock"])
    func symlinks(name: String) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let target = directory.file("elsewhere")
        try Data("precious\n".utf8).write(to: URL(fileURLWithPath: target))
        try FileManager.default.createSymbolicLink(atPath: directory.file(name), withDestinationPath: target)
        let store = StoreFixtures.store(directory.file("store.json"))
        do {
            try await store.open()
            try await store.appendAuditRecords([AuditRecord(
                id: "r", time: Date(), action: "agent.created", actorType: "system", actorID: nil, targetType: nil, targetID: nil,
                agentID: nil, organizationID: nil, outcome: "success", ipAddress: nil, userAgent: nil, requestID: nil, details: [:])])
            try await store.close()
            Issue.record("a link at \(name) was followed")
        } catch let error as StorageError {
            #expect(error.message.contains("link"), "\(error.message)")
        }
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "precious\n")
    }

    @Test("a hard link in place of the store or its journal is refused")
    func hardLink() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (path, first, _) = try await StoreFixtures.openStore(in: directory, agent: "linked")
        try await first.close()
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasPrefix("store.json") && !$0.hasSuffix(".lock") }
        try #require(!files.isEmpty)
        for file in files {
            try FileManager.default.linkItem(atPath: directory.file(file), toPath: directory.file("copy"))
            await #expect(throws: StorageError.self, "a second link to \(file)") { try await StoreFixtures.store(path).open() }
            try FileManager.default.removeItem(atPath: directory.file("copy"))
        }
        let reopened = StoreFixtures.store(path)
        try await reopened.open()
        #expect(try await reopened.listAgents(AgentQuery()).total == 1)
        try await reopened.close()
    }
}

extension Array where Element: Sendable {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
