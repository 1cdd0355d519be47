public import Foundation
import Logging
public import MachineAuthCore
import PostgresNIO

extension PostgresStorage {
    /// One multi-row insert per batch.
    public func appendAuditRecords(_ records: [AuditRecord]) async throws {
        guard !records.isEmpty else { return }
        let ids = records.map(\.id)
        let times = records.map(\.time)
        let actions = records.map(\.action)
        let actors = records.map { $0.actorID ?? "" }
        let agents = records.map { $0.agentID ?? "" }
        let targets = records.map { $0.targetID ?? "" }
        let organizations = records.map { $0.organizationID ?? "" }
        let bodies = records.map(\.jsonLine)
        try await mapped { [self] in
            try await client.query(
                """
                INSERT INTO audit_records (id, time, action, actor_id, agent_id, target_id, organization_id, record)
                SELECT id, time, action, NULLIF(actor, ''), NULLIF(agent, ''), NULLIF(target, ''), NULLIF(organization, ''), body::jsonb
                FROM unnest(\(ids)::text[], \(times)::timestamptz[], \(actions)::text[], \(actors)::text[], \(agents)::text[],
                            \(targets)::text[], \(organizations)::text[], \(bodies)::text[])
                     AS batch(id, time, action, actor, agent, target, organization, body)
                ON CONFLICT (id) DO NOTHING
                """, logger: logger)
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
        if let from = query.from { filter.add("time >= $::timestamptz", TimestampFormat.string(from)) }
        if let to = query.to { filter.add("time <= $::timestamptz", TimestampFormat.string(to)) }
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
