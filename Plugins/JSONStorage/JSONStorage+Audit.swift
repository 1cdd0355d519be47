import MachineAuthCore
import Foundation

extension JSONStorage {
    public func appendAuditRecords(_ records: [AuditRecord]) async throws {
        guard !records.isEmpty else { return }
        try await commit { $0.auditRecords.append(contentsOf: records) }
    }

    public func auditRecords(_ query: AuditQuery) async throws -> Page<AuditRecord> {
        let matching = read { state in state.auditRecords.filter(query.matches) }
        return Page.slice(matching.reversed(), query.page)
    }

    public func deleteAuditRecords(before time: Date) async throws -> Int {
        let count = read { state in state.auditRecords.lazy.filter { $0.time < time }.count }
        guard count > 0 else { return 0 }
        return try await commit { state -> Int in
            let before = state.auditRecords.count
            state.auditRecords.removeAll { $0.time < time }
            return before - state.auditRecords.count
        }
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
