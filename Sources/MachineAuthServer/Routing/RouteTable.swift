public import HTTPTypes
import MachineAuthCore

/// Every route of the server with who may call it: the one authorization table. The router
/// registers exactly these (``RouteRegistrar`` refuses a handler that is not listed and a row
/// without a handler), the OpenAPI document and the README's API table are rendered from it,
/// and a test walks it with every kind of caller.
public enum RouteTable {
    public static let routes: [Route] = service + oauth + administration + agents + tenancy + webhooks + trustedIssuers + gateway + dashboard

    /// The JSON API: what `/openapi.json` documents (the dashboard's pages are for people).
    public static var apiRoutes: [Route] { routes.filter { $0.kind == .api } }

    static let service: [Route] = [
        Route(.get, "/", .anyone, "service name, version and issuer"),
        Route(.get, "/health", .anyone, "liveness"),
        Route(.get, "/health/ready", .anyone, "readiness: storage answers (503 when not)"),
        Route(.get, "/metrics", .anyone, "Prometheus metrics"),
        Route(.get, "/openapi.json", .anyone, "this API as an OpenAPI 3.1 document"),
        Route(.get, "/.well-known/jwks.json", .anyone, "signing keys (retired ones until their tokens expire)"),
        Route(.get, "/.well-known/oauth-authorization-server", .anyone, "RFC 8414 metadata"),
        Route(.get, "/.well-known/openid-configuration", .anyone, "the same metadata"),
        Route(.get, "/.well-known/oauth-protected-resource", .anyone, "RFC 9728 metadata of the protected resources"),
        Route(.get, "/.well-known/oauth-protected-resource/**", .anyone, "RFC 9728 metadata of a resource with a path"),
    ]

    static let oauth: [Route] = [
        Route(.post, "/oauth/token", .oauthClient, "client_credentials (scope, resource, audience) or refresh_token", form: RequestSchemas.tokenForm),
        Route(.post, "/oauth/refresh", .oauthClient, "alias of /oauth/token", form: RequestSchemas.tokenForm),
        Route(.post, "/oauth/introspect", .oauthClient, "RFC 7662; {\"active\": false} for anything not active or not the caller's", form: RequestSchemas.tokenQueryForm),
        Route(.post, "/oauth/revoke", .oauthClient, "RFC 7009: access tokens (denylist) and refresh tokens (whole grant); not viewers", form: RequestSchemas.tokenQueryForm),
        Route(.get, "/oauth/userinfo", .agentToken, "the agent's profile"),
        Route(.post, "/oauth/userinfo", .agentToken, "the agent's profile"),
    ]

    static let administration: [Route] = [
        Route(.post, "/api/auth/login", .anyone, "an admin session: bearer token, HttpOnly cookie and CSRF token", body: RequestSchemas.login),
        Route(.post, "/api/auth/logout", .adminSession, "ends the session", body: .empty),
        Route(.get, "/api/auth/me", .adminSession, "the account and its organizations"),
        Route(.post, "/api/auth/switch-org", .adminSession, "a session working in another organization", body: RequestSchemas.switchOrganization),
        Route(.post, "/api/auth/signup", .anyone, "a new administrator and organization, when admin.allow_signup is on", body: RequestSchemas.signup),
        Route(.get, "/api/users", .owner, "administrator accounts"),
        Route(.post, "/api/users", .owner, "creates an administrator (role admin or viewer)", body: RequestSchemas.createUser),
        Route(.patch, "/api/users/{id}", .owner, "changes an account; a new password ends its sessions", body: RequestSchemas.updateUser),
        Route(.delete, "/api/users/{id}", .owner, "deletes an account"),
        Route(.get, "/api/audit-logs", .adminRead, "the audit trail", query: [
            .string("agent_id"), .string("action", "an event type, or a prefix such as token.*"), .string("actor"),
            .string("organization_id"), .timestamp("from"), .timestamp("to"),
        ] + QueryParameter.paging),
        Route(.get, "/api/stats", .owner, "instance-wide figures"),
        Route(.get, "/api/keys", .owner, "the signing key ring"),
        Route(.post, "/api/keys/rotate", .owner, "a new signing key; the old one stays published until its tokens expire", body: .empty),
        Route(.get, "/api/provision/export", .owner, "the deployment as a provision file (YAML, no secrets), as machineauth export writes it"),
        Route(.post, "/api/provision", .owner, "applies a provision document (machineauth apply --server); generated secrets are returned once",
              body: RequestSchemas.provision),
    ]

