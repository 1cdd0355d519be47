import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a test server is configured: environment settings on top of the embedded default.
struct ServerOptions: Sendable, CustomStringConvertible {
    var name: String
    var environment: [String: String] = [:]

    /// RS256, one-hour tokens.
    static let standard = ServerOptions(name: "standard")
    /// Access tokens that live three seconds.
    static let shortTokens = ServerOptions(name: "short-tokens", environment: ["JWT_ACCESS_TOKEN_EXPIRY": "3"])
    /// A server whose failures (rate limiting) count against no other test.
    static let rateLimited = ServerOptions(name: "rate-limited")

    static func signing(_ algorithm: String) -> ServerOptions {
        ServerOptions(name: algorithm, environment: ["JWT_SIGNING_ALGORITHM": algorithm])
    }

    var description: String { name }
}

/// The real `machineauth` binary on a free port in a temporary directory, as
/// `tests/python/conftest.py` runs it: `HOST=127.0.0.1`, `ISSUER=http://127.0.0.1:PORT`, the
/// embedded default configuration (`MACHINEAUTH_CONFIG=""`), JSON storage in the directory.
final class TestServer: Sendable {
    static let adminEmail = "admin@example.com"
    static let adminPassword = "swift-sdk-tests-password"

    /// `MACHINEAUTH_BINARY`, or the repository's debug build relative to this package.
    static var binary: String {
        if let configured = ProcessInfo.processInfo.environment["MACHINEAUTH_BINARY"], !configured.isEmpty {
            return configured.hasPrefix("/") ? configured : FileManager.default.currentDirectoryPath + "/" + configured
        }
        let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        return package.appendingPathComponent("../../.build/debug/machineauth").standardizedFileURL.path
    }

    let base: String
    let port: Int
    let directory: URL
    let logPath: URL
    private let process: Process

    private init(base: String, port: Int, directory: URL, logPath: URL, process: Process) {
        self.base = base
        self.port = port
        self.directory = directory
        self.logPath = logPath
        self.process = process
    }

    /// Starts a server and waits for its "listening on" log line.
    static func start(_ options: ServerOptions) async throws -> TestServer {
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw TestServerError("no machineauth binary at \(binary) (build the server, or set MACHINEAUTH_BINARY)")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("machineauth-swift-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let port = try freePort()
        let base = "http://127.0.0.1:\(port)"
        var environment = ProcessInfo.processInfo.environment.filter { name, _ in
            !name.hasPrefix("MACHINEAUTH_") && !name.hasPrefix("JWT_") && !["PORT", "DATABASE_URL", "ENV", "ISSUER", "HOST"].contains(name)
        }
        environment.merge([
            "PORT": String(port), "HOST": "127.0.0.1", "ADMIN_EMAIL": adminEmail, "ADMIN_PASSWORD": adminPassword,
            "ISSUER": base, "MACHINEAUTH_CONFIG": "",
        ]) { $1 }
        environment.merge(options.environment) { $1 }
        let logPath = directory.appendingPathComponent("server.log")
        _ = FileManager.default.createFile(atPath: logPath.path, contents: nil)
        let log = try FileHandle(forWritingTo: logPath)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.currentDirectoryURL = directory
        process.environment = environment
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        try log.close()
        let server = TestServer(base: base, port: port, directory: directory, logPath: logPath, process: process)
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            let text = server.log
            if text.range(of: #"MachineAuth \S+ listening on \S*:\#(port)"#, options: .regularExpression) != nil { return server }
            guard process.isRunning else { throw TestServerError("machineauth (\(options)) exited: \(text)") }
            try await Task.sleep(for: .milliseconds(50))
        }
        await server.stop()
        throw TestServerError("machineauth (\(options)) did not start: \(server.log)")
    }

    /// What the server logged so far.
    var log: String { (try? String(contentsOf: logPath, encoding: .utf8)) ?? "" }

    /// Ends the server with SIGTERM (SIGKILL after 15 s) and removes its directory.
    func stop() async {
        if process.isRunning {
            process.terminate()
            let deadline = ContinuousClock.now + .seconds(15)
            while process.isRunning, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(50)) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        try? FileManager.default.removeItem(at: directory)
    }

    /// A port the kernel just handed out (bound to port 0, then closed), so parallel runs never clash.
    static func freePort() throws -> Int {
        #if canImport(Glibc)
        let probe = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let probe = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard probe >= 0 else { throw TestServerError("socket() failed") }
        defer { close(probe) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(probe, generic, length) == 0 && getsockname(probe, generic, &length) == 0
            }
        }
        guard bound else { throw TestServerError("bind() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

struct TestServerError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
