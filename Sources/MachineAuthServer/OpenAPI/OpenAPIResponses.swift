/// Success responses of every route for the OpenAPI document: JSON Schemas of the bodies the
/// routes render, written by reading the views (`HTTP/*View*.swift`, the route handlers).
///
/// `required` lists the fields a view always writes (a `nil` value is written as `null`, so the
/// field is still required, with `["string", "null"]`); fields written only sometimes
/// (`managed_by`, `refresh_token`, `previous_secret_expires_at`, …) are properties but not
/// required. Objects stay open (no `additionalProperties: false`) so adding a field never breaks
/// a client or the response-conformance check.
enum OpenAPIResponses {
    /// `components.schemas` of the document, in parts by area (parsed once when /openapi.json is first built).
    static let schemaParts = [commonSchemas, oauthSchemas, agentsSchemas, tenancySchemas, webhooksSchemas, federationSchemas]

    /// Per route, "METHOD /path" exactly as registered (path parameters in braces, e.g.
    /// "GET /api/agents/{id}", "POST /api/organizations/{id}/teams/{team_id}"): success status →
    /// schema name in `schemaParts` (or "" for a response without a JSON body, e.g. 304/204).
    static let routes: [String: [Int: String]] = [
        // HealthRoutes, OperationsRoutes (/metrics is Prometheus text), the document itself.
        // /health/ready also lists its 503, whose body is not an `Error`.
        // A browser (Accept: text/html before JSON) is sent to the dashboard.
        "GET /": [200: "ServiceInfo", 303: ""],
        "GET /health": [200: "Health"],
        "GET /health/ready": [200: "Readiness", 503: "ReadinessUnavailable"],
        "GET /metrics": [200: ""],
        "GET /api/provision/export": [200: ""],
        "POST /api/provision": [200: "ProvisionResult"],
        "GET /openapi.json": [200: "OpenAPIDocument"],

        // OAuthRoutes
        "POST /oauth/token": [200: "Token"],
        "POST /oauth/refresh": [200: "Token"],
        "POST /oauth/introspect": [200: "Introspection"],
        "POST /oauth/revoke": [200: "Empty"],
        "GET /oauth/userinfo": [200: "UserInfo"],
        "POST /oauth/userinfo": [200: "UserInfo"],

        // DiscoveryRoutes (the JWKS is application/jwk-set+json; 304 on a matching If-None-Match)
        "GET /.well-known/jwks.json": [200: "JWKS", 304: ""],
        "GET /.well-known/oauth-authorization-server": [200: "AuthorizationServerMetadata"],
        "GET /.well-known/openid-configuration": [200: "OpenIDConfiguration"],

        // AdminAuthRoutes
        "POST /api/auth/login": [200: "Session"],
        "POST /api/auth/logout": [200: "Message"],
        "GET /api/auth/me": [200: "AdminMe"],
        "POST /api/auth/switch-org": [200: "Session"],
        "POST /api/auth/signup": [201: "Session"],

        // SelfServiceRoutes
        "GET /api/agents/me": [200: "AgentEnvelope"],
        "GET /api/agents/me/usage": [200: "AgentUsage"],
        "POST /api/agents/me/rotate": [200: "AgentRotated"],
        "POST /api/agents/me/deactivate": [200: "AgentWithMessage"],
        "POST /api/agents/me/reactivate": [200: "AgentWithMessage"],
        "DELETE /api/agents/me": [200: "Deleted"],
        "DELETE /api/agents/me/delete": [200: "Deleted"],

        // AgentRoutes
        "GET /api/agents": [200: "AgentList"],
        "POST /api/agents": [201: "AgentCreated"],
        "GET /api/agents/{id}": [200: "AgentEnvelope"],
        "PATCH /api/agents/{id}": [200: "AgentWithMessage"],
        "PUT /api/agents/{id}": [200: "AgentWithMessage"],
        "DELETE /api/agents/{id}": [200: "Deleted"],
        "POST /api/agents/{id}/rotate": [200: "AgentRotated"],
        "POST /api/agents/{id}/deactivate": [200: "AgentWithMessage"],
        "POST /api/agents/{id}/reactivate": [200: "AgentWithMessage"],

        // OrganizationRoutes, TeamRoutes, APIKeyRoutes
        "GET /api/organizations": [200: "OrganizationList"],
        "POST /api/organizations": [201: "OrganizationEnvelope"],
        "GET /api/organizations/{id}": [200: "OrganizationEnvelope"],
        "PUT /api/organizations/{id}": [200: "OrganizationEnvelope"],
        "PATCH /api/organizations/{id}": [200: "OrganizationEnvelope"],
        "DELETE /api/organizations/{id}": [200: "OrganizationDeleted"],
        "GET /api/organizations/{id}/agents": [200: "AgentList"],
        "POST /api/organizations/{id}/agents": [201: "AgentCreated"],
        "GET /api/organizations/{id}/teams": [200: "TeamList"],
        "POST /api/organizations/{id}/teams": [201: "TeamEnvelope"],
        "GET /api/organizations/{id}/teams/{team_id}": [200: "TeamEnvelope"],
        "PUT /api/organizations/{id}/teams/{team_id}": [200: "TeamEnvelope"],
        "PATCH /api/organizations/{id}/teams/{team_id}": [200: "TeamEnvelope"],
        "DELETE /api/organizations/{id}/teams/{team_id}": [200: "Deleted"],
        "GET /api/organizations/{id}/api-keys": [200: "APIKeyList"],
        "POST /api/organizations/{id}/api-keys": [201: "APIKeyCreated"],
        "DELETE /api/organizations/{id}/api-keys/{key_id}": [200: "APIKeyRevoked"],

        // UserRoutes
        "GET /api/users": [200: "UserList"],
        "POST /api/users": [201: "UserEnvelope"],
        "PATCH /api/users/{id}": [200: "UserEnvelope"],
        "DELETE /api/users/{id}": [200: "Deleted"],

        // AuditRoutes, OperationsRoutes
        "GET /api/audit-logs": [200: "AuditLogList"],
        "GET /api/stats": [200: "Stats"],
        "GET /api/keys": [200: "SigningKeyList"],
        "POST /api/keys/rotate": [200: "SigningKeyRotation"],

        // GatewayRoutes: /gateway/check and /gateway/check/** for every method of GatewayRoutes.methods
        "GET /gateway/check": [200: "GatewayAllowed"],
        "HEAD /gateway/check": [200: "GatewayAllowed"],
        "POST /gateway/check": [200: "GatewayAllowed"],
        "PUT /gateway/check": [200: "GatewayAllowed"],
        "PATCH /gateway/check": [200: "GatewayAllowed"],
        "DELETE /gateway/check": [200: "GatewayAllowed"],
        "OPTIONS /gateway/check": [200: "GatewayAllowed"],
        "GET /gateway/check/{path}": [200: "GatewayAllowed"],
        "HEAD /gateway/check/{path}": [200: "GatewayAllowed"],
        "POST /gateway/check/{path}": [200: "GatewayAllowed"],
        "PUT /gateway/check/{path}": [200: "GatewayAllowed"],
        "PATCH /gateway/check/{path}": [200: "GatewayAllowed"],
        "DELETE /gateway/check/{path}": [200: "GatewayAllowed"],
        "OPTIONS /gateway/check/{path}": [200: "GatewayAllowed"],
        "GET /api/verify": [200: "VerifyResult"],
        "POST /api/verify": [200: "VerifyResult"],
        "GET /.well-known/oauth-protected-resource": [200: "ProtectedResourceMetadata"],
        "GET /.well-known/oauth-protected-resource/{path}": [200: "ProtectedResourceMetadata"],

        // WebhookRoutes
        "GET /api/webhook-events": [200: "WebhookEventList"],
        "GET /api/webhooks": [200: "WebhookList"],
        "POST /api/webhooks": [201: "WebhookWithSecret"],
        "GET /api/webhooks/{id}": [200: "WebhookEnvelope"],
        "PUT /api/webhooks/{id}": [200: "WebhookEnvelope"],
        "PATCH /api/webhooks/{id}": [200: "WebhookEnvelope"],
        "DELETE /api/webhooks/{id}": [200: "Deleted"],
        "POST /api/webhooks/{id}/rotate-secret": [200: "WebhookWithSecret"],
        "POST /api/webhooks/{id}/test": [200: "WebhookTestResult"],
        "GET /api/webhooks/{id}/deliveries": [200: "WebhookDeliveryList"],

        // TrustedIssuerRoutes
        "GET /api/trusted-issuers": [200: "TrustedIssuerList"],
        "POST /api/trusted-issuers": [201: "TrustedIssuerEnvelope"],
        "GET /api/trusted-issuers/{id}": [200: "TrustedIssuerEnvelope"],
        "PATCH /api/trusted-issuers/{id}": [200: "TrustedIssuerEnvelope"],
        "DELETE /api/trusted-issuers/{id}": [200: "Deleted"],
    ]
}