    static let agents: [Route] = [
        Route(.get, "/api/agents", .orgRead, "agents the caller may see", query: QueryParameter.agentFilters),
        Route(.post, "/api/agents", .orgWrite, "creates an agent; the client_secret is returned once", body: RequestSchemas.createAgent),
        Route(.get, "/api/agents/{id}", .orgRead, "one agent"),
        Route(.patch, "/api/agents/{id}", .orgWrite, "changes an agent", body: RequestSchemas.updateAgent),
        Route(.put, "/api/agents/{id}", .orgWrite, "changes an agent", body: RequestSchemas.updateAgent),
        Route(.delete, "/api/agents/{id}", .orgWrite, "deletes an agent; its tokens stop working"),
        Route(.post, "/api/agents/{id}/rotate", .orgWrite, "a new secret; grace_period_seconds keeps the old one for a while", body: RequestSchemas.rotate),
        Route(.post, "/api/agents/{id}/deactivate", .orgWrite, "its tokens stop working; only an administrator can reactivate it", body: .empty),
        Route(.post, "/api/agents/{id}/reactivate", .orgWrite, "reactivates a deactivated agent", body: .empty),
        Route(.get, "/api/agents/me", .agentToken, "the calling agent"),
        Route(.get, "/api/agents/me/usage", .agentToken, "the calling agent's usage counters"),
        Route(.post, "/api/agents/me/rotate", .agentToken, "the agent rotates its own secret", body: RequestSchemas.rotate),
        Route(.post, "/api/agents/me/deactivate", .agentToken, "the agent deactivates itself", body: .empty),
        Route(.post, "/api/agents/me/reactivate", .oauthClient, "undoes the agent's own deactivation (client credentials)", form: RequestSchemas.clientForm),
        Route(.delete, "/api/agents/me", .agentToken, "the agent deletes itself"),
        Route(.delete, "/api/agents/me/delete", .agentToken, "alias of DELETE /api/agents/me"),
    ]

    static let tenancy: [Route] = [
        Route(.get, "/api/organizations", .orgRead, "organizations the caller may see", query: QueryParameter.paging),
        Route(.post, "/api/organizations", .adminWrite, "creates an organization", body: RequestSchemas.createOrganization),
        Route(.get, "/api/organizations/{id}", .orgRead, "one organization"),
        Route(.put, "/api/organizations/{id}", .adminWrite, "changes an organization", body: RequestSchemas.updateOrganization),
        Route(.patch, "/api/organizations/{id}", .adminWrite, "changes an organization", body: RequestSchemas.updateOrganization),
        Route(.delete, "/api/organizations/{id}", .adminWrite, "deletes an organization (?cascade=true with its agents)",
              query: [.boolean("cascade", "also delete its teams, agents and API keys")]),
        Route(.get, "/api/organizations/{id}/agents", .orgRead, "the organization's agents", query: QueryParameter.agentFilters),
        Route(.post, "/api/organizations/{id}/agents", .orgWrite, "creates an agent in the organization", body: RequestSchemas.createOrganizationAgent),
        Route(.get, "/api/organizations/{id}/teams", .orgRead, "the organization's teams"),
        Route(.post, "/api/organizations/{id}/teams", .orgWrite, "creates a team", body: RequestSchemas.createTeam),
        Route(.get, "/api/organizations/{id}/teams/{team_id}", .orgRead, "one team"),
        Route(.put, "/api/organizations/{id}/teams/{team_id}", .orgWrite, "changes a team", body: RequestSchemas.updateTeam),
        Route(.patch, "/api/organizations/{id}/teams/{team_id}", .orgWrite, "changes a team", body: RequestSchemas.updateTeam),
        Route(.delete, "/api/organizations/{id}/teams/{team_id}", .orgWrite, "deletes a team; its agents stay"),
        Route(.get, "/api/organizations/{id}/api-keys", .adminRead, "the organization's API keys (prefix, dates, status)"),
        Route(.post, "/api/organizations/{id}/api-keys", .adminWrite, "creates an API key; the sk_ value is returned once", body: RequestSchemas.createAPIKey),
        Route(.delete, "/api/organizations/{id}/api-keys/{key_id}", .adminWrite, "revokes an API key"),
    ]

