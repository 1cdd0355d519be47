import MachineAuthCore
import MachineAuthStages
import Testing

/// The registration list of the binary: every plugin under its `type:` and kind, once.
@Suite("Standard stages")
struct StandardStagesTests {
    @Test("every compiled-in stage is registered under its type and kind")
    func registered() {
        let registry = StageRegistry.standard
        #expect(Set(registry.authenticators.keys) == ["client_secret", "private_key_jwt", "tls_client_auth", "api_key"])
        #expect(Set(registry.grants.keys) == ["client_credentials", "refresh_token", "jwt_bearer"])
        #expect(Set(registry.enrichers.keys) == ["org_team", "custom_claims"])
        #expect(Set(registry.notifiers.keys) == ["audit", "webhooks"])
        #expect(Set(registry.storages.keys) == ["json", "postgres"])
        #expect(Set(registry.dpopVerifiers.keys) == ["dpop"])
        #expect(registry.storageSchemes == ["json": "json", "postgres": "postgres", "postgresql": "postgres"])
    }

    @Test("no type is registered under two kinds, and every stage has a summary for `machineauth stages`")
    func catalog() {
        let registry = StageRegistry.standard
        let entries = registry.catalog
        #expect(entries.count == 14)
        #expect(Set(entries.map(\.type)).count == entries.count)
        for entry in entries {
            #expect(!entry.summary.isEmpty, "\(entry.type)")
            #expect(registry.kinds(of: entry.type) == [entry.kind])
        }
    }
}
