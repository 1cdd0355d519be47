public import Foundation
public import MachineAuthCore

extension JSONStorage {
    public func appendAuditRecords(_ records: [AuditRecord]) async throws {
        guard !records.isEmpty else { return }
        let log = auditLog
        try await Self.offload { try log.append(records) }
    }

    public func auditRecords(_ query: AuditQuery) async throws -> Page<AuditRecord> {
        let log = auditLog
        return try await Self.offload { try log.page(query) }
    }

    public func deleteAuditRecords(before time: Date) async throws -> Int {
        let log = auditLog
        return try await Self.offload { try log.removeRecords(before: time) }
    }

    public func setting(_ name: String) async throws -> String? {
        read { $0.settings[name] }
    }

    public func insertSettingIfAbsent(_ name: String, value: String) async throws -> String {
        try await commit { state -> String in
            if let existing = state.settings[name] { return existing }
            state.settings[name] = value
            return value
        }
    }
}
