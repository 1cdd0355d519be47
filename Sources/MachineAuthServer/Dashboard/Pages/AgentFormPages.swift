import Foundation
import Hummingbird
import MachineAuthCore

/// `GET /dashboard/agents/new` and `POST /dashboard/agents`: a new agent, whose client secret
/// the response shows once. The fields are the API's (``AgentDraft``), checked by the same
/// rules (``ScopedAgents/create(_:)``, ``FieldRules``).
struct AgentFormPages: Sendable {
    let dashboard: Dashboard

    func register(on router: DashboardRouter) {
        router.get("/dashboard/agents/new") { page in
            var form = FormState(values: ["organization_id": page.query.string("organization_id") ?? ""])
            form.values["team_id"] = page.query.string("team_id") ?? ""
            return try await self.form(page, form, status: .ok)
        }
        router.post("/dashboard/agents") { page in
            var form = FormState(values: page.fields.values)
            do {
                let created = try await dashboard.agents(page).create(try draft(page.fields))
                return try await AgentPages(dashboard: dashboard).detail(
                    page, created.agent, secret: created.clientSecret.map { RevealedSecret.clientSecret($0, rotated: false) })
            } catch {
                guard let status = form.refuse(error, page, notFoundField: "organization_id") else { throw error }
                return try await self.form(page, form, status: status)
            }
        }
    }

    /// The agent the form describes.
    private func draft(_ fields: FormFields) throws -> AgentDraft {
        var draft = AgentDraft(name: fields.text("name"))
        draft.description = fields.text("description")
        draft.scopes = fields.words("scopes")
        draft.allowedAudiences = fields.words("allowed_audiences")
        draft.metadata = try fields.pairs("metadata")
        draft.grantTypes = fields.all("grant_types")
        draft.organizationID = fields.optional("organization_id")
        draft.teamID = fields.optional("team_id")
        if let days = try fields.number("expires_in_days", in: InputLimits.lifetimeDays) {
            draft.expiresAt = dashboard.runtime.now().addingTimeInterval(TimeInterval(days) * 86_400)
        }
        return draft
    }

    private func form(_ page: DashboardRequest, _ form: FormState, status: HTTPResponse.Status) async throws -> Response {
        let names = try await TenancyNames.load(dashboard, page)
        let scope = try page.scope()
        let chosenOrganization = form.values["organization_id"].flatMap { $0.isEmpty ? nil : $0 } ?? (scope.isOwner ? nil : scope.currentOrganization)
        let sent = page.request.method == .post
        let chosenGrants = sent ? Set(page.fields.all("grant_types")) : Set(dashboard.runtime.services.agents.grantTypes)
        let view = AgentFormView(
            chrome: try dashboard.chrome(page, title: "New agent", section: "/dashboard/agents"), form: form,
            organizations: names.organizationOptions(selected: chosenOrganization, none: scope.isOwner ? "No organization" : nil),
            teams: names.teamOptions(selected: form.values["team_id"].flatMap { $0.isEmpty ? nil : $0 }, none: "No team"),
            grantTypes: dashboard.runtime.services.agents.grantTypes.map { Option(value: $0, label: $0, selected: chosenGrants.contains($0)) })
        return dashboard.render("agent_new", view, status: status)
    }
}
