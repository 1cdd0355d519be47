import Foundation
import Logging
import MachineAuthCore
import Synchronization

/// Buffers audit records and writes them in batches; flushes on shutdown.
public final class AuditSink: Notifier {
    let store: any AuditStore
    let config: AuditSinkFactory.Config
    let logger: Logger
    let now: @Sendable () -> Date
    private let buffer = Mutex<[AuditRecord]>([])

    public init(store: any AuditStore, config: AuditSinkFactory.Config, logger: Logger, now: @escaping @Sendable () -> Date) {
        self.store = store
        self.config = config
        self.logger = logger
        self.now = now
    }

    public func notify(_ event: DomainEvent) async {
        let record = AuditRecord(
            id: event.id, time: event.time, action: event.type, actorType: event.actor.kind, actorID: event.actor.id,
            targetType: event.target?.kind, targetID: event.target?.id,
            agentID: event.target?.kind == "agent" ? event.target?.id : event.data["agent_id"]?.stringValue,
            organizationID: event.organizationID, outcome: event.outcome.rawValue, ipAddress: event.origin.ipAddress,
            userAgent: event.origin.userAgent, requestID: event.origin.requestID, details: event.data)
        let full = buffer.withLock { buffer -> Bool in
            buffer.append(record)
            return buffer.count >= 500
        }
        if full { await flush() }
    }

    public func run() async {
        var sincePurge = 3600
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(config.flushInterval.seconds))
            await flush()
            sincePurge += config.flushInterval.seconds
            if sincePurge >= 3600 {
                sincePurge = 0
                await purge()
            }
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
        guard !batch.isEmpty else { return }
        do {
            try await store.appendAuditRecords(batch)
        } catch {
            logger.error("writing audit records failed; will retry", metadata: ["error": "\(error)", "records": "\(batch.count)"])
            buffer.withLock { $0.insert(contentsOf: batch, at: 0) }
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
