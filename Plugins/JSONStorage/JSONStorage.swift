import Logging
import MachineAuthCore
import Synchronization
import Dispatch
import Foundation

/// The JSON storage driver: the whole store in memory, written to one file after every
/// change (atomically and durably, with group commit). Reads never touch the disk.
public final class JSONStorage: Storage {
    let path: String
    let file: DurableFile
    let logger: Logger
    let cell = JSONStateCell()
    let exclusive = SerialRunner()
    let auditLog: AuditLogFile
    let usageJournal: UsageJournal
    /// Serializes usage appends and journal folds.
    let usageWriter = SerialRunner()
    private let lock = Mutex<ProcessLock?>(nil)
    private let writer = Mutex<SnapshotWriter?>(nil)

    public init(path: String, logger: Logger) {
        self.path = path
        self.file = DurableFile(path: path)
        self.auditLog = AuditLogFile(storePath: path)
        self.usageJournal = UsageJournal(storePath: path)
        self.logger = logger
    }

    public var summary: String { "json:\(path)" }

    public func open() async throws {
        try FileManager.default.createDirectory(atPath: file.directory, withIntermediateDirectories: true)
        lock.withLock { $0?.release() }
        let processLock = try ProcessLock(path: path + ".lock")
        lock.withLock { $0 = processLock }
        file.removeStaleTemporaries()
        do {
            let loaded = try readState()
            cell.state.withLock { $0 = loaded }
        } catch {
            processLock.release()
            throw error
        }
        HeapTrimmer.trim()  // decoding a large store leaves its temporary buffers in the heap
        let snapshotWriter = SnapshotWriter(file: file, durableVersion: 0) { [cell] in
            cell.state.withLock { $0 }
        }
        writer.withLock { $0 = snapshotWriter }
        if !FileManager.default.fileExists(atPath: path) {
            try await commit { $0.version += 1 }
        }
    }

    /// The store as the file holds it, with the usage journal's later entries applied.
    private func readState() throws -> JSONStoreState {
        var state = try readSnapshot()
        for entry in try usageJournal.entries(after: state.usageSequence) { state.apply(entry) }
        return state
    }

    /// The store as the file holds it (empty when there is none yet). Decoding's temporaries
    /// are gone when this returns.
    private func readSnapshot() throws -> JSONStoreState {
        guard let data = try file.read() else { return JSONStoreState() }
        do {
            return JSONStoreState(document: try SnapshotWriter.decode(data))
        } catch {
            throw StorageError.corrupt(
                "\(path) is not a readable MachineAuth store (\(Self.describe(error))); it was left untouched — restore it from a backup or move it away")
        }
    }

    /// Folds the usage journal into the store, so a stopped store is one file again.
    public func close() async throws {
        if usageJournal.size > 0, writer.withLock({ $0 }) != nil {
            try await usageWriter.run { [self] in try await foldUsageJournal() }
        }
        let version = cell.state.withLock { $0.version }
        if let current = writer.withLock({ $0 }) { try await current.waitUntilDurable(version) }
        lock.withLock { held in
            held?.release()
            held = nil
        }
    }

    public func checkHealth() async throws -> AgentCounts {
        let now = Date()
        return cell.state.withLock { state in
            AgentCounts(total: state.agents.count, active: state.agents.filter { $0.status(at: now) == .active }.count)
        }
    }

    public func changes() -> AsyncStream<StorageChange> {
        AsyncStream { $0.finish() }
    }

    /// Applies `change` to the state and waits until it is on disk. A change that throws
    /// must do so before it modifies anything.
    @discardableResult
    func commit<T: Sendable>(_ change: (inout JSONStoreState) throws -> T) async throws -> T {
        let (result, version) = try cell.state.withLock { state -> (T, Int) in
            let result = try change(&state)
            state.version += 1
            return (result, state.version)
        }
        guard let current = writer.withLock({ $0 }) else { throw StorageError.unavailable("the JSON store is not open") }
        try await current.waitUntilDurable(version)
        return result
    }

    func read<T>(_ body: (borrowing JSONStoreState) throws -> T) rethrows -> T {
        try cell.state.withLock { try body($0) }
    }

    /// Runs blocking file work off the cooperative thread pool.
    static func offload<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
        }
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let context): return context.debugDescription
        case DecodingError.keyNotFound(let key, _): return "missing \"\(key.stringValue)\""
        case DecodingError.typeMismatch(_, let context): return "\(context.debugDescription) at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        default: return "\(error)"
        }
    }
}

/// Holds the state so the writer can read snapshots without retaining the storage.
final class JSONStateCell: Sendable {
    let state = Mutex(JSONStoreState())
}
