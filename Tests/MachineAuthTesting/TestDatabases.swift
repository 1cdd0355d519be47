import Foundation
import JSONStorage
import Logging
public import MachineAuthCore
import PostgresNIO
import PostgresStorage

/// Stores for tests: a JSON file in a temporary directory, or a fresh database on the
/// PostgreSQL server named by `MACHINEAUTH_TEST_POSTGRES_URL` (started by `scripts/test`).
public enum TestDatabases {
    /// The admin URL of the test PostgreSQL server, if one is configured.
    public static var postgresURL: String? {
        ProcessInfo.processInfo.environment["MACHINEAUTH_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The drivers to run storage tests against: always `memory` (``MemoryStorage``) and `json`,
    /// plus `postgres` when a server is configured.
    public static var drivers: [String] {
        ["memory"] + configurableDrivers
    }

    /// The drivers a pipeline YAML can choose: `json`, plus `postgres` when a server is configured.
    public static var configurableDrivers: [String] {
        ["json"] + (postgresURL == nil ? [] : ["postgres"])
    }

    /// A URL for a new, empty database on the test server.
    public static func freshPostgresDatabase() async throws -> String {
        guard let admin = postgresURL else { throw ProcessFailure(message: "MACHINEAUTH_TEST_POSTGRES_URL is not set") }
        let url = try PostgresURL(admin)
        let name = "machineauth_test_\(UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: ""))"
        let client = PostgresClient(configuration: .init(
            host: url.host, port: url.port, username: url.username, password: url.password, database: url.database, tls: .disable))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            try await client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"))
            group.cancelAll()
        }
        return "postgres://\(url.username)\(url.password.map { ":\($0)" } ?? "")@\(url.host):\(url.port)/\(name)?sslmode=disable"
    }

    /// A store handle; `reopen` builds another instance on the same file or database (for
    /// `memory`, opens the same instance again: memory has nothing another instance could share).
    public struct Handle: Sendable {
        public let storage: any Storage
        public let reopen: @Sendable () async throws -> any Storage
        public let cleanup: @Sendable () -> Void
    }

    /// Opens a fresh store of `driver`.
    public static func open(_ driver: String) async throws -> Handle {
        var logger = Logger(label: "test")
        logger.logLevel = .error
        let quiet = logger
        switch driver {
        case "memory":
            let storage = try await MemoryStorage.open()
            return Handle(storage: storage, reopen: {
                try await storage.open()
                return storage
            }, cleanup: {})
        case "postgres":
            let url = try PostgresURL(try await freshPostgresDatabase())
            let make: @Sendable () async throws -> any Storage = {
                let storage = PostgresStorage(url: url, poolSize: 8, connectTimeout: 30, startupTimeout: 30, logger: quiet)
                try await storage.open()
                return storage
            }
            return Handle(storage: try await make(), reopen: make, cleanup: {})
        default:
            let directory = try TemporaryDirectory()
            let path = directory.file("store.json")
            let make: @Sendable () async throws -> any Storage = {
                let storage = JSONStorage(path: path, logger: quiet)
                try await storage.open()
                return storage
            }
            return Handle(storage: try await make(), reopen: make, cleanup: { directory.remove() })
        }
    }
}
