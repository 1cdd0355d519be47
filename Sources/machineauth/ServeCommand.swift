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

/// Logs go to standard error; `LOG_LEVEL` (trace … critical) sets the level, default `info`.
enum LoggingSetup {
    static func bootstrap() {
        let level = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0.lowercased()) } ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}
