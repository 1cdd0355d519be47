import Foundation
import MachineAuthCore
import MachineAuthTesting
import Testing

@Suite("Trusted issuer service")
struct TrustedIssuerServiceTests {
    static let fields: [String: JSONValue] = [
        "issuer": "https://oidc.cluster.example", "preset": "kubernetes", "name": "prod",
        "rules": [["subject": "system:serviceaccount:ci:*", "agent": "cid_ci"]],
    ]
    static let admin = Attribution(actor: .admin("owner@example.com"))

    func service(allowHTTP: Bool = false) async throws -> (TrustedIssuerService, RecordingNotifier, any Storage) {
        let storage = try await MemoryStorage.open()
        let notifier = RecordingNotifier()
        let service = TrustedIssuerService(store: storage, events: EventBus(notifiers: [notifier]), allowHTTP: allowHTTP, now: { Date() })
        return (service, notifier, storage)
    }

    @Test("apply sets what it names, null removes optional members, and a wrong type or unknown member names its field")
    func apply() throws {
        var issuer = TrustedIssuer(id: "tis_x", name: "n", issuer: "https://a.example", maxTokenLifetime: 600, rules: [IdentityRule(subject: "s", agent: "a")])
        try issuer.apply(["name": .null, "max_token_lifetime": .double(300), "single_use": false, "audiences": ["x"]])
        #expect(issuer.name == nil && issuer.maxTokenLifetime == 300 && issuer.singleUse == false && issuer.audiences == ["x"])
        #expect(issuer.issuer == "https://a.example" && issuer.rules == [IdentityRule(subject: "s", agent: "a")], "members not named stay")
        let refused: [([String: JSONValue], String)] = [
            (["issuer": 3], "issuer"), (["preset": "travis"], "preset"), (["single_use": "yes"], "single_use"),
            (["max_token_lifetime": .double(1e300)], "max_token_lifetime"), (["max_token_lifetime": .double(60.5)], "max_token_lifetime"),
            (["jwks": "keys"], "jwks"), (["rules": [["agent": "a", "claims": ["env": 1]]]], "rules[0].claims"),
            (["rules": [["agent": .null]]], "rules[0].agent"), (["rules": [["agent": "a", "extra": true]]], "rules[0].extra"), (["id": "mine"], "id"),
        ]
        for (fields, field) in refused {
            var copy = issuer
            #expect(throws: ValidationError.self, "\(fields)") { try copy.apply(fields) }
            do { try copy.apply(fields) } catch { #expect(error.field == field, "\(fields) → \(error)") }
        }
    }

    @Test("http issuer URLs only when allowed (security.allow_insecure_issuers)")
    func allowHTTP() async throws {
        var plain = Self.fields
        plain["issuer"] = "http://127.0.0.1:8443"
        let (strict, _, _) = try await service()
        await #expect { _ = try await strict.create(plain, by: Self.admin) } throws: { ($0 as? ValidationError)?.field == "issuer" }
        let (lenient, _, _) = try await service(allowHTTP: true)
        #expect(try await lenient.create(plain, by: Self.admin).issuer == "http://127.0.0.1:8443")
    }

    @Test("a refused update leaves the issuer as stored and publishes nothing; a good one publishes what changed")
    func update() async throws {
        let (service, notifier, storage) = try await service()
        let created = try await service.create(Self.fields, by: Self.admin)
        #expect(created.id.hasPrefix("tis_") && created.createdAt != nil && created.createdAt == created.updatedAt)
        for (changes, field) in [(["preset": "spiffe"] as [String: JSONValue], "trust_domain"), (["rules": []], "rules")] {
            await #expect { _ = try await service.update(id: created.id, changes, by: Self.admin) } throws: { ($0 as? ValidationError)?.field == field }
        }
        #expect(try await storage.trustedIssuer(id: created.id) == created)
        #expect(notifier.events.map(\.type) == ["trusted_issuer.created"])
        let updated = try #require(try await service.update(id: created.id, ["name": "staging"], by: Self.admin))
        #expect(updated.name == "staging" && updated.createdAt == created.createdAt && (updated.updatedAt ?? .distantPast) >= (created.updatedAt ?? .distantFuture))
        #expect(notifier.events.last?.data["changed"] == ["name"] && notifier.events.last?.actor == .admin("owner@example.com"))
        #expect(try await service.update(id: "tis_none", ["name": "x"], by: Self.admin) == nil)
        #expect(try await service.delete(id: "tis_none", by: Self.admin) == nil)
        #expect(notifier.events.map(\.type) == ["trusted_issuer.created", "trusted_issuer.updated"], "nothing deleted, nothing published")
    }
}
