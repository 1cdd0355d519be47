import ArgumentParser
import MachineAuthCore

/// `machineauth`: the MachineAuth server and its operator tools.
@main
struct MachineAuthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "machineauth",
        abstract: "OAuth 2.0 authorization server and auth gateway for AI agents and machines.",
        version: MachineAuthVersion.full,
        subcommands: [
            ServeCommand.self, ConfigCommand.self, KeysCommand.self, MigrateCommand.self, ApplyCommand.self, ExportCommand.self,
            HashSecretCommand.self, StagesCommand.self, RoutesCommand.self, TokenCommand.self, HealthCommand.self,
            BackupCommand.self, RestoreCommand.self, MigrateStoreCommand.self,
        ],
        defaultSubcommand: ServeCommand.self)
}
