import Foundation
import Hummingbird
import MachineAuthCore

/// `/dashboard/agents`: the list (search, filters, pages), one agent, and its lifecycle —
/// rotate with a grace period, deactivate, reactivate, delete after a confirmation. Creating
/// an agent is ``AgentFormPages``. Every operation goes through ``ScopedAgents``, as the API's.
struct AgentPages: Sendable {
    let dashboard: Dashboard

    func register(on router: DashboardRouter) {
        router.get("/dashboard/agents") { page in try await list(page) }
        router.get("/dashboard/agents/{id}") { page in
            let agent = try await dashboard.agents(page).visible(try page.parameter("id"))
            return try await detail(page, agent)
        }
        router.post("/dashboard/agents/{id}/rotate") { page in
            let agents = try dashboard.agents(page)
            let agent = try await agents.visible(try page.parameter("id"))
            var rotation = FormState(values: page.fields.values)
            do {
                let grace = try page.fields.number("grace_period_seconds", in: InputLimits.gracePeriodSeconds) ?? 0
                let (rotated, secret) = try await agents.rotate(agent, gracePeriod: grace)
                let until = grace > 0 ? Time.text(dashboard.runtime.now().addingTimeInterval(TimeInterval(grace))) : nil
                return try await detail(page, rotated, secret: RevealedSecret.clientSecret(secret, rotated: true, oldValidUntil: until))
            } catch {
                guard let status = rotation.refuse(error, page) else { throw error }
                return try await detail(page, agent, rotation: rotation, status: status)
            }
        }
        router.post("/dashboard/agents/{id}/deactivate") { page in
            let agents = try dashboard.agents(page)
            let agent = try await agents.deactivate(try await agents.visible(try page.parameter("id")))
            return dashboard.redirect("/dashboard/agents/\(agent.id)", notice: .agentDeactivated)
        }
        router.post("/dashboard/agents/{id}/reactivate") { page in
            let agents = try dashboard.agents(page)
            let agent = try await agents.reactivate(try await agents.visible(try page.parameter("id")))
            return dashboard.redirect("/dashboard/agents/\(agent.id)", notice: .agentReactivated)
        }
        router.get("/dashboard/agents/{id}/delete") { page in
            let agent = try await dashboard.agents(page).visible(try page.parameter("id"))
            let view = AgentDeleteView(
                chrome: try dashboard.chrome(page, title: "Delete \(agent.name)", section: "/dashboard/agents"),
                agent: AgentSummary(agent, usage: nil, now: dashboard.runtime.now()))
            return dashboard.render("agent_delete", view)
        }
        router.post("/dashboard/agents/{id}/delete") { page in
            let agents = try dashboard.agents(page)
            try await agents.delete(try await agents.visible(try page.parameter("id")))
            return dashboard.redirect("/dashboard/agents", notice: .agentDeleted)
        }
        AgentFormPages(dashboard: dashboard).register(on: router)
    }

    /// One agent; `secret` is shown once, right after a creation or rotation.
    func detail(
        _ page: DashboardRequest, _ agent: Agent, secret: RevealedSecret? = nil, rotation: FormState = FormState(), status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let names = try await TenancyNames.load(dashboard, page)
        let runtime = dashboard.runtime
        let view = AgentDetailView(
            chrome: try dashboard.chrome(page, title: agent.name, section: "/dashboard/agents"),
            agent: AgentSummary(agent, usage: runtime.services.usage.unflushed(agent.id), now: runtime.now(),
                                organizations: names.organizations, teams: names.teams),
            secret: secret, rotation: rotation,
            defaultAudiences: (runtime.settings.tokens.allowedAudiences + AudienceRequest(settings: runtime.settings).defaultAudience)
                .joined(separator: " "))
        return dashboard.render("agent", view, status: status, headers: secret == nil ? [:] : .noStore)
    }

    private func list(_ page: DashboardRequest) async throws -> Response {
        let query = page.query
        var filterState = FormState(values: ["q": query.string("q") ?? "", "scope": query.string("scope") ?? ""])
        var filter = AgentFilter(
            search: query.string("q"), status: query.string("status"), organizationID: query.string("organization_id"),
            teamID: query.string("team_id"), scope: query.string("scope"))
        var found = Page<Agent>(items: [], total: 0, request: PageRequest())
        var status = HTTPResponse.Status.ok
        do {
            filter.page = try query.page()
            found = try await dashboard.agents(page).list(filter)
        } catch {
            guard let refused = filterState.refuse(error, page, notFoundField: "organization_id") else { throw error }
            status = refused
        }
        let names = try await TenancyNames.load(dashboard, page)
        let now = dashboard.runtime.now()
        let view = AgentListView(
            chrome: try dashboard.chrome(page, title: "Agents", section: "/dashboard/agents"),
            filter: filterState,
            statuses: [Option(value: "", label: "Any status", selected: filter.status == nil)]
                + AgentStatus.allCases.map { Option(value: $0.rawValue, label: $0.rawValue, selected: filter.status == $0.rawValue) },
            organizations: names.organizationOptions(selected: filter.organizationID, none: "Any organization"),
            teams: names.teamOptions(selected: filter.teamID, none: "Any team"),
            agents: found.items.map {
                AgentSummary($0, usage: dashboard.runtime.services.usage.unflushed($0.id), now: now, organizations: names.organizations, teams: names.teams)
            },
            total: Counted.text(found.total, "agent"),
            pages: Pagination(found, path: "/dashboard/agents", query: [
                ("q", filter.search), ("status", filter.status), ("organization_id", filter.organizationID), ("team_id", filter.teamID),
                ("scope", filter.scope),
            ]))
        return dashboard.render("agents", view, status: status)
    }
}
