import ArgumentParser
import Foundation
import Logging
import MachineAuthCore

/// `machineauth keys list|rotate`: the signing key ring, straight in storage.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Inspect or rotate the signing key ring.", subcommands: [List.self, Rotate.self])

    /// Prints the key ring.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List signing keys (active and still published).")
        @OptionGroup var location: ConfigLocation

        func run() async throws {
            try await withStorage(location) { storage, _ in
                for key in try await storage.signingKeys() {
                    let state = key.isActive ? "active" : "retired, published until \(key.publishUntil.map { "\($0)" } ?? "-")"
                    print("\(key.kid)\t\(key.algorithm.rawValue)\tcreated \(key.createdAt)\t\(state)")
                }
            }
        }
    }

    /// Rotates to a new key; the old one stays in the JWKS until its tokens expire.
    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rotate the signing key. Tokens signed by the old key keep verifying until they expire.",
            discussion: "With the JSON store, stop the server first (or use POST /api/keys/rotate). With PostgreSQL, running instances adopt the new key.")
        @OptionGroup var location: ConfigLocation

        func run() async throws {
            try await withStorage(location) { storage, settings in
                let ring = KeyRing(store: storage, settings: settings.tokens)
                try await ring.load()
                let kid = try await ring.rotate()
                print("rotated: new signing key \(kid) (\(settings.tokens.algorithm.rawValue))")
            }
        }
    }
}

/// Loads the configuration, opens its storage, runs `body`, and closes the storage.
func withStorage(_ location: ConfigLocation, _ body: (any Storage, CoreSettings) async throws -> Void) async throws {
    let pipeline = try loadPipeline { try location.source }
    var logger = Logger(label: "machineauth")
    logger.logLevel = .warning
    let storage = try await pipeline.storage.make(StorageContext(logger: logger, environment: pipeline.settings.server.environment.rawValue))
    do {
        try await storage.open()
    } catch {
        FileHandle.standardError.write(Data("cannot open storage \(storage.summary): \(error)\n".utf8))
        throw ExitCode(1)
    }
    do {
        try await body(storage, pipeline.settings)
    } catch {
        try? await storage.close()
        FileHandle.standardError.write(Data("\(error)\n".utf8))
        throw ExitCode(1)
    }
    try await storage.close()
}
