import ArgumentParser
import Foundation
import Logging
import MachineAuthCore
import MachineAuthServer

/// `machineauth serve`: runs the server until SIGINT or SIGTERM.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the server (the default command).")

    @OptionGroup var location: ConfigLocation

    func run() async throws {
        LoggingSetup.bootstrap()
        let pipeline = try loadPipeline { try location.source }
        let logger = Logger(label: "machineauth")
        let runtime: MachineAuthRuntime
        do {
            runtime = try await MachineAuthRuntime.start(pipeline, logger: logger)
            do {
                try await runtime.applyProvision()
            } catch {
                await runtime.stop()
                throw error
            }
        } catch {
            logger.critical("cannot start: \(error)")
            throw ExitCode(1)
        }
        try await MachineAuthServer.run(runtime: runtime)
    }
}

/// Logs go to standard error; `LOG_LEVEL` (trace … critical) sets the level, default `info`;
/// `LOG_FORMAT=json` writes one JSON object per line, `text` (the default) readable lines.
enum LoggingSetup {
    static func bootstrap() {
        let environment = ProcessInfo.processInfo.environment
        let levelName = environment["LOG_LEVEL"].map { $0.lowercased() } ?? ""
        guard let level = levelName.isEmpty ? .info : Logger.Level(rawValue: levelName) else {
            refuse("LOG_LEVEL=\(levelName) is not a log level (valid: \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        switch environment["LOG_FORMAT"]?.lowercased() ?? "text" {
        case "json":
            LoggingSystem.bootstrap { label in LineLogHandler(label: label, level: level, format: .json) }
        case "text", "":
            LoggingSystem.bootstrap { label in LineLogHandler(label: label, level: level) }
        case let other:
            refuse("LOG_FORMAT=\(other) is not a log format (valid: text, json)")
        }
    }

    private static func refuse(_ message: String) -> Never {
        FileHandle.standardError.write(Data((message + "\n").utf8))
        Foundation.exit(1)
    }
}
