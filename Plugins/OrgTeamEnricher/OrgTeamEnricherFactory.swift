public import MachineAuthCore

/// The `org_team` enricher stage: adds the agent's `org_id`, `team_id` and `org_slug` claims.
public enum OrgTeamEnricherFactory: ClaimEnricherFactory {
    public static let type = "org_team"
    public static let summary = "org_id, team_id and org_slug claims from the agent's organization and team"

    /// Options of the `org_team` stage.
    public struct Config: Decodable, Sendable {
        /// Also add `org_slug`. Default true.
        public var includeSlug: Bool
        /// Also add `team_name`. Default false.
        public var includeTeamName: Bool

        enum CodingKeys: String, CodingKey {
            case includeSlug = "include_slug", includeTeamName = "include_team_name"
        }

        public init(includeSlug: Bool = true, includeTeamName: Bool = false) {
            self.includeSlug = includeSlug
            self.includeTeamName = includeTeamName
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            includeSlug = try container.decodeIfPresent(Bool.self, forKey: .includeSlug) ?? true
            includeTeamName = try container.decodeIfPresent(Bool.self, forKey: .includeTeamName) ?? false
        }
    }

    public static func makeEnricher(config: Config, context: StageContext) async throws -> any ClaimEnricher {
        OrgTeamEnricher(config: config, tenants: context.tenants)
    }
}

/// Adds organization and team claims; agents without an organization get none.
public struct OrgTeamEnricher: ClaimEnricher {
    let config: OrgTeamEnricherFactory.Config
    let tenants: any TenantStore

    public init(config: OrgTeamEnricherFactory.Config, tenants: any TenantStore) {
        self.config = config
        self.tenants = tenants
    }

    public func enrich(_ claims: inout TokenClaims, for request: TokenRequest) async throws {
        guard let organizationID = request.agent.organizationID else { return }
        try claims.set("org_id", .string(organizationID))
        if config.includeSlug, let organization = try await tenants.organization(id: organizationID) {
            try claims.set("org_slug", .string(organization.slug))
        }
        if let teamID = request.agent.teamID {
            try claims.set("team_id", .string(teamID))
            if config.includeTeamName, let team = try await tenants.team(id: teamID) {
                try claims.set("team_name", .string(team.name))
            }
        }
    }
}
