import Foundation
import JSONStorage
import Logging
import MachineAuthCore
import MachineAuthTesting
import Testing

@Suite("JSON storage durability")
struct JSONStorageDurabilityTests {
    static func agent(_ name: String, clientID: String? = nil) -> Agent {
        Agent(id: RandomToken.uuid(), name: name, clientID: clientID ?? RandomToken.hex(prefix: "cid_", bytes: 8),
              secrets: [ClientSecretHash(hash: "h", createdAt: Date())], scopes: ["read"], createdAt: Date())
    }

    func store(_ path: String) -> JSONStorage {
        JSONStorage(path: path, logger: Logger(label: "test"))
    }

    @Test("data survives close and reopen; the file is mode 0600")
    func reopen() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("store.json")
        let first = store(path)
        try await first.open()
        let agent = Self.agent("a")
        try await first.insertAgent(agent)
        try await first.close()
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let second = store(path)
        try await second.open()
        let reloaded = try #require(try await second.agent(id: agent.id))
        #expect(reloaded.name == agent.name && reloaded.secrets.map(\.hash) == agent.secrets.map(\.hash) && reloaded.scopes == agent.scopes)
        #expect(abs(reloaded.createdAt.timeIntervalSince(agent.createdAt)) < 0.001, "dates keep millisecond precision")
        #expect(try await second.agent(clientID: agent.clientID)?.id == agent.id)
        try await second.close()
    }

    @Test("every acknowledged write is on disk without a clean close")
    func durableWithoutClose() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("store.json")
        let first = store(path)
        try await first.open()
        let agent = Self.agent("durable")
        try await first.insertAgent(agent)
        let onDisk = try String(contentsOfFile: path, encoding: .utf8)
        #expect(onDisk.contains(agent.id))
    }

    @Test("usage flushes append to a journal, never rewrite the store; a crash loses none and counts none twice")
    func usageJournal() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("store.json")
        let journal = path + ".usage.jsonl"
        let storage = store(path)
        try await storage.open()
        let agent = Self.agent("busy")
        try await storage.insertAgent(agent)
        let snapshot = try Data(contentsOf: URL(fileURLWithPath: path))
        let late = Date(timeIntervalSince1970: 1_900_000_000)
        for tokens in 1...3 {
            try await storage.applyUsage([agent.id: UsageDelta(tokens: tokens, lastTokenAt: late.addingTimeInterval(Double(-tokens)))])
        }
        try await storage.applyUsage([agent.id: UsageDelta(failures: 1), "deleted-agent": UsageDelta(tokens: 9)])
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == snapshot, "the store file was not rewritten")
        let mode = try FileManager.default.attributesOfItem(atPath: journal)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)

        func crashImage(_ name: String, store: String, journal journalCopy: Data) throws -> String {
            let image = directory.file(name)
            try FileManager.default.createDirectory(atPath: image, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: store, toPath: image + "/store.json")
            try journalCopy.write(to: URL(fileURLWithPath: image + "/store.json.usage.jsonl"))
            return image + "/store.json"
        }
        func usage(at path: String) async throws -> AgentUsage {
            let reopened = store(path)
            try await reopened.open()
            let found = try await reopened.agent(id: agent.id)
            try await reopened.close()
            return try #require(found).usage
        }
        let journalBeforeClose = try Data(contentsOf: URL(fileURLWithPath: journal))
        let crashed = try crashImage("crash", store: path, journal: journalBeforeClose + Data(#"{"sequence":5,"del"#.utf8))
        let recovered = try await usage(at: crashed)
        #expect(recovered.tokenCount == 6 && recovered.failedAuthCount == 1, "journal replayed; a torn last line is skipped")
        #expect(recovered.lastTokenAt == late.addingTimeInterval(-1))

        try await storage.close()
        let leftOver = (try? Data(contentsOf: URL(fileURLWithPath: journal))) ?? Data()
        #expect(leftOver.isEmpty, "closing folds the journal into the store")
        #expect(try await usage(at: path).tokenCount == 6)
        let foldedButNotTruncated = try crashImage("fold", store: path, journal: journalBeforeClose)
        #expect(try await usage(at: foldedButNotTruncated).tokenCount == 6, "entries the snapshot holds are not applied again")
    }

    @Test("a journal that outgrows the store is folded into it")
    func usageJournalFold() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("store.json")
        let storage = store(path)
        try await storage.open()
        let agent = Self.agent("folded")
        try await storage.insertAgent(agent)
        var batch = [agent.id: UsageDelta(tokens: 7)]
        for index in 0..<12_000 { batch["gone-\(index)"] = UsageDelta(tokens: 1, lastTokenAt: Date()) }
        try await storage.applyUsage(batch)
        let journal = try? Data(contentsOf: URL(fileURLWithPath: path + ".usage.jsonl"))
        #expect((journal ?? Data()).isEmpty, "more than 1 MB of journal was folded at once")
        let onDisk = try String(contentsOfFile: path, encoding: .utf8)
        #expect(onDisk.contains(#""usage_sequence":1"#) && onDisk.contains(#""token_count":7"#))
        try await storage.applyUsage([agent.id: UsageDelta(tokens: 1)])
        try await storage.close()
        let reopened = store(path)
        try await reopened.open()
        #expect(try await reopened.agent(id: agent.id)?.usage.tokenCount == 8)
        try await reopened.close()
    }

    @Test("concurrent writers all land")
    func concurrentWriters() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("store.json")
        let storage = store(path)
        try await storage.open()
        let agents = (0..<200).map { Self.agent("agent-\($0)") }
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
        try await storage.close()
        let reopened = store(path)
        try await reopened.open()
        let page = try await reopened.listAgents(AgentQuery(page: PageRequest(page: 1, limit: 500)))
        #expect(page.total == 200)
        #expect(page.items.filter { $0.name.hasSuffix("-renamed") }.count == 50)
        try await reopened.close()
    }

    @Test("a torn temporary file from a crash is ignored and removed")
    func tornTemporary() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("store.json")
        let first = store(path)
        try await first.open()
        let agent = Self.agent("kept")
        try await first.insertAgent(agent)
        try await first.close()
        let torn = directory.file("store.json.tmp-999-abcd")
        try Data("{\"format\":\"machineauth-st".utf8).write(to: URL(fileURLWithPath: torn))
        let second = store(path)
        try await second.open()
        #expect(try await second.agent(id: agent.id) != nil)
        #expect(!FileManager.default.fileExists(atPath: torn))
        try await second.close()
    }

    @Test("a corrupt store is a clear error and is never overwritten")
    func corruptFile() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write("store.json", "{ not json")
        let storage = store(path)
        await #expect {
            try await storage.open()
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
        let first = store(path)
        try await first.open()
        await #expect(throws: StorageError.self) { try await store(path).open() }
        try await first.close()
    }

    @Test("a duplicate client id is a conflict and changes nothing")
    func conflict() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let storage = store(directory.file("store.json"))
        try await storage.open()
        try await storage.insertAgent(Self.agent("a", clientID: "cid_same"))
        await #expect(throws: StorageError.conflict("an agent with client_id cid_same exists")) {
            try await storage.insertAgent(Self.agent("b", clientID: "cid_same"))
        }
        #expect(try await storage.listAgents(AgentQuery()).total == 1)
        try await storage.close()
    }

    @Test("agents that share scopes and metadata after a reload still change one at a time")
    func sharedValuesStayIndependent() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("store.json")
        let first = store(path)
        try await first.open()
        var twins = [Self.agent("one"), Self.agent("two")]
        for index in twins.indices {
            twins[index].metadata = ["team": "load"]
            twins[index].tags = ["fleet"]
            try await first.insertAgent(twins[index])
        }
        try await first.close()

        let second = store(path)
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
          arguments: ["store.json", "store.json.audit.jsonl", "store.json.usage.jsonl", "store.json.lock"])
    func symlinks(name: String) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let target = directory.file("elsewhere")
        try Data("precious\n".utf8).write(to: URL(fileURLWithPath: target))
        try FileManager.default.createSymbolicLink(atPath: directory.file(name), withDestinationPath: target)
        let store = JSONStorage(path: directory.file("store.json"), logger: Logger(label: "test"))
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

    @Test("a hard link in place of the store is refused")
    func hardLink() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let first = JSONStorage(path: directory.file("store.json"), logger: Logger(label: "test"))
        try await first.open()
        try await first.close()
        try FileManager.default.linkItem(atPath: directory.file("store.json"), toPath: directory.file("copy"))
        await #expect(throws: StorageError.self) { try await JSONStorage(path: directory.file("store.json"), logger: Logger(label: "test")).open() }
    }
}
