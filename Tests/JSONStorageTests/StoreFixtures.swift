import Foundation
@testable import JSONStorage
import Logging
import MachineAuthCore
import MachineAuthTesting

/// Stores, records and crash images for the JSON driver's tests.
enum StoreFixtures {
    static func agent(_ name: String, clientID: String? = nil) -> Agent {
        Agent(id: RandomToken.uuid(), name: name, clientID: clientID ?? RandomToken.hex(prefix: "cid_", bytes: 8),
              secrets: [ClientSecretHash(hash: "h", createdAt: Date())], scopes: ["read"], createdAt: Date())
    }

    static func refreshToken(for agent: Agent, expires: Date = Date().addingTimeInterval(3600)) -> RefreshTokenRecord {
        RefreshTokenRecord(hash: "hmac-sha256:" + RandomToken.make(prefix: "", bytes: 32), familyID: RandomToken.uuid(), agentID: agent.id,
                           clientID: agent.clientID, scopes: ["read"], audience: ["https://api.example.com"], createdAt: Date(), expiresAt: expires)
    }

    static func store(_ path: String, compactionBytes: Int = 8 << 20) -> JSONStorage {
        var logger = Logger(label: "test")
        logger.logLevel = .error
        return JSONStorage(path: path, logger: logger, compactionBytes: compactionBytes)
    }

    /// A new store `store.json` in `directory`, open, holding one agent named `agent`.
    static func openStore(in directory: TemporaryDirectory, agent name: String, compactionBytes: Int = 8 << 20) async throws
        -> (path: String, storage: JSONStorage, agent: Agent)
    {
        let path = directory.file("store.json")
        let storage = store(path, compactionBytes: compactionBytes)
        try await storage.open()
        let agent = agent(name)
        try await storage.insertAgent(agent)
        return (path, storage, agent)
    }

    /// What a crash would leave: a copy of the store's files as they are now (no close), in a
    /// directory `name` beside the store; returns the copy's store path.
    static func crashImage(of storePath: String, named name: String) throws -> String {
        let directory = (storePath as NSString).deletingLastPathComponent
        let base = (storePath as NSString).lastPathComponent
        let image = directory + "/" + name
        try FileManager.default.createDirectory(atPath: image, withIntermediateDirectories: true)
        for file in try FileManager.default.contentsOfDirectory(atPath: directory) where file.hasPrefix(base) && !file.hasSuffix(".lock") {
            try FileManager.default.copyItem(atPath: directory + "/" + file, toPath: image + "/" + file)
        }
        return image + "/" + base
    }

    /// The journal files beside `storePath`, oldest first.
    static func journalFiles(_ storePath: String) -> [String] {
        JournalFiles(storePath: storePath).existing().map(\.path)
    }

    /// Every line of every journal file beside `storePath`.
    static func journalLines(_ storePath: String) throws -> [String] {
        try journalFiles(storePath).flatMap { try String(contentsOfFile: $0, encoding: .utf8).split(separator: "\n").map(String.init) }
    }

    /// Opens the store at `path`, runs `body`, closes it.
    static func reopened<T>(_ path: String, _ body: (JSONStorage) async throws -> T) async throws -> T {
        let storage = store(path)
        try await storage.open()
        let result = try await body(storage)
        try await storage.close()
        return result
    }
}
