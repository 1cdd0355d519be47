import Foundation
import MachineAuthCore
import Synchronization

/// Where the JSON driver keeps its audit records: ``AuditLogFile`` on disk, or
/// ``MemoryAuditTrail`` for a memory-only store.
protocol AuditTrail: Sendable {
    /// Appends `records` (in time order).
    func append(_ records: [AuditRecord]) throws
    /// Every record, oldest first.
    func readAll() throws -> [AuditRecord]
    /// One page of the records matching `query`, newest first (then by id), with how many match.
    func page(_ query: AuditQuery) throws -> Page<AuditRecord>
    /// Removes the records before `time`; returns how many.
    func removeRecords(before time: Date) throws -> Int
    /// Deletes files a crash left behind; called when the store opens.
    func removeStaleTemporaries()
}

extension AuditTrail {
    func removeStaleTemporaries() {}
}

/// The audit trail of a memory-only store.
final class MemoryAuditTrail: AuditTrail {
    private let records = Mutex<[AuditRecord]>([])

    func append(_ new: [AuditRecord]) throws {
        records.withLock { $0.append(contentsOf: new) }
    }

    func readAll() throws -> [AuditRecord] {
        records.withLock { $0 }
    }

    func page(_ query: AuditQuery) throws -> Page<AuditRecord> {
        let matching = records.withLock { $0.filter(query.matches) }
        return Page.slice(matching.sorted { ($0.time, $0.id) > ($1.time, $1.id) }, query.page)
    }

    func removeRecords(before time: Date) throws -> Int {
        records.withLock { records in
            let before = records.count
            records.removeAll { $0.time < time }
            return before - records.count
        }
    }
}
