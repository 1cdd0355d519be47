import ArgumentParser
import Foundation
import MachineAuthCore
import MachineAuthStages

/// Which configuration to use: `--config FILE`, else `$MACHINEAUTH_CONFIG`, else the embedded default.
struct ConfigLocation: ParsableArguments {
    @Option(name: [.short, .long], help: "Pipeline configuration file (default: $MACHINEAUTH_CONFIG, else the embedded default).")
    var config: String?

    var source: ConfigSource {
        get throws {
            if let path = config ?? ProcessInfo.processInfo.environment["MACHINEAUTH_CONFIG"], !path.isEmpty {
                return try ConfigSource.file(path)
            }
            return ConfigSource.embedded(DefaultConfiguration.yaml)
        }
    }
}

/// Loads a pipeline with the standard stages, printing every configuration error and exiting 1 on failure.
func loadPipeline(_ source: () throws -> ConfigSource) throws -> LoadedPipeline {
    do {
        return try PipelineLoader(registry: .standard).load(source())
    } catch let error as ConfigError {
        FileHandle.standardError.write(Data((error.description + "\n").utf8))
        throw ExitCode(1)
    }
}
