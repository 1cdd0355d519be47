import ArgumentParser
import Foundation
import MachineAuthCore

/// `machineauth migrate`: opens the configured storage, which applies pending schema
/// migrations (under an advisory lock with PostgreSQL), then exits.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Apply pending storage migrations and exit (the server also applies them at start-up).")

    @OptionGroup var location: ConfigLocation

    func run() async throws {
        try await withStorage(location) { storage, _ in
            print("storage \(storage.summary) is up to date")
        }
    }
}
