import CustomClaimsEnricher
import MachineAuthCore
import MachineAuthTesting
import OrgTeamEnricher
import Testing

@Suite("custom_claims stage")
struct CustomClaimsEnricherTests {
    /// Configurations load through this plugin's stage, and org_team for the test of a later
    /// stage reading an earlier one's claims.
    static let registry = ConfigFixtures.registry {
        $0.register(CustomClaimsEnricherFactory.self)
        $0.register(OrgTeamEnricherFactory.self)
    }

    func claims(_ yaml: String, agent: Agent = StageEnvironment.enrichedAgent) async throws -> TokenClaims {
        try await StageEnvironment.enrich(yaml, registry: Self.registry, agent: agent)
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
        var bare = StageEnvironment.enrichedAgent
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
        let problems = ConfigFixtures.problems("enrichers:\n  - type: custom_claims\n" + yaml, registry: Self.registry)
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
            """, registry: Self.registry)
        #expect(problems.contains { $0.message.contains("invalid value \"explode\"") })
        let semantic = ConfigFixtures.problems("""
            enrichers:
              - type: custom_claims
                claims: { x: "{{agent.secret}}" }
                rules:
                  - when: {}
                    claims: { y: 1 }
            """, registry: Self.registry)
        #expect(semantic.contains { $0.message.contains("unknown template variable {{agent.secret}}") })
        #expect(semantic.contains { $0.message.contains("empty when") })
    }
}
