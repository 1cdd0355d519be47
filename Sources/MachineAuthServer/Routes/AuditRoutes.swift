import Hummingbird
import MachineAuthCore

/// `GET /api/audit-logs`: filters `agent_id`, `action` (`token.*` for a prefix), `actor`,
/// `from`, `to`, with `page` and `limit`. Administrators only; an organization administrator
/// sees its organizations' records.
struct AuditRoutes: Sendable {
    let runtime: MachineAuthRuntime

    func register(on router: RouteRegistrar) {
        router.get("/api/audit-logs") { request, context in
            let scope = try context.scope()
            let query = QueryParameters(request: request)
            var filter = AuditQuery(
                agentID: query.string("agent_id"), action: query.string("action"), actorID: query.string("actor"),
                from: try query.date("from"), to: try query.date("to"), page: try query.page())
            filter.organizationID = query.string("organization_id") ?? scope.currentOrganization
            if scope.organizations != nil {
                guard let wanted = filter.organizationID, scope.sees(organization: wanted) else { throw APIError.notFound("organization") }
            }
            let page = try await runtime.storage.auditRecords(filter)
            return try JSONResponse.make(AuditPage(audit_logs: page.items, pagination: page.pagination))
        }
    }

    struct AuditPage: Encodable {
        var audit_logs: [AuditRecord]
        var pagination: JSONValue
    }
}
