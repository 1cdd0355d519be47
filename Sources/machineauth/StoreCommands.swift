import ArgumentParser
import Foundation
import Logging
import MachineAuthCore
import MachineAuthStages

/// `machineauth backup FILE`: a consistent snapshot of the store in one JSON file (mode 0600).
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup", abstract: "Write a consistent snapshot of the store to a file (both drivers).",
        discussion: """
            The file holds every object as stored (secret hashes, sealed webhook secrets, signing keys): keep it as safe as \
            the store. A JSON store a running server holds cannot be opened; back up PostgreSQL while it serves.
            """)

    @Argument(help: "The snapshot file to write (replaced atomically).")
    var file: String

    @Option(help: "The store to read (json:PATH or postgres://…); default: the configuration's storage.")
    var store: String?

    @OptionGroup var location: ConfigLocation

    func run() async throws {
        try await withStore(store, location) { storage in
            let snapshot = try await storage.snapshot().live(at: Date())
            let bytes = try SnapshotFile.write(snapshot, to: file)
            print("backed up \(storage.summary) to \(file) (\(bytes) bytes): \(snapshot.counts)")
        }
    }
}

/// `machineauth restore FILE`: writes a snapshot into an empty store (or adds to one with `--merge`).
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore", abstract: "Restore a snapshot file into a store, in one transaction.",
        discussion: "Refuses a store that holds objects unless --merge, which adds what the store lacks and keeps what it has.")

    @Argument(help: "The snapshot file `machineauth backup` wrote.")
    var file: String

    @Option(help: "The store to write (json:PATH or postgres://…); default: the configuration's storage.")
    var store: String?

    @OptionGroup var transfer: TransferOptions
    @OptionGroup var location: ConfigLocation

    func run() async throws {
        let settings = try loadPipeline { try location.source }.settings
        let snapshot: StoreSnapshot
        do {
            snapshot = try SnapshotFile.read(file)
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(1)
        }
        try await withStore(store, location) { storage in
            let report = try await transfer.restore(snapshot, into: storage, settings: settings)
            print(TransferOutput.text("restored \(file) into \(storage.summary)", report, merge: transfer.merge))
        }
    }
}

/// `machineauth migrate-store --from json:PATH --to postgres://…`: copies every object between drivers.
struct MigrateStoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate-store", abstract: "Copy every object from one store to another (for example JSON to PostgreSQL).",
        discussion: """
            Reads a consistent snapshot of --from and writes it into --to in one transaction, then verifies the counts. \
            Existing client secrets, refresh tokens and revocations keep working against the new store. Stop the server \
            that uses --from first (a JSON store is held by its server).
            """)

    @Option(help: "The store to copy from (json:PATH or postgres://…).")
    var from: String

    @Option(help: "The store to copy into (json:PATH or postgres://…); must hold no objects unless --merge.")
    var to: String

    @OptionGroup var transfer: TransferOptions
    @OptionGroup var location: ConfigLocation

    func run() async throws {
        let settings = try loadPipeline { try location.source }.settings
        guard from != to else { throw ValidationError("--from and --to name the same store") }
        var snapshot: StoreSnapshot?
        var source = ""
        try await withStore(from, location) { storage in
            snapshot = try await storage.snapshot()
            source = storage.summary
        }
        guard let snapshot else { return }
        try await withStore(to, location) { storage in
            let report = try await transfer.restore(snapshot, into: storage, settings: settings)
            print(TransferOutput.text("copied \(source) into \(storage.summary)", report, merge: transfer.merge))
        }
    }
}

/// How `restore` and `migrate-store` write into their target.
struct TransferOptions: ParsableArguments {
    @Flag(help: "Add to a target that holds objects: objects with an existing id are kept as they are.")
    var merge = false

    @Flag(help: "Replace the secret-hashing key a server generated in the target (stop its servers first).")
    var replaceHashKey = false

    /// Restores `snapshot` into `target`; merged-in signing keys stay published for the longest
    /// an access token they signed lives.
    func restore(_ snapshot: StoreSnapshot, into target: any Storage, settings: CoreSettings) async throws -> StoreTransfer.Report {
        try await StoreTransfer(target: target).restore(
            snapshot, merge: merge, replaceHashKey: replaceHashKey,
            publishRetiredUntil: Date().addingTimeInterval(TimeInterval(settings.tokens.accessTokenTTL.seconds)))
    }
}

/// Opens the store `url` names (with the driver's defaults), or the configuration's storage, for `body`.
func withStore(_ url: String?, _ location: ConfigLocation, _ body: (any Storage) async throws -> Void) async throws {
    guard let url else {
        try await withStorage(location) { storage, _ in try await body(storage) }
        return
    }
    let pipeline: LoadedPipeline
    do {
        pipeline = try PipelineLoader(registry: .standard).load(
            ConfigSource(name: "--store", text: "storage:\n  url: \"${MACHINEAUTH_STORE_URL}\"\n", dotEnvPath: nil),
            environment: ConfigEnvironment(["MACHINEAUTH_STORE_URL": url]))
    } catch {
        FileHandle.standardError.write(Data("\(ConfigRenderer.maskURLPassword(url)): \(error.description)\n".utf8))
        throw ExitCode(1)
    }
    var logger = Logger(label: "machineauth")
    logger.logLevel = .warning
    let storage = try await pipeline.storage.make(StorageContext(logger: logger, environment: pipeline.settings.server.environment.rawValue))
    try await openForCommand(storage)
    do {
        try await body(storage)
    } catch {
        try? await storage.close()
        FileHandle.standardError.write(Data("\(error)\n".utf8))
        throw ExitCode(1)
    }
    try await storage.close()
}

/// The lines `restore` and `migrate-store` print.
enum TransferOutput {
    static func text(_ headline: String, _ report: StoreTransfer.Report, merge: Bool) -> String {
        var lines = ["\(headline)", "  written:  \(report.written)"]
        if merge { lines.append("  skipped (already there): \(report.skipped)") }
        lines.append("  verified: \(report.after)")
        return lines.joined(separator: "\n")
    }
}
