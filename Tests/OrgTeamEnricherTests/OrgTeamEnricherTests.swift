import MachineAuthCore
import MachineAuthTesting
import OrgTeamEnricher
import Testing

@Suite("org_team stage")
struct OrgTeamEnricherTests {
    static let registry = ConfigFixtures.registry { $0.register(OrgTeamEnricherFactory.self) }

    func claims(_ yaml: String, agent: Agent = StageEnvironment.enrichedAgent) async throws -> TokenClaims {
        try await StageEnvironment.enrich(yaml, registry: Self.registry, agent: agent)
    }

    @Test("org_team adds org_id, team_id, org_slug (and team_name when asked)")
    func orgTeam() async throws {
        let claims = try await claims("  - type: org_team\n    include_team_name: true\n")
        #expect(claims["org_id"] == "org-1" && claims["team_id"] == "team-1" && claims["org_slug"] == "acme" && claims["team_name"] == "Data")
        var loose = StageEnvironment.enrichedAgent
        loose.organizationID = nil
        loose.teamID = nil
        #expect(try await self.claims("  - type: org_team\n", agent: loose)["org_id"] == nil)
    }
}
