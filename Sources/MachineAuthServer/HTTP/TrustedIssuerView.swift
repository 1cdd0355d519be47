import Foundation
import MachineAuthCore

/// The API representation of a trusted issuer: its JSON shape, every member present (`null`
/// when unset), so the OpenAPI schema can require them all.
enum TrustedIssuerView {
    static func issuer(_ issuer: TrustedIssuer) -> JSONValue {
        func text(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
        return [
            "id": .string(issuer.id), "name": text(issuer.name), "issuer": .string(issuer.issuer), "preset": text(issuer.preset?.rawValue),
            "audiences": .array(issuer.audiences.map(JSONValue.string)), "jwks_uri": text(issuer.jwksURI), "jwks": issuer.jwks ?? .null,
            "trust_domain": text(issuer.trustDomain), "single_use": issuer.singleUse.map(JSONValue.bool) ?? .null,
            "max_token_lifetime": issuer.maxTokenLifetime.map(JSONValue.int) ?? .null,
            "rules": .array(issuer.rules.map(rule)),
            "created_at": issuer.createdAt.map(AgentView.timestamp) ?? .null, "updated_at": issuer.updatedAt.map(AgentView.timestamp) ?? .null,
        ]
    }

    static func rule(_ rule: IdentityRule) -> JSONValue {
        [
            "subject": rule.subject.map(JSONValue.string) ?? .null, "claims": .object(rule.claims.mapValues(JSONValue.string)),
            "agent": .string(rule.agent), "scopes": rule.scopes.map { .array($0.map(JSONValue.string)) } ?? .null,
        ]
    }
}
