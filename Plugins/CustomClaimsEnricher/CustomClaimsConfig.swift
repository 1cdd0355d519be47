public import MachineAuthCore

/// The `custom_claims` enricher stage: static claims, claims copied from agent metadata, and
/// claims chosen by rules, with `{{…}}` templates. Registered claims can never be set.
///
/// ```yaml
/// - type: custom_claims
///   claims: { env: production }
///   from_metadata: { cost_center: cost_center }
///   rules:
///     - when: { scopes_any: [admin] }
///       claims: { privileged: true, label: "admin {{agent.name}}" }
/// ```
public enum CustomClaimsEnricherFactory: ClaimEnricherFactory {
    public static let type = "custom_claims"
    public static let summary = "static, metadata-derived and rule-based claims with {{templates}}"

    /// Options of the `custom_claims` stage.
    public struct Config: Decodable, Sendable {
        /// Claims added to every token.
        public var claims: [String: JSONValue]
        /// Claim name → agent metadata key.
        public var fromMetadata: [String: String]
        /// What happens when metadata (or a template value) is missing.
        public var missingMetadata: MissingValuePolicy
        public var rules: [Rule]

        enum CodingKeys: String, CodingKey {
            case claims, rules, fromMetadata = "from_metadata", missingMetadata = "missing_metadata"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            claims = try container.decodeIfPresent([String: JSONValue].self, forKey: .claims) ?? [:]
            fromMetadata = try container.decodeIfPresent([String: String].self, forKey: .fromMetadata) ?? [:]
            missingMetadata = try container.decodeIfPresent(MissingValuePolicy.self, forKey: .missingMetadata) ?? .omit
            rules = try container.decodeIfPresent([Rule].self, forKey: .rules) ?? []
        }
    }

    /// `omit` the claim (default), `set_null` (JSON null), or `fail` the token request.
    public enum MissingValuePolicy: String, ConfigChoice {
        case omit, setNull = "set_null", fail
    }

    /// Claims added when `when` matches.
    public struct Rule: Decodable, Sendable {
        public var when: Condition
        public var claims: [String: JSONValue]
    }

    /// Every given condition must hold; lists match when any element does.
    public struct Condition: Decodable, Sendable {
        public var scopesAny: [String]?
        public var scopesAll: [String]?
        /// Organization ids or slugs.
        public var orgs: [String]?
        public var teams: [String]?
        public var clientIDs: [String]?
        public var tagsAny: [String]?
        public var grantTypes: [String]?

        enum CodingKeys: String, CodingKey {
            case orgs, teams
            case scopesAny = "scopes_any", scopesAll = "scopes_all", clientIDs = "client_ids", tagsAny = "tags_any", grantTypes = "grant_types"
        }

        var isEmpty: Bool {
            [scopesAny, scopesAll, orgs, teams, clientIDs, tagsAny, grantTypes].allSatisfy { $0 == nil }
        }
    }

    public static func validate(_ config: Config) -> [StageConfigProblem] {
        var problems: [StageConfigProblem] = []
        func check(_ claims: [String: JSONValue], at path: String) {
            for (name, value) in claims {
                if TokenClaims.reserved.contains(name) {
                    problems.append(StageConfigProblem(keyPath: "\(path).\(name)", "\"\(name)\" is a registered claim and cannot be set"))
                }
                for variable in ClaimTemplate.variables(in: value) where !ClaimTemplate.isKnown(variable) {
                    problems.append(StageConfigProblem(
                        keyPath: "\(path).\(name)",
                        "unknown template variable {{\(variable)}} (known: \(ClaimTemplate.knownDescription))"))
                }
            }
        }
        check(config.claims, at: "claims")
        for name in config.fromMetadata.keys where TokenClaims.reserved.contains(name) {
            problems.append(StageConfigProblem(keyPath: "from_metadata.\(name)", "\"\(name)\" is a registered claim and cannot be set"))
        }
        for (index, rule) in config.rules.enumerated() {
            if rule.when.isEmpty {
                problems.append(StageConfigProblem(keyPath: "rules", "rule \(index + 1) has an empty when: (use claims: for claims on every token)"))
            }
            check(rule.claims, at: "rules")
        }
        return problems
    }

    public static func makeEnricher(config: Config, context: StageContext) async throws -> any ClaimEnricher {
        CustomClaimsEnricher(config: config, tenants: context.tenants)
    }
}
