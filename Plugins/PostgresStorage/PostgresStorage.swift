import Foundation
public import Logging
public import MachineAuthCore
import NIOSSL
import PostgresNIO
import Synchronization

/// The PostgreSQL storage driver. Several instances may share one database: writes are
/// transactional, and changes other instances must follow (revocations, deactivations, key
/// rotations) are announced with NOTIFY and applied from LISTEN within milliseconds.
public final class PostgresStorage: Storage {
    static let channel = "machineauth_changes"

    let url: PostgresURL
    let client: PostgresClient
    let logger: Logger
    let startupTimeout: Int
    /// Longest wait for one storage operation, including getting a connection.
    let operationTimeout: Int
    let cache = RecordCache()
    private let tasks = Mutex<[Task<Void, Never>]>([])
    let feed = ChangeBroadcaster()

    public init(url: PostgresURL, poolSize: Int, connectTimeout: Int, startupTimeout: Int, logger: Logger) {
        self.url = url
        self.logger = logger
        self.startupTimeout = startupTimeout
        self.operationTimeout = max(2, connectTimeout)
        let tls: PostgresClient.Configuration.TLS
        switch url.sslmode {
        case .disable: tls = .disable
        case .prefer: tls = .prefer(.makeClientConfiguration())
        case .require: tls = .require(.makeClientConfiguration())
        }
        var configuration = PostgresClient.Configuration(
            host: url.host, port: url.port, username: url.username, password: url.password, database: url.database, tls: tls)
        configuration.options.maximumConnections = poolSize + 1
        configuration.options.connectTimeout = .seconds(connectTimeout)
        var driverLogger = logger
        driverLogger.logLevel = max(logger.logLevel, .warning)
        client = PostgresClient(configuration: configuration, backgroundLogger: driverLogger)
    }

    public var summary: String { url.redacted }

    public func open() async throws {
        let client = self.client
        tasks.withLock { $0.append(Task { await client.run() }) }
        try await Task.sleep(for: .milliseconds(20))
        let applied: [Int]
        do {
            try await waitForDatabase()
            applied = try await mapped { [self] in try await PostgresMigrations.apply(client, logger: logger) }
        } catch {
            try? await close()
            throw error
        }
        if !applied.isEmpty { logger.notice("applied database migrations \(applied.map(String.init).joined(separator: ", "))") }
        tasks.withLock { $0.append(Task { [weak self] in await self?.listen() }) }
    }

    /// Retries while the database is unreachable, up to the start-up timeout.
    private func waitForDatabase() async throws {
        let deadline = Date().addingTimeInterval(TimeInterval(startupTimeout))
        var attempt = 0
        while true {
            do {
                try await mapped { [self] in try await client.query("SELECT 1", logger: logger) }
                return
            } catch {
                attempt += 1
                guard Date() < deadline else {
                    throw StorageError.unavailable(
                        "cannot reach PostgreSQL at \(url.redacted) after \(startupTimeout)s: \(Self.describe(error)); check DATABASE_URL and that the server accepts connections")
                }
                logger.warning("waiting for PostgreSQL at \(url.redacted) (attempt \(attempt)): \(Self.describe(error))")
                try await Task.sleep(for: .milliseconds(min(2000, 250 * attempt)))
            }
        }
    }

    public func close() async throws {
        let running = tasks.withLock { tasks -> [Task<Void, Never>] in
            defer { tasks = [] }
            return tasks
        }
        for task in running.reversed() { task.cancel() }
        for task in running { await task.value }
        feed.finish()
    }

    public func checkHealth() async throws -> AgentCounts {
        try await mapped { [self] in
            let rows = try await client.query(
                "SELECT count(*)::bigint, (count(*) FILTER (WHERE is_active AND (expires_at IS NULL OR expires_at > now())))::bigint FROM agents",
                logger: logger)
            for try await (total, active) in rows.decode((Int, Int).self) { return AgentCounts(total: total, active: active) }
            return AgentCounts(total: 0, active: 0)
        }
    }

    public func changes() -> AsyncStream<StorageChange> {
        feed.subscribe()
    }

    /// Runs `body` within the operation timeout, turning database failures into
    /// ``StorageError``s that say what happened. (The pool would otherwise wait forever for a
    /// connection while the database is down.)
    @discardableResult
    func mapped<T: Sendable>(timeout: Int? = nil, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let timeout = timeout ?? operationTimeout
        do {
            return try await withThrowingTaskGroup(of: T?.self) { group in
                group.addTask { try await body() }
                group.addTask {
                    try await Task.sleep(for: .seconds(timeout))
                    return nil
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let value = first else {
                    throw StorageError.unavailable("the database did not answer within \(timeout)s")
                }
                return value
            }
        } catch {
            throw Self.storageError(error)
        }
    }

    static func storageError(_ error: any Error) -> any Error {
        switch error {
        case let error as StorageError:
            return error
        case let error as PostgresTransactionError:
            return storageError(error.closureError ?? error.beginError ?? error.commitError ?? error.rollbackError ?? error)
        case let error as PSQLError:
            switch error.serverInfo?[.sqlState] {
            case "23505": return StorageError.conflict("already exists: \(error.serverInfo?[.detail] ?? "duplicate key")")
            case "23503": return StorageError(.notFound, "a referenced record does not exist")
            default: return StorageError.unavailable("database error: \(describe(error))")
            }
        default:
            let origin = String(reflecting: type(of: error))
            let fromDriver = ["PostgresNIO.", "NIOCore.", "NIOPosix.", "NIOSSL.", "_ConnectionPoolModule."].contains { origin.hasPrefix($0) }
            return fromDriver ? StorageError.unavailable("database error: \(describe(error))") : error
        }
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] { return message }
            return "\(error.code)"
        }
        return "\(error)"
    }
}
