public import Logging
public import MachineAuthCore
import Synchronization
import Dispatch
public import Foundation

/// The JSON storage driver: the whole store in memory, every change appended to a fsynced
/// journal beside the store file (group commit: one fsync for every writer waiting at that
/// moment), and the store file rewritten in the background from a snapshot of memory when the
/// journal outgrows it, and on close. Reads never touch the disk; the cost of a write does not
/// grow with the size of the store.
///
/// ``memoryOnly(logger:)`` makes the same store without any file (for tests, and for trying
/// things out): its changes last as long as the instance.
public final class JSONStorage: Storage {
    let path: String
    let file: DurableFile
    let journalFiles: JournalFiles
    let logger: Logger
    let cell = JSONStateCell()
    let exclusive = SerialRunner()
    let auditLog: any AuditTrail
    /// No files: the journal, the store file and the audit segments are all skipped.
    let isMemoryOnly: Bool
    /// Whether a memory-only store is open (a file store is open while it has a journal).
    let isOpenInMemory = Mutex(false)
    /// Finished webhook deliveries older than this are dropped at compaction.
    let deliveryRetention: TimeInterval
    /// The journal is compacted once it is larger than this and than the store file.
    let compactionBytes: Int
    let journal = Mutex<GroupCommitLog?>(nil)
    let compaction = Mutex<Task<Void, Never>?>(nil)
    /// How long past expiry tokens are kept; the server's expiry purge says (its clock skew).
    let expiryMargin = Mutex<TimeInterval>(3600)
    /// What ``changes()`` streams: this store's own trusted-issuer changes (there are no other instances).
    let feed = ChangeBroadcaster()
    private let lock = Mutex<ProcessLock?>(nil)

    public convenience init(path: String, logger: Logger, deliveryRetention: TimeInterval = 30 * 86400, compactionBytes: Int = 8 << 20) {
        self.init(path: path, memoryOnly: false, logger: logger, deliveryRetention: deliveryRetention, compactionBytes: compactionBytes)
    }

    private init(path: String, memoryOnly: Bool, logger: Logger, deliveryRetention: TimeInterval, compactionBytes: Int) {
        self.path = path
        self.file = DurableFile(path: path)
        self.journalFiles = JournalFiles(storePath: path)
        self.auditLog = memoryOnly ? MemoryAuditTrail() : AuditLogFile(storePath: path)
        self.isMemoryOnly = memoryOnly
        self.logger = logger
        self.deliveryRetention = deliveryRetention
        self.compactionBytes = compactionBytes
    }

    /// A store that opens no file and keeps everything in memory: the same tables, rules and
    /// answers as the file store, without durability. Closing and opening it again keeps what it
    /// holds; a new instance starts empty.
    public static func memoryOnly(logger: Logger) -> JSONStorage {
        JSONStorage(path: "", memoryOnly: true, logger: logger, deliveryRetention: 30 * 86400, compactionBytes: .max)
    }

    public var summary: String { isMemoryOnly ? "memory" : "json:\(path)" }

    public func open() async throws {
        if isMemoryOnly {
            isOpenInMemory.withLock { $0 = true }
            return
        }
        try FileManager.default.createDirectory(atPath: file.directory, withIntermediateDirectories: true)
        lock.withLock { $0?.release() }
        let processLock = try ProcessLock(path: path + ".lock")
        lock.withLock { $0 = processLock }
        file.removeStaleTemporaries()
        auditLog.removeStaleTemporaries()
        HeapTrimmer.mapLargeAllocations()
        let loaded: JSONStoreState
        do {
            loaded = try await Self.offload { [self] in try readState() }
        } catch {
            processLock.release()
            throw error
        }
        HeapTrimmer.trim()  // loading a large store leaves its temporary buffers in the heap
        let files = journalFiles.existing()
        cell.core.withLock { core in
            core = JSONStateCell.Core(state: loaded)
            core.snapshotSequence = files.isEmpty ? loaded.sequence : -1
            core.snapshotBytes = AppendOnlyFile.size(of: path)
            core.journalBytes = journalFiles.size()
        }
        let next = (files.last?.generation ?? 0) + 1
        journal.withLock { [journalFiles] in $0 = GroupCommitLog(generation: next, directory: file.directory, path: journalFiles.path) }
    }

    /// The store file's state with the journal's later records applied.
    private func readState() throws -> JSONStoreState {
        var state: JSONStoreState
        do {
            state = try SnapshotReader.read(path) ?? JSONStoreState()
        } catch {
            throw StorageError.corrupt(
                "\(path) is not a readable MachineAuth store (\(Self.describe(error))); it was left untouched — restore it from a backup or move it away")
        }
        try JournalReplay(storePath: path).apply(journalFiles.existing(), to: &state, logger: logger)
        return state
    }

    /// Compacts the journal into the store file, so a stopped store is one file again. If that
    /// fails the journal stays, and the next start replays it.
    public func close() async throws {
        if isMemoryOnly {
            isOpenInMemory.withLock { $0 = false }
            return
        }
        defer {
            feed.finish()
            journal.withLock { $0 = nil }
            lock.withLock { held in
                held?.release()
                held = nil
            }
        }
        await compaction.withLock { $0 }?.value
        guard let log = journal.withLock({ $0 }) else { return }
        var failure: (any Error)?
        let pending = cell.core.withLock { $0.state.sequence != $0.snapshotSequence } || !journalFiles.existing().isEmpty
        if pending, let capture = beginCompaction(log) {
            do {
                try await Self.offload { [self] in try compact(capture) }
            } catch {
                failure = error
            }
        }
        try await log.close()
        if let failure { throw failure }
    }

    public func checkHealth() async throws -> AgentCounts {
        let now = Date()
        return read { state in
            AgentCounts(total: state.agents.count, active: state.agents.filter { $0.status(at: now) == .active }.count)
        }
    }

    /// A JSON store has no other instances; it announces its own trusted-issuer changes, as
    /// ``TrustedIssuerStore`` asks of every driver. A file store's streams end when it closes.
    public func changes() -> AsyncStream<StorageChange> {
        feed.subscribe()
    }

    func read<T>(_ body: (borrowing JSONStoreState) throws -> T) rethrows -> T {
        try cell.core.withLock { try body($0.state) }
    }

    /// Runs blocking file work off the cooperative thread pool.
    static func offload<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
        }
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let context): return context.debugDescription
        case DecodingError.keyNotFound(let key, _): return "missing \"\(key.stringValue)\""
        case DecodingError.typeMismatch(_, let context): return "\(context.debugDescription) at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        default: return "\(error)"
        }
    }
}
