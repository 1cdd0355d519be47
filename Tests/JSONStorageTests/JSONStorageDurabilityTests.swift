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
