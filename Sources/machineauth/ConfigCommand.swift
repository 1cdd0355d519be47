import ArgumentParser
import Foundation
import MachineAuthCore
import MachineAuthStages

/// `machineauth config check|show`.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Validate or display a pipeline configuration.",
        subcommands: [Check.self, Show.self])

    /// Validates a configuration and prints every error at once.
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check a configuration; print every error and exit non-zero if any.")

        @Argument(help: "The configuration file (default: the embedded default).")
        var file: String?

        func run() throws {
            let pipeline = try loadPipeline { try file.map(ConfigSource.file) ?? .embedded(DefaultConfiguration.yaml) }
            print("\(pipeline.source): OK (storage=\(pipeline.storage.type) \(pipeline.stageSummary))")
        }
    }

    /// Prints the effective configuration after interpolation, secrets masked.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the effective configuration (after ${VAR} interpolation, secrets masked).")

        @Argument(help: "The configuration file (default: the embedded default).")
        var file: String?

        func run() throws {
            let pipeline = try loadPipeline { try file.map(ConfigSource.file) ?? .embedded(DefaultConfiguration.yaml) }
            print(ConfigRenderer.render(pipeline.effectiveDocument), terminator: "")
        }
    }
}

/// `machineauth stages`: lists the compiled-in stages by kind.
struct StagesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stages", abstract: "List the stage types compiled into this binary.")

    func run() throws {
        for row in StageRegistry.standard.catalog {
            print("\(row.kind.rawValue.padding(toLength: 14, withPad: " ", startingAt: 0)) \(row.type.padding(toLength: 16, withPad: " ", startingAt: 0)) \(row.summary)")
        }
    }
}
