import ArgumentParser
import Foundation
import Logging
import MachineAuthCore
import MachineAuthServer

/// `machineauth apply FILE [--dry-run]`: applies a provision file (or a pipeline file's
/// `provision:` section) to the storage of `--config`.
struct ApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply", abstract: "Apply a declarative provision file: create what is missing, update what differs.",
        discussion: "Prints the plan (create / update / unchanged / delete). Deletes only objects it created earlier, and only with prune: true.")

    @Argument(help: "The provision file (or a pipeline configuration with a provision: section).")
    var file: String

    @Flag(help: "Print the plan without changing anything.")
    var dryRun = false

    @OptionGroup var location: ConfigLocation
    @Option(help: serverHelp) var server: String?

    func run() async throws {
        let environment = try ConfigEnvironment.load(dotEnvFile: nil)
        let document: ProvisionDocument
        do {
            document = try PipelineLoader.loadProvision(try ConfigSource.file(file), environment: environment)
        } catch {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            throw ExitCode(1)
        }
        if let server {
            try await applyThrough(server, environment: environment)
            return
        }
        try await withRuntime(location) { runtime in
            let report = try await runtime.services.provisioner.apply(document, dryRun: dryRun)
            print(report.text)
            ProvisionOutput.printSecrets(report)
        }
    }
}

extension ApplyCommand {
    /// Sends the file, with the values of the variables it names, to `POST /api/provision`; the
    /// server parses it with those values only and reads no file of its own.
    func applyThrough(_ server: String, environment: ConfigEnvironment) async throws {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw CommandFailure("cannot read \(file)") }
        var variables: [String: String] = [:]
        for name in Self.variableNames(in: text) { if let value = environment[name] { variables[name] = value } }
        let body = JSONValue.object([
            "document": .string(text), "dry_run": .bool(dryRun), "variables": .object(variables.mapValues(JSONValue.string)),
        ])
        try await AdminSession.with(server) { session in
            let result = try await session.send("POST", "/api/provision", json: body).json?.objectValue ?? [:]
            print(result["plan"]?.stringValue ?? "")
            ProvisionOutput.printSecrets((result["secrets"]?.arrayValue ?? []).compactMap(\.objectValue).map { secret in
                let text = { (name: String) in secret[name]?.stringValue ?? "" }
                return ProvisionReport.GeneratedSecret(kind: text("kind"), name: text("name"), label: text("label"), value: text("value"))
            })
        }
    }

    /// The environment variables a provision file names: `${NAME…}` references and `…_env: NAME` values.
    static func variableNames(in text: String) -> Set<String> {
        var names = Set<String>()
        let identifier = "[A-Za-z_][A-Za-z0-9_]*"
        for pattern in ["\\$\\{(\(identifier))", "_env:\\s*[\"']?(\(identifier))"] {
            guard let expression = try? NSRegularExpression(pattern: pattern) else { continue }
            for match in expression.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                if let range = Range(match.range(at: 1), in: text) { names.insert(String(text[range])) }
            }
        }
        return names
    }
}

/// `machineauth export`: the current deployment as a provision file.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write organizations, teams, agents, API keys and webhooks (without secrets) as a provision file.")

    @Option(name: [.short, .long], help: "Write to this file instead of standard output.")
    var output: String?

    @OptionGroup var location: ConfigLocation
    @Option(help: serverHelp) var server: String?

    func run() async throws {
        if let server {
            try await AdminSession.with(server) { session in try write(try await session.send("GET", "/api/provision/export").text) }
            return
        }
        try await withStorage(location) { storage, _ in
            try write(try await ProvisionExporter(storage: storage).export())
        }
    }

    private func write(_ text: String) throws {
        if let output {
            try text.write(toFile: output, atomically: true, encoding: .utf8)
        } else {
            print(text, terminator: "")
        }
    }
}

/// `machineauth hash-secret`: the hash to write as `client_secret_hash` in a provision file.
struct HashSecretCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hash-secret", abstract: "Print the client_secret_hash of a secret read from standard input (or of a new one).")

    @Flag(help: "Generate a new 256-bit secret and print it with its hash.")
    var generate = false

    func run() throws {
        let secret: String
        if generate {
            secret = AgentService.generateSecret()
            print("client_secret: \(secret)")
        } else {
            guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                FileHandle.standardError.write(Data("give the secret on standard input, or use --generate\n".utf8))
                throw ExitCode(1)
            }
            guard line.count >= 32 else {
                FileHandle.standardError.write(Data("the secret must be at least 32 characters (use --generate for a strong one)\n".utf8))
                throw ExitCode(1)
            }
            secret = line
        }
        print("client_secret_hash: \(SecretHasher.unkeyedHash(secret))")
    }
}

/// Starts the runtime (storage, stages, key ring) without serving, runs `body`, and stops it.
func withRuntime(_ location: ConfigLocation, _ body: (MachineAuthRuntime) async throws -> Void) async throws {
    let pipeline = try loadPipeline { try location.source }
    var logger = Logger(label: "machineauth")
    logger.logLevel = .warning
    let runtime: MachineAuthRuntime
    do {
        runtime = try await MachineAuthRuntime.start(pipeline, logger: logger)
    } catch let error as StorageError where error.code == .inUse {
        FileHandle.standardError.write(Data((storeInUse(error) + "\n").utf8))
        throw ExitCode(1)
    } catch {
        FileHandle.standardError.write(Data("cannot open \(pipeline.source): \(error)\n".utf8))
        throw ExitCode(1)
    }
    do {
        try await body(runtime)
    } catch {
        await runtime.stop()
        FileHandle.standardError.write(Data("\(error)\n".utf8))
        throw ExitCode(1)
    }
    await runtime.stop()
}
