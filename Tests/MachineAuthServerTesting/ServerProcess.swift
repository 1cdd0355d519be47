public import Foundation
import MachineAuthTesting

/// The built `machineauth` binary, started as a child process on a free port.
///
/// ```swift
/// let server = try await ServerProcess.start(environment: ["DATABASE_URL": "json:/tmp/x.json"])
/// defer { server.terminate() }
/// ```
public final class ServerProcess: Sendable {
    public let process: Process
    public let port: Int
    private let output: OutputBuffer

    /// The binary: `$MACHINEAUTH_BINARY`, else `.build/debug/machineauth` of this checkout.
    public static var binary: String {
        if let path = ProcessInfo.processInfo.environment["MACHINEAUTH_BINARY"] { return path }
        return projectRoot + "/.build/debug/machineauth"
    }

    public static var projectRoot: String {
        var url = URL(fileURLWithPath: #filePath)
        while url.pathComponents.count > 1 {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url.path }
        }
        return FileManager.default.currentDirectoryPath
    }

    init(process: Process, port: Int, output: OutputBuffer) {
        self.process = process
        self.port = port
        self.output = output
    }

    public var baseURL: String { "http://127.0.0.1:\(port)" }
    public var log: String { output.text }

    /// Starts the server (port 0 unless `PORT` is given) and waits for its start-up line.
    public static func start(
        arguments: [String] = [], environment: [String: String] = [:], directory: String? = nil, timeout: Double = 90
    ) async throws -> ServerProcess {
        let output = try OutputBuffer()
        let process = try run(arguments: arguments, environment: ["PORT": "0", "HOST": "127.0.0.1"].merging(environment) { $1 },
                              directory: directory, output: output)
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let port = output.listeningPort { return ServerProcess(process: process, port: port, output: output) }
            if !process.isRunning { throw ProcessFailure(message: "server exited with \(process.terminationStatus):\n\(output.text)") }
            try await Task.sleep(for: .milliseconds(50))
        }
        process.terminate()
        throw ProcessFailure(message: "server did not start within \(timeout)s:\n\(output.text)")
    }

    /// Runs the binary to completion (CLI commands) and returns its exit status and output.
    public static func runToCompletion(_ arguments: [String], environment: [String: String] = [:], directory: String? = nil) throws -> (status: Int32, output: String) {
        let output = try OutputBuffer()
        let process = try run(arguments: arguments, environment: environment, directory: directory, output: output)
        process.waitUntilExit()
        return (process.terminationStatus, output.text)
    }

    /// Runs a command (a script) to completion with `posix_spawn` and `waitpid`; output goes
    /// through a file. (Foundation's `Process` hangs here once the command leaves a daemon —
    /// PostgreSQL — running that inherited its descriptors.)
    public static func shell(_ command: [String]) throws -> (status: Int32, output: String) {
        let outputPath = NSTemporaryDirectory() + "machineauth-shell-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        let quoted = command.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        let script = "exec \(quoted) > '\(outputPath)' 2>&1 < /dev/null"
        var pid: pid_t = 0
        let argv: [UnsafeMutablePointer<CChar>?] = ["/bin/sh", "-c", script].map { (text: String) in strdup(text) } + [nil]
        defer { argv.forEach { free($0) } }
        let spawned = posix_spawn(&pid, "/bin/sh", nil, nil, argv, environ)
        guard spawned == 0 else { throw ProcessFailure(message: "cannot run \(command): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let exitCode = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return (exitCode, (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "")
    }

    static func run(arguments: [String], environment: [String: String], directory: String?, output: OutputBuffer) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        var merged = ProcessInfo.processInfo.environment
        for key in ["PORT", "DATABASE_URL", "ADMIN_PASSWORD", "ENV", "MACHINEAUTH_CONFIG"] { merged[key] = nil }
        process.environment = merged.merging(environment) { $1 }
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let file = try FileHandle(forWritingTo: output.url)
        defer { try? file.close() }
        process.standardOutput = file
        process.standardError = file
        try process.run()
        return process
    }

    /// Sends a signal and waits for the process to exit; returns its status.
    @discardableResult
    public func stop(signal: Int32 = SIGTERM, timeout: Double = 15) async throws -> Int32 {
        kill(process.processIdentifier, signal)
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        guard !process.isRunning else {
            kill(process.processIdentifier, SIGKILL)
            throw ProcessFailure(message: "server did not stop within \(timeout)s")
        }
        return process.terminationStatus
    }

    public func terminate() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}

/// A child process's output (stdout and stderr), in a file of its own.
///
/// A file, not a pipe: once the child has exited, everything it wrote is in the file. A pipe's
/// reader may still be behind, and its end of file can wait for any other child that inherited it.
final class OutputBuffer: Sendable {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("machineauth-output-\(UUID().uuidString)")
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw ProcessFailure(message: "cannot create \(url.path)")
        }
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    var text: String { (try? Data(contentsOf: url)).map { String(decoding: $0, as: UTF8.self) } ?? "" }

    /// The port from the start-up line (`listening on HOST:PORT`).
    var listeningPort: Int? {
        guard let line = text.split(separator: "\n").first(where: { $0.contains("MachineAuth ") && $0.contains(" listening on ") }),
            let range = line.range(of: "listening on ")
        else { return nil }
        let text = line
        let rest = text[range.upperBound...]
        guard let colon = rest.lastIndex(of: ":", before: rest.firstIndex(of: " ") ?? rest.endIndex) else { return nil }
        return Int(rest[rest.index(after: colon)...].prefix { $0.isNumber })
    }
}

extension Substring {
    func lastIndex(of character: Character, before end: Index) -> Index? {
        self[startIndex..<end].lastIndex(of: character)
    }
}
