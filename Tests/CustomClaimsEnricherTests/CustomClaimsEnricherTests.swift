import APIKeyAuthenticator
import CustomClaimsEnricher
import Foundation
import JSONStorage
import MachineAuthCore
import MachineAuthStages
import MachineAuthTesting
import OrgTeamEnricher
import Testing

@Suite("Claim enrichers")
struct EnricherTests {
    static let agent = Agent(
        id: "agent-1", name: "reporter", tags: ["batch"], metadata: ["cost_center": "cc-42"], clientID: "cid_1", secrets: [],
        scopes: ["read", "admin"], organizationID: "org-1", teamID: "team-1", createdAt: Date())

    func pipeline(_ yaml: String) throws -> [PreparedStage<any ClaimEnricher, StageContext>] {
        try ConfigFixtures.load("enrichers:\n" + yaml, registry: .standard).get().enrichers
    }

    /// Runs every enricher of `yaml` in order over fresh registered claims.
    func claims(_ yaml: String, agent: Agent = Self.agent, scopes: [String] = ["read", "admin"]) async throws -> TokenClaims {
        try await StageEnvironment.with { environment in
            try await environment.storage.insertOrganization(Organization(id: "org-1", name: "Acme", slug: "acme", ownerEmail: nil, createdAt: Date()))
            try await environment.storage.insertTeam(Team(id: "team-1", organizationID: "org-1", name: "Data", createdAt: Date()))
            var claims = TokenClaims(registered: ["sub": "cid_1", "exp": 1])
            let request = TokenRequest(agent: agent, scopes: scopes, audience: [], grantType: "client_credentials")
            for stage in try pipeline(yaml) {
                try await stage.make(try environment.context()).enrich(&claims, for: request)
            }
            return claims
        }
    }

    @Test("org_team adds org_id, team_id, org_slug (and team_name when asked)")
    func orgTeam() async throws {
        let claims = try await claims("  - type: org_team\n    include_team_name: true\n")
        #expect(claims["org_id"] == "org-1" && claims["team_id"] == "team-1" && claims["org_slug"] == "acme" && claims["team_name"] == "Data")
        var loose = Self.agent
        loose.organizationID = nil
        loose.teamID = nil
        #expect(try await self.claims("  - type: org_team\n", agent: loose)["org_id"] == nil)
    }

    @Test("static, metadata and rule claims, with templates; a later stage sees earlier claims")
    func customClaims() async throws {
        let claims = try await claims("""
              - type: org_team
              - type: custom_claims
                claims: { env: production, tier: 2, beta: true, tenant: "{{claims.org_slug}}", nested: { who: "{{agent.name}}" } }
                from_metadata: { cost_center: cost_center }
                rules:
                  - when: { scopes_any: [admin] }
                    claims: { privileged: true, label: "admin {{agent.client_id}}" }
                  - when: { orgs: [acme], tags_any: [batch] }
                    claims: { rate_tier: bulk }
                  - when: { orgs: [globex] }
                    claims: { never: true }
            """)
        #expect(claims["env"] == "production" && claims["tier"] == 2 && claims["beta"] == true)
        #expect(claims["tenant"] == "acme")
        #expect(claims["nested"] == ["who": "reporter"])
        #expect(claims["cost_center"] == "cc-42")
        #expect(claims["privileged"] == true && claims["label"] == "admin cid_1")
        #expect(claims["rate_tier"] == "bulk")
        #expect(claims["never"] == nil)
    }

    @Test("order matters: the last stage to set a claim wins")
    func order() async throws {
        let claims = try await claims("""
              - type: custom_claims
                claims: { stage: first }
              - type: custom_claims
                claims: { stage: second, saw: "{{claims.stage}}" }
            """)
        #expect(claims["stage"] == "second" && claims["saw"] == "first")
    }

