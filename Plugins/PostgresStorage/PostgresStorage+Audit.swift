import Foundation
import Logging
import MachineAuthCore
import PostgresNIO

extension PostgresStorage {
    public func appendAuditRecords(_ records: [AuditRecord]) async throws {
        guard !records.isEmpty else { return }
        try await mapped { [self] in
            try await client.withTransaction(logger: logger) { connection in
                for record in records {
                    try await connection.query(
                        """
                        INSERT INTO audit_records (id, time, action, actor_id, agent_id, target_id, organization_id, record)
                        VALUES (\(record.id), \(record.time), \(record.action), \(record.actorID), \(record.agentID), \(record.targetID),
                                \(record.organizationID), \(try RecordCoding.encode(record))::jsonb)
                        ON CONFLICT (id) DO NOTHING
                        """, logger: logger)
                }
            }
        }
    }

    public func auditRecords(_ query: AuditQuery) async throws -> Page<AuditRecord> {
        var filter = SQLFilter()
        if let agent = query.agentID { filter.add("(agent_id = $ OR target_id = $)", agent) }
        if let action = query.action {
            if action.hasSuffix("*") {
                filter.add("action LIKE $ || '%'", String(action.dropLast()).replacingOccurrences(of: "%", with: "\\%"))
            } else {
                filter.add("action = $", action)
            }
        }
        if let actor = query.actorID { filter.add("actor_id = $", actor) }
        if let organization = query.organizationID { filter.add("organization_id = $", organization) }
        if let from = query.from { filter.add("time >= $::timestamptz", from.formatted(RecordCoding.dates)) }
        if let to = query.to { filter.add("time <= $::timestamptz", to.formatted(RecordCoding.dates)) }
        let frozen = filter
        return try await mapped { [self] in
            let total = try await count(frozen.query("SELECT count(*)::bigint FROM audit_records"))
            let rows = try await client.query(frozen.query(
                "SELECT record::text FROM audit_records", suffix: "ORDER BY time DESC, id DESC LIMIT \(query.page.limit) OFFSET \(query.page.offset)"),
                logger: logger)
            var records: [AuditRecord] = []
            for try await record in rows.decode(String.self) { records.append(try RecordCoding.decode(AuditRecord.self, from: record)) }
            return Page(items: records, total: total, request: query.page)
        }
    }

    public func deleteAuditRecords(before time: Date) async throws -> Int {
        try await mapped { [self] in
            try await count("WITH removed AS (DELETE FROM audit_records WHERE time < \(time) RETURNING 1) SELECT count(*)::bigint FROM removed")
        }
    }

    public func setting(_ name: String) async throws -> String? {
        try await mapped { [self] in
            for try await value in try await client.query("SELECT value FROM settings WHERE name = \(name)", logger: logger).decode(String.self) {
                return value
            }
            return nil
        }
    }

    public func insertSettingIfAbsent(_ name: String, value: String) async throws -> String {
        try await mapped { [self] in
            try await client.query("INSERT INTO settings (name, value) VALUES (\(name), \(value)) ON CONFLICT (name) DO NOTHING", logger: logger)
            guard let stored = try await setting(name) else { throw StorageError.unavailable("setting \(name) vanished") }
            return stored
        }
    }
}