    static let webhooks: [Route] = [
        Route(.get, "/api/webhook-events", .orgRead, "the event types"),
        Route(.get, "/api/webhooks", .orgRead, "webhooks the caller may see"),
        Route(.post, "/api/webhooks", .orgWrite, "subscribes; the signing secret is returned once", body: RequestSchemas.createWebhook),
        Route(.get, "/api/webhooks/{id}", .orgRead, "one webhook"),
        Route(.put, "/api/webhooks/{id}", .orgWrite, "changes a webhook", body: RequestSchemas.updateWebhook),
        Route(.patch, "/api/webhooks/{id}", .orgWrite, "changes a webhook", body: RequestSchemas.updateWebhook),
        Route(.delete, "/api/webhooks/{id}", .orgWrite, "deletes a webhook and its deliveries"),
        Route(.post, "/api/webhooks/{id}/rotate-secret", .orgWrite, "a new signing secret, returned once", body: .empty),
        Route(.post, "/api/webhooks/{id}/test", .orgWrite, "sends a webhook.test delivery now", body: RequestSchemas.testWebhook),
        Route(.get, "/api/webhooks/{id}/deliveries", .orgRead, "delivery history with every attempt", query: [
            .string("status", "pending, retrying, delivered, failed or dead"),
        ] + QueryParameter.paging),
    ]

    /// Workload identity federation: instance-wide (a rule may name any agent), so the owner's.
    static let trustedIssuers: [Route] = [
        Route(.get, "/api/trusted-issuers", .owner, "trusted issuers made through the API (those of the jwt_bearer YAML are not listed)"),
        Route(.post, "/api/trusted-issuers", .owner, "trusts an outside issuer's tokens for the jwt-bearer grant", body: RequestSchemas.createTrustedIssuer),
        Route(.get, "/api/trusted-issuers/{id}", .owner, "one trusted issuer"),
        Route(.patch, "/api/trusted-issuers/{id}", .owner, "changes the members given (null removes an optional one)", body: RequestSchemas.updateTrustedIssuer),
        Route(.delete, "/api/trusted-issuers/{id}", .owner, "stops trusting the issuer"),
    ]

    /// Forward-auth answers for every method the proxies forward, and token verification.
    static let gateway: [Route] = GatewayRoutes.methods.map { Route($0, "/gateway/check", .anyone, "forward-auth decision (nginx, Caddy, Traefik)") }
        + GatewayRoutes.methods.map { Route($0, "/gateway/check/**", .anyone, "forward-auth decision with the original path (Envoy)") }
        + [
        Route(.get, "/api/verify", .anyone, "checks a bearer token or API key and describes it"),
        Route(.post, "/api/verify", .anyone, "checks a bearer token or API key (also as a token form field)", form: RequestSchemas.verifyForm),
    ]

    /// The row for `method` and `path`, if there is one.
    public static func route(_ method: HTTPRequest.Method, _ path: String) -> Route? {
        routes.first { $0.method == method && $0.path == path }
    }
}
