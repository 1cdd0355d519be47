public import Foundation
public import Logging
public import MachineAuthCore
import Synchronization

/// Writes an audit record for every event. By default (`flush_interval: 0`) each record is in
/// the store before `notify` returns — so a read of the audit trail sees every operation that
/// finished before it — with the records of concurrent requests written together (group
/// commit: one append for all of them). With a positive `flush_interval`, records are buffered
/// and written from the background loop every interval, or as soon as ``batchSize`` are
/// waiting, and requests never wait for the write. Flushes on shutdown.
public final class AuditSink: Notifier {
    /// Records that wake the writer before the interval ends.
    public static let batchSize = 500
    /// Records kept in memory while the store refuses writes; beyond this the oldest are dropped (and counted in the log).
    static let maxBuffered = 100_000

    let store: any AuditStore
    let config: AuditSinkFactory.Config
    let logger: Logger
    let now: @Sendable () -> Date
    private let buffer = Mutex<[AuditRecord]>([])
    private let wake = WakeSignal()
    /// Records waiting for the write in progress, with the requests waiting for them.
    private let pending = Mutex<(records: [AuditRecord], waiters: [CheckedContinuation<Void, Never>], writing: Bool)>(([], [], false))

    public init(store: any AuditStore, config: AuditSinkFactory.Config, logger: Logger, now: @escaping @Sendable () -> Date) {
        self.store = store
        self.config = config
        self.logger = logger
        self.now = now
    }

    public func notify(_ events: [DomainEvent]) async {
        let records = events.map(Self.record)
        guard !records.isEmpty else { return }
        guard config.flushInterval.milliseconds > 0 else {
            await writeThrough(records)
            return
        }
        let full = buffer.withLock { buffer -> Bool in
            let before = buffer.count
            buffer.append(contentsOf: records)
            return before < Self.batchSize && buffer.count >= Self.batchSize
        }
        if full { wake.signal() }
    }

    static func record(_ event: DomainEvent) -> AuditRecord {
        AuditRecord(
            id: event.id, time: event.time, action: event.type, actorType: event.actor.kind, actorID: event.actor.id,
            targetType: event.target?.kind, targetID: event.target?.id,
            agentID: event.target?.kind == "agent" ? event.target?.id : event.data["agent_id"]?.stringValue,
            organizationID: event.organizationID, outcome: event.outcome.rawValue, ipAddress: event.origin.ipAddress,
            userAgent: event.origin.userAgent, requestID: event.origin.requestID, details: event.data)
    }

    /// Returns once `records` are written, together with every record that arrived while the
    /// previous write was in progress. A failed write leaves the records to the background loop.
    private func writeThrough(_ records: [AuditRecord]) async {
        await withCheckedContinuation { continuation in
            let start = pending.withLock { pending -> Bool in
                pending.records.append(contentsOf: records)
                pending.waiters.append(continuation)
                defer { pending.writing = true }
                return !pending.writing
            }
            if start { Task { await self.writePending() } }
        }
    }

    private func writePending() async {
        while true {
            let (batch, waiters) = pending.withLock { pending in
                defer { (pending.records, pending.waiters) = ([], []) }
                if pending.records.isEmpty { pending.writing = false }
                return (pending.records, pending.waiters)
            }
            guard !batch.isEmpty else { return }
            await write(batch)
            for waiter in waiters { waiter.resume() }
        }
    }

    public func run() async {
        let interval = Duration.milliseconds(max(1000, config.flushInterval.milliseconds))
        var nextPurge = ContinuousClock.now
        while !Task.isCancelled {
            if ContinuousClock.now >= nextPurge {
                nextPurge = .now + .seconds(3600)
                await purge()
            }
            await wake.wait(timeout: interval)
            await flush()
        }
    }

    public func shutdown() async {
        await flush()
    }

    /// Writes buffered records; on failure they are kept for the next attempt.
    public func flush() async {
        let batch = buffer.withLock { buffer -> [AuditRecord] in
            defer { buffer = [] }
            return buffer
        }
        await write(batch)
    }

    /// Appends `batch` to the store; on failure it goes back to the buffer, for the next flush.
    private func write(_ batch: [AuditRecord]) async {
        guard !batch.isEmpty else { return }
        do {
            try await store.appendAuditRecords(batch)
        } catch {
            let dropped = buffer.withLock { buffer -> Int in
                buffer.insert(contentsOf: batch, at: 0)
                let excess = max(0, buffer.count - Self.maxBuffered)
                buffer.removeFirst(excess)
                return excess
            }
            logger.error("writing audit records failed; will retry", metadata: ["error": "\(error)", "records": "\(batch.count)"])
            if dropped > 0 { logger.critical("audit buffer full while storage is failing: dropped the \(dropped) oldest records") }
        }
    }

    /// Deletes records past the retention period.
    public func purge() async {
        let cutoff = now().addingTimeInterval(-TimeInterval(config.retention.seconds))
        do {
            let removed = try await store.deleteAuditRecords(before: cutoff)
            if removed > 0 { logger.info("audit retention removed \(removed) records") }
        } catch {
            logger.error("audit retention failed", metadata: ["error": "\(error)"])
        }
    }
}
