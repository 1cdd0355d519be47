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
            let (scope, organization) = try await organizations.visible(request, context)
            let body = try await JSONBody.read(request, schema: RequestSchemas.createTeam, maxBytes: runtime.settings.server.maxBodyBytes)
            let team = try await runtime.services.tenants.createTeam(
                organizationID: organization.id, name: body.requiredString("name"),
                description: body.string("description") ?? "", by: organizations.attribution(scope, request, context))
            return JSONResponse.value(["team": TenancyView.team(team)], status: .created)
        }
        router.get("/api/organizations/{id}/teams/{team_id}") { request, context in
            let (_, team) = try await visibleTeam(request, context)
            return JSONResponse.value(["team": TenancyView.team(team)])
        }
        router.put("/api/organizations/{id}/teams/{team_id}") { request, context in try await update(request, context) }
        router.patch("/api/organizations/{id}/teams/{team_id}") { request, context in try await update(request, context) }
        router.delete("/api/organizations/{id}/teams/{team_id}") { request, context in
            let (scope, team) = try await visibleTeam(request, context)
            _ = try await runtime.services.tenants.deleteTeam(id: team.id, by: organizations.attribution(scope, request, context))
            return JSONResponse.value(["message": "team deleted; its agents stay in the organization", "id": .string(team.id)])
        }
    }

    private func visibleTeam(_ request: Request, _ context: AppRequestContext) async throws -> (AccessScope, Team) {
        let (scope, organization) = try await organizations.visible(request, context)
        let teamID = try context.parameters.require("team_id")
        guard let team = try await runtime.storage.team(id: teamID), team.organizationID == organization.id else {
            throw APIError.notFound("team")
        }
        return (scope, team)
    }

    private func update(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (scope, team) = try await visibleTeam(request, context)
        let body = try await JSONBody.read(request, schema: RequestSchemas.updateTeam, maxBytes: runtime.settings.server.maxBodyBytes)
        guard let updated = try await runtime.services.tenants.updateTeam(
            id: team.id, name: body.string("name"), description: body.string("description"),
            by: organizations.attribution(scope, request, context))
        else { throw APIError.notFound("team") }
        return JSONResponse.value(["team": TenancyView.team(updated)])
    }
}
