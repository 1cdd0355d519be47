import Foundation
import MachineAuthCore

/// An agent as the dashboard shows it: no secret hashes, usage with the counters not yet
/// flushed, times in RFC 3339 (UTC), names of its organization and team.
struct AgentSummary: Sendable {
    var id: String
    var name: String
    var description: String?
    var clientID: String
    var status: String
    var isActive: Bool
    var deactivatedBy: String?
    var organizationID: String?
    var organizationName: String?
    var teamName: String?
    var scopes: [String]
    var grantTypes: [String]
    var allowedAudiences: [String]
    var metadata: [Pair]
    var hasMetadata: Bool
    var tags: [String]
    var createdAt: String
    var updatedAt: String
    var expiresAt: String?
    var tokenCount: String
    var refreshCount: String
    var failedAuthCount: String
    var lastTokenAt: String?
    var lastActivityAt: String?
    var managedBy: String?
    /// `token_endpoint_auth_method`, and whether the agent signs assertions instead of holding a secret.
    var authMethod: String
    var signsAssertions: Bool
    /// Authenticates by a client certificate (`tls_client_auth`, `self_signed_tls_client_auth`).
    var usesCertificate: Bool
    /// Has a client secret the dashboard can rotate.
    var hasSecret: Bool
    /// The registered public keys of a private_key_jwt agent, as `kid (kty crv/alg)`.
    var keys: [String]
    /// Where the agent publishes its keys instead (`jwks_uri`).
    var jwksURI: String?

    init(_ agent: Agent, usage pending: UsageDelta?, now: Date, organizations: [String: String] = [:], teams: [String: String] = [:]) {
        var usage = agent.usage
        if let pending { usage.apply(pending) }
        id = agent.id
        name = agent.name
        description = agent.description.isEmpty ? nil : agent.description
        clientID = agent.clientID
        status = agent.status(at: now).rawValue
        isActive = agent.isActive
        deactivatedBy = agent.isActive ? nil : ((agent.deactivatedBy ?? .administrator) == .selfService ? "the agent itself" : "an administrator")
        organizationID = agent.organizationID
        organizationName = agent.organizationID.map { organizations[$0] ?? $0 }
        teamName = agent.teamID.map { teams[$0] ?? $0 }
        scopes = agent.scopes
        grantTypes = agent.grantTypes
        allowedAudiences = agent.allowedAudiences
        metadata = agent.metadata.sorted { $0.key < $1.key }.map { Pair(name: $0.key, value: $0.value) }
        hasMetadata = !agent.metadata.isEmpty
        tags = agent.tags
        createdAt = Time.text(agent.createdAt)
        updatedAt = Time.text(agent.updatedAt)
        expiresAt = agent.expiresAt.map(Time.text)
        tokenCount = NumberRangeError.format(usage.tokenCount)
        refreshCount = NumberRangeError.format(usage.refreshCount)
        failedAuthCount = NumberRangeError.format(usage.failedAuthCount)
        lastTokenAt = usage.lastTokenAt.map(Time.text)
        lastActivityAt = usage.lastActivityAt.map(Time.text)
        managedBy = agent.managedBy
        authMethod = agent.tokenEndpointAuthMethod
        signsAssertions = agent.tokenEndpointAuthMethod == Agent.privateKeyJWT
        usesCertificate = Agent.usesCertificate(agent.tokenEndpointAuthMethod)
        hasSecret = Agent.usesSecret(agent.tokenEndpointAuthMethod)
        jwksURI = agent.jwksURI
        keys = (agent.jwks?.objectValue?["keys"]?.arrayValue ?? []).compactMap(\.objectValue).map { key in
            let kind = [key["kty"], key["crv"] ?? key["alg"]].compactMap { $0?.stringValue }.joined(separator: " ")
            return "\(key["kid"]?.stringValue ?? "?") (\(kind))"
        }
    }
}

/// A name and a value (metadata, claims, headers).
struct Pair: Sendable {
    var name: String
    var value: String
}

/// A choice of a `<select>` or a checkbox, with whether it is chosen.
struct Option: Sendable {
    var value: String
    var label: String
    var selected: Bool
}

/// Times as the dashboard writes them: RFC 3339 in UTC, to the second.
enum Time {
    static func text(_ date: Date) -> String { TimestampFormat.string(date, milliseconds: false) }
}
