import Foundation
import MachineAuthCore

/// The API representation of an agent: every field except secret hashes and internal
/// revocation bookkeeping, with usage counters (including not yet flushed ones).
enum AgentView {
    static func render(_ agent: Agent, usage pending: UsageDelta?, now: Date) -> JSONValue {
        var usage = agent.usage
        if let pending { usage.apply(pending) }
        var view: [String: JSONValue] = [
            "id": .string(agent.id), "name": .string(agent.name), "description": .string(agent.description),
            "tags": .array(agent.tags.map(JSONValue.string)), "metadata": .object(agent.metadata.mapValues(JSONValue.string)),
            "client_id": .string(agent.clientID), "scopes": .array(agent.scopes.map(JSONValue.string)),
            "grant_types": .array(agent.grantTypes.map(JSONValue.string)),
            "allowed_audiences": .array(agent.allowedAudiences.map(JSONValue.string)),
            "token_endpoint_auth_method": .string(agent.tokenEndpointAuthMethod), "jwks": agent.jwks ?? .null,
            "jwks_uri": agent.jwksURI.map(JSONValue.string) ?? .null,
            "dpop_bound_access_tokens": .bool(agent.dpopBoundAccessTokens),
            "tls_client_certificate_bound_access_tokens": .bool(agent.tlsClientCertificateBoundAccessTokens),
            "deactivated_by": agent.isActive ? .null : .string((agent.deactivatedBy ?? .administrator).rawValue),
            "status": .string(agent.status(at: now).rawValue), "is_active": .bool(agent.isActive),
            "organization_id": agent.organizationID.map(JSONValue.string) ?? .null, "team_id": agent.teamID.map(JSONValue.string) ?? .null,
            "created_at": timestamp(agent.createdAt), "updated_at": timestamp(agent.updatedAt),
            "expires_at": agent.expiresAt.map(timestamp) ?? .null,
            "token_count": .int(usage.tokenCount), "refresh_count": .int(usage.refreshCount),
            "failed_auth_count": .int(usage.failedAuthCount),
            "last_token_at": usage.lastTokenAt.map(timestamp) ?? .null,
            "last_activity_at": usage.lastActivityAt.map(timestamp) ?? .null,
        ]
        if let managedBy = agent.managedBy { view["managed_by"] = .string(managedBy) }
        // RFC 8705 §2.1.2: only the one subject field the agent registered.
        if let subject = agent.tlsClientAuthSubject { view[subject.kind.metadataName] = .string(subject.value) }
        return .object(view)
    }

    /// RFC 3339 UTC with seconds.
    static func timestamp(_ date: Date) -> JSONValue {
        .string(TimestampFormat.string(date, milliseconds: false))
    }
}
