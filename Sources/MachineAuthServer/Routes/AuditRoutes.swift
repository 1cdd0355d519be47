import Hummingbird
import MachineAuthCore

/// `GET /api/audit-logs`: filters `agent_id`, `action` (`token.*` for a prefix), `actor`,
/// `from`, `to`, with `page` and `limit`. Administrators only; an organization administrator
/// sees its organizations' records (``ScopedAudit``).
struct AuditRoutes: Sendable {
    let runtime: MachineAuthRuntime

    func register(on router: RouteRegistrar) {
        router.get("/api/audit-logs") { request, context in
            let page = try await ScopedAudit(runtime: runtime, scope: try context.scope()).records(AuditQuery(QueryParameters(request: request)))
            return try JSONResponse.make(AuditPage(audit_logs: page.items, pagination: page.pagination))
        }
    }

    struct AuditPage: Encodable {
        var audit_logs: [AuditRecord]
        var pagination: JSONValue
    }
}
