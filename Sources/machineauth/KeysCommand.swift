import ArgumentParser
import Foundation
import Logging
import MachineAuthCore
import MachineAuthServer

/// `machineauth keys list|rotate`: the signing key ring, straight in storage.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Inspect or rotate the signing key ring.", subcommands: [List.self, Rotate.self, Speed.self])

    /// Prints the key ring.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List signing keys (active and still published).")
        @OptionGroup var location: ConfigLocation
        @Option(help: serverHelp) var server: String?

        func run() async throws {
            if let server {
                try await AdminSession.with(server) { session in
                    let keys = try await session.send("GET", "/api/keys").json?.objectValue?["keys"]?.arrayValue ?? []
                    for key in keys.compactMap(\.objectValue) {
                        let text = { (name: String) in key[name]?.stringValue ?? "-" }
                        let state = text("status") == "active" ? "active" : "retired, published until \(text("published_until"))"
                        print("\(text("kid"))\t\(text("algorithm"))\tcreated \(text("created_at"))\t\(state)")
                    }
                }
                return
            }
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
            discussion: "With the JSON store, stop the server first or use --server. With PostgreSQL, running instances adopt the new key.")
        @OptionGroup var location: ConfigLocation
        @Option(help: serverHelp) var server: String?

        func run() async throws {
            if let server {
                try await AdminSession.with(server) { session in
                    let ring = try await session.send("POST", "/api/keys/rotate").json?.objectValue
                    let kid = ring?["active_kid"]?.stringValue ?? "?"
                    let algorithm = ring?["keys"]?.arrayValue?.compactMap(\.objectValue).first { $0["kid"]?.stringValue == kid }?["algorithm"]?.stringValue ?? "?"
                    print("rotated: new signing key \(kid) (\(algorithm))")
                }
                return
            }
            try await withRuntime(location) { runtime in
                let kid = try await runtime.services.signingKeys.rotate(by: Attribution(actor: .system))
                print("rotated: new signing key \(kid) (\(runtime.settings.tokens.algorithm.rawValue))")
            }
        }
    }
}

extension KeysCommand {
    /// Measures how many access tokens per second this machine can sign with MachineAuth's own
    /// cryptography, on every core — the ceiling for token issuance.
    struct Speed: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Measure access-token signing speed per algorithm on all cores.")

        @Option(help: "Seconds per algorithm.")
        var seconds = 3.0

        @Option(help: "Algorithms to measure (RS256, ES256, EdDSA).")
        var algorithm: [String] = SigningAlgorithm.allCases.map(\.rawValue)

        func run() async throws {
            let cores = ProcessInfo.processInfo.activeProcessorCount
            let claims: [String: JSONValue] = [
                "iss": "https://auth.example.com", "sub": "cid_0123456789abcdef01234567", "aud": "https://api.example.com", "exp": 1_900_000_000,
                "iat": 1_800_000_000, "jti": "1800000000000-0123456789abcdef01234567", "scope": "read write",
            ]
            print("RS256 signing with \(SystemLibcrypto.rsaBackend)")
            for name in algorithm {
                guard let chosen = SigningAlgorithm(rawValue: name) else { throw ValidationError("unknown algorithm \(name)") }
                let key = try SigningKey.generate(chosen, kid: "speed")
                let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
                let total = await withTaskGroup(of: Int.self) { group in
                    for _ in 0..<cores {
                        group.addTask {
                            var count = 0
                            while ContinuousClock.now < deadline {
                                _ = try? JWS.sign(header: ["typ": "at+jwt"], claims: claims, with: key)
                                count += 1
                            }
                            return count
                        }
                    }
                    return await group.reduce(0, +)
                }
                print("\(name)\t\(Int(Double(total) / seconds)) tokens/s on \(cores) cores")
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
    try await openForCommand(storage)
    do {
        try await body(storage, pipeline.settings)
    } catch {
        try? await storage.close()
        FileHandle.standardError.write(Data("\(error)\n".utf8))
        throw ExitCode(1)
    }
    try await storage.close()
}

/// Opens `storage` for a command; a store a running server holds is one line saying what to do.
func openForCommand(_ storage: any Storage) async throws {
    do {
        try await storage.open()
    } catch let error as StorageError where error.code == .inUse {
        FileHandle.standardError.write(Data((storeInUse(error) + "\n").utf8))
        throw ExitCode(1)
    } catch {
        FileHandle.standardError.write(Data("cannot open storage \(storage.summary): \(error)\n".utf8))
        throw ExitCode(1)
    }
}

/// What a command says when a running server holds the JSON store it needs.
func storeInUse(_ error: StorageError) -> String {
    let store = error.message.components(separatedBy: " is in use").first ?? "the store"
    return "\(store) is in use by a running MachineAuth server: stop the server first (for example systemctl stop machineauth), or give keys, export and apply --server URL to work through its admin API"
}

/// The `--server` option of the admin commands.
let serverHelp = ArgumentHelp(
    "Work through the admin API of the server at this URL instead of opening the store (credentials: MACHINEAUTH_ADMIN_TOKEN, or MACHINEAUTH_ADMIN_EMAIL and MACHINEAUTH_ADMIN_PASSWORD, or a prompt).",
    valueName: "url")
