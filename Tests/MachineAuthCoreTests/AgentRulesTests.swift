import Foundation
import MachineAuthCore
import Testing

@Suite("Agent rules")
struct AgentRulesTests {
    func agent(cutoffs: [TokenCutoff] = [], active: Bool = true, expires: Date? = nil) -> Agent {
        Agent(id: "a", name: "n", clientID: "c", secrets: [], scopes: [], isActive: active, createdAt: Date(timeIntervalSince1970: 0),
              expiresAt: expires, tokenCutoffs: cutoffs)
    }

    @Test("tokens issued before an effective cutoff are refused; later ones pass")
    func cutoffs() {
        let t = Date(timeIntervalSince1970: 1000)
        let subject = agent(cutoffs: [TokenCutoff(issuedBefore: t, effectiveAt: t)])
        #expect(!subject.acceptsToken(issuedAt: t.addingTimeInterval(-0.5), at: t.addingTimeInterval(1)))
        #expect(subject.acceptsToken(issuedAt: t.addingTimeInterval(0.001), at: t.addingTimeInterval(1)))
    }

    @Test("a grace period keeps old tokens until it ends")
    func grace() {
        let t = Date(timeIntervalSince1970: 1000)
        let subject = agent(cutoffs: [TokenCutoff(issuedBefore: t, effectiveAt: t.addingTimeInterval(60))])
        #expect(subject.acceptsToken(issuedAt: t.addingTimeInterval(-1), at: t.addingTimeInterval(59)))
        #expect(!subject.acceptsToken(issuedAt: t.addingTimeInterval(-1), at: t.addingTimeInterval(60)))
    }

    @Test("inactive and expired agents accept no tokens")
    func status() {
        let now = Date(timeIntervalSince1970: 1000)
        #expect(agent(active: false).status(at: now) == .inactive)
        #expect(agent(expires: now).status(at: now) == .expired)
        #expect(!agent(active: false).acceptsToken(issuedAt: now, at: now))
    }

    @Test("field rules", arguments: [("read", true), ("read:all", true), ("a b", false), ("", false), ("q\"", false), ("x\\y", false)])
    func scopes(scope: String, valid: Bool) {
        #expect(FieldRules.isScopeToken(scope) == valid)
    }

    @Test("names, metadata and grant types are validated with the field named")
    func validation() throws {
        #expect(throws: ValidationError("name", "must not be empty")) { try FieldRules.name("  ") }
        #expect(throws: ValidationError.self) { try FieldRules.metadata(["k": String(repeating: "x", count: 2000)]) }
        #expect(throws: ValidationError.self) { try FieldRules.grantTypes(["password"], valid: ["client_credentials"]) }
        #expect(throws: ValidationError.self) { try FieldRules.grantTypes([], valid: ["client_credentials"]) }
        #expect(try FieldRules.grantTypes(["urn:x", "urn:x"], valid: ["urn:x"]) == ["urn:x"], "registered grants, each once")
        #expect(try FieldRules.scopes(["a", "a", "b"]) == ["a", "b"])
    }
}
