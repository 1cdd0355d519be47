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
    /// Removes the records before `time`; returns how many.
    func removeRecords(before time: Date) throws -> Int
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

    func removeRecords(before time: Date) throws -> Int {
        records.withLock { records in
            let before = records.count
            records.removeAll { $0.time < time }
            return before - records.count
        }
    }
}
