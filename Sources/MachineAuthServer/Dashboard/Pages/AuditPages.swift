import Foundation
import Hummingbird
import MachineAuthCore

/// `GET /dashboard/audit`: the audit trail with the API's filters (action or `group.*`, agent,
/// actor, organization, time range) read by the same code (``AuditQuery``, ``ScopedAudit``).
struct AuditPages: Sendable {
    let dashboard: Dashboard

    func register(on router: DashboardRouter) {
        router.get("/dashboard/audit") { page in
            let query = page.query
            let names = ["action", "agent_id", "actor", "organization_id", "from", "to"]
            var filter = FormState(values: Dictionary(uniqueKeysWithValues: names.map { ($0, query.string($0) ?? "") }))
            var found = Page<AuditRecord>(items: [], total: 0, request: PageRequest())
            var status = HTTPResponse.Status.ok
            do {
                found = try await ScopedAudit(runtime: dashboard.runtime, scope: try page.scope()).records(try AuditQuery(query))
            } catch {
                guard let refused = filter.refuse(error, page, notFoundField: "organization_id") else { throw error }
                status = refused
            }
            let tenancy = try await TenancyNames.load(dashboard, page)
            let scope = try page.scope()
            let view = AuditView(
                chrome: try dashboard.chrome(page, title: "Audit log", section: "/dashboard/audit"), filter: filter,
                organizations: tenancy.organizationOptions(selected: query.string("organization_id"), none: scope.isOwner ? "All organizations" : "Current organization"),
                actions: EventCatalog.events.map(\.type) + Set(EventCatalog.events.map { String($0.type.prefix { $0 != "." }) + ".*" }).sorted(),
                records: found.items.map { AuditRow($0, organizations: tenancy.organizations) }, total: Counted.text(found.total, "record"),
                pages: Pagination(found, path: "/dashboard/audit", query: names.map { ($0, query.string($0)) }))
            return dashboard.render("audit", view, status: status)
        }
    }
}

/// The audit page.
struct AuditView: Sendable {
    var chrome: Chrome
    var filter: FormState
    var organizations: [Option]
    /// Suggestions for the action filter.
    var actions: [String]
    var records: [AuditRow]
    var total: String
    var pages: Pagination
}

/// One audit record.
struct AuditRow: Sendable {
    var time: String
    var action: String
    var outcome: String
    var actor: String
    var target: String?
    var agentID: String?
    var organizationName: String?
    var ipAddress: String?
    var details: String?

    init(_ record: AuditRecord, organizations: [String: String]) {
        time = Time.text(record.time)
        action = record.action
        outcome = record.outcome
        actor = record.actorType + (record.actorID.map { ": \($0)" } ?? "")
        target = record.targetType.map { type in type + (record.targetID.map { " \($0)" } ?? "") }
        agentID = record.agentID
        organizationName = record.organizationID.map { organizations[$0] ?? $0 }
        ipAddress = record.ipAddress
        details = record.details.isEmpty ? nil : JSONValue.object(record.details).jsonText
    }
}
