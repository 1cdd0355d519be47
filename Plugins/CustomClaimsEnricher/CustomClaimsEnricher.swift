import Foundation
public import MachineAuthCore

/// Applies static claims, then metadata claims, then matching rules, in that order.
public struct CustomClaimsEnricher: ClaimEnricher {
    let config: CustomClaimsEnricherFactory.Config
    let tenants: any TenantStore

    public init(config: CustomClaimsEnricherFactory.Config, tenants: any TenantStore) {
        self.config = config
        self.tenants = tenants
    }

    public func enrich(_ claims: inout TokenClaims, for request: TokenRequest) async throws {
        for (name, value) in config.claims.sorted(by: { $0.key < $1.key }) {
            try apply(name, value, to: &claims, request: request)
        }
        for (name, key) in config.fromMetadata.sorted(by: { $0.key < $1.key }) {
            if let value = request.agent.metadata[key] {
                try claims.set(name, .string(value))
            } else {
                try missing(name, because: "metadata \"\(key)\"", in: &claims)
            }
        }
        let slug = try await organizationSlug(request)
        for rule in config.rules where matches(rule.when, request, slug: slug) {
            for (name, value) in rule.claims.sorted(by: { $0.key < $1.key }) {
                try apply(name, value, to: &claims, request: request)
            }
        }
    }

    private func apply(_ name: String, _ value: JSONValue, to claims: inout TokenClaims, request: TokenRequest) throws {
        let current = claims
        if let rendered = ClaimTemplate.render(value, { lookup($0, request, current) }) {
            try claims.set(name, rendered)
        } else {
            try missing(name, because: "a template value", in: &claims)
        }
    }

    private func missing(_ name: String, because reason: String, in claims: inout TokenClaims) throws {
        switch config.missingMetadata {
        case .omit: return
        case .setNull: try claims.set(name, .null)
        case .fail: throw OAuthError.unauthorizedClient("this client lacks \(reason) required for the \(name) claim")
        }
    }

    private func lookup(_ variable: String, _ request: TokenRequest, _ claims: TokenClaims) -> String? {
        let agent = request.agent
        switch variable {
        case "agent.id": return agent.id
        case "agent.name": return agent.name
        case "agent.client_id": return agent.clientID
        case "agent.organization_id": return agent.organizationID
        case "agent.team_id": return agent.teamID
        case "scope": return request.scopes.joined(separator: " ")
        case "grant_type": return request.grantType
        default:
            if variable.hasPrefix("metadata.") { return agent.metadata[String(variable.dropFirst(9))] }
            if variable.hasPrefix("claims.") {
                switch claims[String(variable.dropFirst(7))] {
                case .string(let text)?: return text
                case .int(let number)?: return String(number)
                case .bool(let flag)?: return flag ? "true" : "false"
                default: return nil
                }
            }
            return nil
        }
    }

    private func organizationSlug(_ request: TokenRequest) async throws -> String? {
        guard config.rules.contains(where: { $0.when.orgs != nil }), let id = request.agent.organizationID else { return nil }
        return try await tenants.organization(id: id)?.slug
    }

    private func matches(_ condition: CustomClaimsEnricherFactory.Condition, _ request: TokenRequest, slug: String?) -> Bool {
        let agent = request.agent
        if let any = condition.scopesAny, !any.contains(where: request.scopes.contains) { return false }
        if let all = condition.scopesAll, !all.allSatisfy(request.scopes.contains) { return false }
        if let orgs = condition.orgs {
            guard let id = agent.organizationID, orgs.contains(id) || slug.map(orgs.contains) == true else { return false }
        }
        if let teams = condition.teams, !(agent.teamID.map(teams.contains) ?? false) { return false }
        if let clients = condition.clientIDs, !clients.contains(agent.clientID) { return false }
        if let tags = condition.tagsAny, !tags.contains(where: agent.tags.contains) { return false }
        if let grants = condition.grantTypes, !grants.contains(request.grantType) { return false }
        return true
    }
}
