import Hummingbird
import MachineAuthCore

/// `/api/organizations/{id}/teams` and `/teams/{team_id}`.
struct TeamRoutes: Sendable {
    let runtime: MachineAuthRuntime
    let organizations: OrganizationRoutes

    func register(on router: RouteRegistrar) {
        router.get("/api/organizations/{id}/teams") { request, context in
            let (_, organization) = try await organizations.visible(request, context)
            let teams = try await runtime.storage.listTeams(organizationID: organization.id)
            return JSONResponse.value(["teams": .array(teams.map(TenancyView.team))])
        }
        router.post("/api/organizations/{id}/teams") { request, context in
            let (tenancy, organization) = try await organizations.visible(request, context)
            let body = try await JSONBody.read(request, schema: RequestSchemas.createTeam, maxBytes: runtime.settings.server.maxBodyBytes)
            let team = try await tenancy.createTeam(in: organization, name: body.requiredString("name"), description: body.string("description") ?? "")
            return JSONResponse.value(["team": TenancyView.team(team)], status: .created)
        }
        router.get("/api/organizations/{id}/teams/{team_id}") { request, context in
            let (_, team) = try await visibleTeam(request, context)
            return JSONResponse.value(["team": TenancyView.team(team)])
        }
        router.put("/api/organizations/{id}/teams/{team_id}") { request, context in try await update(request, context) }
        router.patch("/api/organizations/{id}/teams/{team_id}") { request, context in try await update(request, context) }
        router.delete("/api/organizations/{id}/teams/{team_id}") { request, context in
            let (tenancy, team) = try await visibleTeam(request, context)
            try await tenancy.deleteTeam(team)
            return JSONResponse.value(["message": "team deleted; its agents stay in the organization", "id": .string(team.id)])
        }
    }

    private func visibleTeam(_ request: Request, _ context: AppRequestContext) async throws -> (ScopedTenancy, Team) {
        let (tenancy, organization) = try await organizations.visible(request, context)
        return (tenancy, try await tenancy.team(try context.parameters.require("team_id"), of: organization))
    }

    private func update(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (tenancy, team) = try await visibleTeam(request, context)
        let body = try await JSONBody.read(request, schema: RequestSchemas.updateTeam, maxBytes: runtime.settings.server.maxBodyBytes)
        let updated = try await tenancy.updateTeam(team, name: body.string("name"), description: body.string("description"))
        return JSONResponse.value(["team": TenancyView.team(updated)])
    }
}