    @Test("missing metadata: omit by default, null or fail when configured")
    func missingMetadata() async throws {
        var bare = Self.agent
        bare.metadata = [:]
        let omitted = try await claims("  - type: custom_claims\n    from_metadata: { cost_center: cost_center }\n    claims: { who: \"{{metadata.owner}}\" }\n", agent: bare)
        #expect(omitted["cost_center"] == nil && omitted["who"] == nil)
        let nulled = try await claims("  - type: custom_claims\n    from_metadata: { cost_center: cost_center }\n    missing_metadata: set_null\n", agent: bare)
        #expect(nulled["cost_center"] == JSONValue.null)
        await #expect(throws: OAuthError.self) {
            _ = try await claims("  - type: custom_claims\n    from_metadata: { cost_center: cost_center }\n    missing_metadata: fail\n", agent: bare)
        }
    }

    @Test("registered claims can never be overridden: config check reports it", arguments: [
        "    claims: { exp: 1 }\n", "    from_metadata: { sub: owner }\n", "    rules:\n      - when: { scopes_any: [a] }\n        claims: { iss: evil }\n",
    ])
    func reserved(yaml: String) {
        let problems = ConfigFixtures.problems("enrichers:\n  - type: custom_claims\n" + yaml, registry: .standard)
        #expect(problems.count == 1)
        #expect(problems.first?.message.contains("registered claim") == true)
    }

    @Test("unknown template variables, empty rules and bad policies are config errors")
    func configErrors() {
        let problems = ConfigFixtures.problems("""
            enrichers:
              - type: custom_claims
                claims: { x: "{{agent.secret}}" }
                missing_metadata: explode
                rules:
                  - when: {}
                    claims: { y: 1 }
            """, registry: .standard)
        #expect(problems.contains { $0.message.contains("invalid value \"explode\"") })
        let semantic = ConfigFixtures.problems("""
            enrichers:
              - type: custom_claims
                claims: { x: "{{agent.secret}}" }
                rules:
                  - when: {}
                    claims: { y: 1 }
            """, registry: .standard)
        #expect(semantic.contains { $0.message.contains("unknown template variable {{agent.secret}}") })
        #expect(semantic.contains { $0.message.contains("empty when") })
    }
}

@Suite("api_key stage")
struct APIKeyAuthenticatorTests {
    @Test("is registered; a key authenticates by Bearer or X-API-Key, for its organization")
    func keys() async throws {
        #expect(StageRegistry.standard.authenticators["api_key"] != nil)
        try await StageEnvironment.with { environment in
            try await environment.storage.insertOrganization(Organization(id: "o", name: "O", slug: "o", ownerEmail: nil, createdAt: Date()))
            let service = TenantService(storage: environment.storage, hasher: environment.hasher, events: EventBus(notifiers: []), now: environment.clock.source)
            let (_, secret) = try await service.createAPIKey(organizationID: "o", name: "ci", expiresIn: 60, by: .system)
            let stage = APIKeyAuthenticator(storage: environment.storage, hasher: environment.hasher, lastUsedInterval: 60, now: environment.clock.source)
            for presentation in [
                CredentialPresentation(purpose: .apiAccess, authorization: "Bearer \(secret)"),
                CredentialPresentation(purpose: .apiAccess, authorization: nil, headers: ["x-api-key": secret]),
            ] {
                guard case .apiKey(let principal) = try await stage.authenticate(presentation) else { Issue.record("not authenticated"); continue }
                #expect(principal.organizationID == "o")
            }
            #expect(try await stage.authenticate(CredentialPresentation(purpose: .clientAuthentication, authorization: "Bearer \(secret)")) == nil)
            #expect(try await stage.authenticate(CredentialPresentation(purpose: .apiAccess, authorization: "Bearer eyJ.not.key")) == nil)
            environment.clock.advance(61)
            await #expect(throws: OAuthError.self) { _ = try await stage.authenticate(CredentialPresentation(purpose: .apiAccess, authorization: "Bearer \(secret)")) }
        }
    }
}
