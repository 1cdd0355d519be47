import Foundation
import Logging
import MachineAuthCore
import Synchronization

extension JSONStorage {
    /// Applies `change` to the state, journals what it changed, and waits until that is on
    /// disk. A change that throws must do so before it modifies anything. A change that
    /// changes nothing still waits for what it may have read to be durable.
    @discardableResult
    func commit<T: Sendable>(_ change: (inout JSONStoreState) throws -> T) async throws -> T {
        if isMemoryOnly { return try commitInMemory(change) }
        guard let log = journal.withLock({ $0 }) else { throw StorageError.unavailable("the JSON store is not open") }
        let (result, ticket, compact) = try cell.core.withLock { core -> (T, Int, Bool) in
            let result: T
            do {
                result = try change(&core.state)
            } catch {
                core.state.discardChanges()
                throw error
            }
            guard let changes = core.state.takeChanges() else { return (result, log.lastTicket, false) }
            let line = try JournalRecord(sequence: core.state.sequence + 1, changes: changes).encoded(with: core.encoder)
            core.state.sequence += 1
            core.journalBytes += line.count
            let compact = !core.compacting && core.journalBytes >= max(compactionBytes, core.snapshotBytes)
            return (result, log.enqueue(line), compact)
        }
        if compact { startCompaction(log) }
        try await log.waitUntilDurable(ticket)
        return result
    }

    /// Applies `change` to the state of a memory-only store; nothing is journaled.
    private func commitInMemory<T>(_ change: (inout JSONStoreState) throws -> T) throws -> T {
        guard isOpenInMemory.withLock({ $0 }) else { throw StorageError.unavailable("the memory store is not open") }
        return try cell.core.withLock { core -> T in
            defer { core.state.discardChanges() }
            let result = try change(&core.state)
            core.state.sequence += 1
            return result
        }
    }

    /// What a compaction writes: the state as of one record, and the journal files it replaces.
    struct Capture: Sendable {
        var state: JSONStoreState
        /// Journal files numbered below this hold only records the snapshot includes.
        var firstKept: Int
    }

    /// Takes a copy of the state and ends the journal file there, in one step under the lock;
    /// `nil` when a compaction is running already.
    func beginCompaction(_ log: GroupCommitLog) -> Capture? {
        cell.core.withLock { core in
            guard !core.compacting else { return nil }
            core.compacting = true
            core.journalBytes = 0
            return Capture(state: core.state, firstKept: log.rotate())
        }
    }

    /// Compacts in the background; requests never wait for it.
    func startCompaction(_ log: GroupCommitLog) {
        guard let capture = beginCompaction(log) else { return }
        let task = Task.detached(priority: .utility) { [self] in
            do {
                try await Self.offload { [self] in try compact(capture) }
            } catch {
                logger.warning("compacting the JSON store failed; its journal keeps every change and compaction is tried again later: \(error)")
            }
        }
        compaction.withLock { $0 = task }
    }

    /// Writes the captured state as the store file (leaving out what expired), then removes the
    /// journal files it replaces. A crash at any point leaves a store file and journal files that
    /// replay to every acknowledged change.
    func compact(_ capture: Capture) throws {
        do {
            try finishCompaction(capture, try writeSnapshot(capture))
        } catch {
            cell.core.withLock { $0.compacting = false }
            throw error
        }
    }

    /// A compaction's first step: the store file replaced by the captured state.
    func writeSnapshot(_ capture: Capture) throws -> (policy: CompactionPolicy, dropped: CompactionPolicy.Dropped) {
        let policy = CompactionPolicy(now: Date(), expiryMargin: expiryMargin.withLock { $0 }, deliveryRetention: deliveryRetention)
        return (policy, try SnapshotFile(file: file).write(capture.state, policy: policy))
    }

    /// A compaction's second step: the journal files the store file now holds removed, and what
    /// it left out forgotten in memory.
    func finishCompaction(_ capture: Capture, _ written: (policy: CompactionPolicy, dropped: CompactionPolicy.Dropped)) throws {
        try journalFiles.remove(below: capture.firstKept)
        let size = AppendOnlyFile.size(of: path)
        cell.core.withLock { core in
            written.policy.forget(written.dropped, in: &core.state)
            core.snapshotSequence = capture.state.sequence
            core.snapshotBytes = size
            core.compacting = false
        }
        logger.debug("compacted the JSON store", metadata: ["sequence": "\(capture.state.sequence)", "bytes": "\(size)"])
        if size > Self.trimThreshold { HeapTrimmer.trim() }
    }

    /// After compactions this large, the copies they caused are given back to the system.
    static let trimThreshold = 4 << 20
}
