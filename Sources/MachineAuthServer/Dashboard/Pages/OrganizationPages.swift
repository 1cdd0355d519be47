import Foundation
import Hummingbird
import MachineAuthCore

/// `/dashboard/organizations`: the organizations the caller may see, one organization with its
/// teams, agents and API keys; creating organizations, teams and keys (the key shown once) and
/// revoking keys — through ``ScopedTenancy``, as the API.
struct OrganizationPages: Sendable {
    let dashboard: Dashboard

    func register(on router: DashboardRouter) {
        router.get("/dashboard/organizations") { page in try await list(page, FormState(), status: .ok) }
        router.post("/dashboard/organizations") { page in
            let fields = page.fields
            var form = FormState(values: fields.values)
            do {
                let organization = try await dashboard.tenancy(page).createOrganization(
                    name: fields.text("name"), slug: fields.text("slug"), ownerEmail: fields.optional("owner_email"))
                return dashboard.redirect("/dashboard/organizations/\(organization.id)", notice: .organizationCreated)
            } catch {
                guard let status = form.refuse(error, page) else { throw error }
                return try await list(page, form, status: status)
            }
        }
        router.get("/dashboard/organizations/{id}") { page in
            try await detail(page, try await dashboard.tenancy(page).organization(try page.parameter("id")))
        }
        router.post("/dashboard/organizations/{id}/teams") { page in
            let tenancy = try dashboard.tenancy(page)
            let organization = try await tenancy.organization(try page.parameter("id"))
            var form = FormState(values: page.fields.values)
            do {
                _ = try await tenancy.createTeam(in: organization, name: page.fields.text("name"), description: page.fields.text("description"))
                return dashboard.redirect("/dashboard/organizations/\(organization.id)", notice: .teamCreated)
            } catch {
                guard let status = form.refuse(error, page) else { throw error }
                return try await detail(page, organization, teamForm: form, status: status)
            }
        }
        router.post("/dashboard/organizations/{id}/api-keys") { page in
            let tenancy = try dashboard.tenancy(page)
            let organization = try await tenancy.organization(try page.parameter("id"))
            var form = FormState(values: page.fields.values)
            do {
                let days = try page.fields.number("expires_in_days", in: InputLimits.lifetimeDays)
                let expiry = days.map { dashboard.runtime.now().addingTimeInterval(TimeInterval($0) * 86_400) }
                let (_, secret) = try await tenancy.createAPIKey(in: organization, name: page.fields.text("name"), expiresAt: expiry)
                let revealed = RevealedSecret(
                    label: "New API key", value: secret, notice: "Save this key now — it will not be shown again.", oldValidUntil: nil)
                return try await detail(page, organization, secret: revealed)
            } catch {
                guard let status = form.refuse(error, page) else { throw error }
                return try await detail(page, organization, keyForm: form, status: status)
            }
        }
        router.post("/dashboard/organizations/{id}/api-keys/{key_id}/revoke") { page in
            let tenancy = try dashboard.tenancy(page)
            let organization = try await tenancy.organization(try page.parameter("id"))
            _ = try await tenancy.revokeAPIKey(try page.parameter("key_id"), of: organization)
            return dashboard.redirect("/dashboard/organizations/\(organization.id)", notice: .apiKeyRevoked)
        }
    }

    private func list(_ page: DashboardRequest, _ form: FormState, status: HTTPResponse.Status) async throws -> Response {
        var rows: [OrganizationRow] = []
        for organization in try await dashboard.tenancy(page).organizations().items {
            let agents = try await dashboard.runtime.storage.listAgents(AgentQuery(organizationID: organization.id, page: PageRequest(page: 1, limit: 1)))
            let teams = try await dashboard.runtime.storage.listTeams(organizationID: organization.id)
            rows.append(OrganizationRow(organization, agents: agents.total, teams: teams.count))
        }
        let view = OrganizationListView(
            chrome: try dashboard.chrome(page, title: "Organizations", section: "/dashboard/organizations"), organizations: rows, form: form)
        return dashboard.render("organizations", view, status: status)
    }

    private func detail(
        _ page: DashboardRequest, _ organization: Organization, secret: RevealedSecret? = nil, teamForm: FormState = FormState(),
        keyForm: FormState = FormState(), status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let runtime = dashboard.runtime
        let now = runtime.now()
        let teams = try await runtime.storage.listTeams(organizationID: organization.id)
        let agents = try await dashboard.agents(page).list(AgentFilter(page: PageRequest(page: 1, limit: 20)), fixedOrganization: organization.id)
        let teamNames = Dictionary(teams.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        let keys = try await runtime.storage.listAPIKeys(organizationID: organization.id).sorted { $0.createdAt > $1.createdAt }
        let view = OrganizationDetailView(
            chrome: try dashboard.chrome(page, title: organization.name, section: "/dashboard/organizations"),
            organization: OrganizationRow(organization, agents: agents.total, teams: teams.count),
            teams: teams.map { TeamRow(id: $0.id, name: $0.name, description: $0.description, createdAt: Time.text($0.createdAt)) },
            agents: agents.items.map {
                AgentSummary($0, usage: runtime.services.usage.unflushed($0.id), now: now, organizations: [organization.id: organization.name], teams: teamNames)
            },
            moreAgents: agents.total > agents.items.count,
            keys: keys.map { APIKeyRow($0, now: now) }, secret: secret, teamForm: teamForm, keyForm: keyForm)
        return dashboard.render("organization", view, status: status, headers: secret == nil ? [:] : .noStore)
    }
}
