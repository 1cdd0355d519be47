public import Foundation
public import MachineAuthCore

extension StageEnvironment {
    /// The agent enricher tests issue for: organization `org-1` (slug `acme`), team `team-1`
    /// (`Data`), tags, metadata and two scopes.
    public static let enrichedAgent = Agent(
        id: "agent-1", name: "reporter", tags: ["batch"], metadata: ["cost_center": "cc-42"], clientID: "cid_1", secrets: [],
        scopes: ["read", "admin"], organizationID: "org-1", teamID: "team-1", createdAt: Date())

    /// Runs every enricher of the `enrichers:` list `yaml` (loaded with `registry`) in order over
    /// fresh registered claims, in a fresh environment holding ``enrichedAgent``'s organization and team.
    public static func enrich(
        _ yaml: String, registry: StageRegistry, agent: Agent = enrichedAgent, scopes: [String] = ["read", "admin"]
    ) async throws -> TokenClaims {
        let stages = try ConfigFixtures.load("enrichers:\n" + yaml, registry: registry).get().enrichers
        return try await with { environment in
            try await environment.storage.insertOrganization(Organization(id: "org-1", name: "Acme", slug: "acme", ownerEmail: nil, createdAt: Date()))
            try await environment.storage.insertTeam(Team(id: "team-1", organizationID: "org-1", name: "Data", createdAt: Date()))
            var claims = TokenClaims(registered: ["sub": "cid_1", "exp": 1])
            let request = TokenRequest(agent: agent, scopes: scopes, audience: [], grantType: "client_credentials")
            for stage in stages {
                try await stage.make(try environment.context()).enrich(&claims, for: request)
            }
            return claims
        }
    }
}
