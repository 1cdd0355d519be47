import Foundation
import MachineAuthCore

/// The audit records a caller may read: the owner every record, an organization administrator
/// or viewer those of their organizations (the one they work in unless the filter names
/// another of theirs). The API's audit route and the dashboard both go through here.
struct ScopedAudit: Sendable {
    let runtime: MachineAuthRuntime
    let scope: AccessScope

    /// A page of records matching `filter`; an organization the caller may not see answers 404.
    func records(_ filter: AuditQuery) async throws -> Page<AuditRecord> {
        var filter = filter
        filter.organizationID = filter.organizationID ?? scope.currentOrganization
        if scope.organizations != nil {
            guard let wanted = filter.organizationID, scope.sees(organization: wanted) else { throw APIError.notFound("organization") }
        }
        return try await runtime.storage.auditRecords(filter)
    }
}

extension AuditQuery {
    /// The filters of a query string: `agent_id`, `action` (`token.*` for a prefix), `actor`,
    /// `organization_id`, `from`, `to` (RFC 3339), `page`, `limit`.
    init(_ query: QueryParameters) throws {
        self.init(
            agentID: query.string("agent_id"), action: query.string("action"), actorID: query.string("actor"),
            organizationID: query.string("organization_id"), from: try query.date("from"), to: try query.date("to"), page: try query.page())
    }
}
