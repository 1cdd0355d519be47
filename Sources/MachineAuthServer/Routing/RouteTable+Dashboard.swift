import HTTPTypes

extension RouteTable {
    /// The dashboard's pages: the same rules as the API they stand for, but only for people
    /// with an administrator session — reads for the owner, administrators and viewers, changes
    /// for the owner and administrators, users and signing keys for the owner. API keys and
    /// agents get 403; no credentials, a redirect to the sign-in page.
    static let dashboard: [Route] = [
        .page(.get, "/dashboard/login", .anyone, "dashboard: the sign-in form"),
        .page(.post, "/dashboard/login", .anyone, "dashboard: signs in (session cookie and CSRF token)"),
        .page(.post, "/dashboard/logout", .adminSession, "dashboard: signs out"),
        .page(.get, "/dashboard/assets/{file}", .anyone, "dashboard: the stylesheet and script (content-hashed names)"),
        .page(.get, "/dashboard", .adminSession, "dashboard: overview (health, figures, rates)"),
        .page(.get, "/dashboard/overview/live", .adminSession, "dashboard: the overview's figures, refreshed by its script"),
        .page(.get, "/dashboard/agents", .adminSession, "dashboard: agents (search, filters, pages)"),
        .page(.get, "/dashboard/agents/new", .adminWrite, "dashboard: the form for a new agent"),
        .page(.post, "/dashboard/agents", .adminWrite, "dashboard: creates an agent; shows its secret once"),
        .page(.get, "/dashboard/agents/{id}", .adminSession, "dashboard: one agent"),
        .page(.post, "/dashboard/agents/{id}/rotate", .adminWrite, "dashboard: a new secret (grace period); shown once"),
        .page(.post, "/dashboard/agents/{id}/deactivate", .adminWrite, "dashboard: deactivates an agent"),
        .page(.post, "/dashboard/agents/{id}/reactivate", .adminWrite, "dashboard: reactivates an agent"),
        .page(.get, "/dashboard/agents/{id}/delete", .adminWrite, "dashboard: asks to confirm a deletion"),
        .page(.post, "/dashboard/agents/{id}/delete", .adminWrite, "dashboard: deletes an agent"),
        .page(.get, "/dashboard/organizations", .adminSession, "dashboard: organizations"),
        .page(.post, "/dashboard/organizations", .adminWrite, "dashboard: creates an organization"),
        .page(.get, "/dashboard/organizations/{id}", .adminSession, "dashboard: an organization's teams, agents and API keys"),
        .page(.post, "/dashboard/organizations/{id}/teams", .adminWrite, "dashboard: creates a team"),
        .page(.post, "/dashboard/organizations/{id}/api-keys", .adminWrite, "dashboard: creates an API key; shows it once"),
        .page(.post, "/dashboard/organizations/{id}/api-keys/{key_id}/revoke", .adminWrite, "dashboard: revokes an API key"),
        .page(.get, "/dashboard/tokens", .adminSession, "dashboard: token tools"),
        .page(.post, "/dashboard/tokens/issue", .adminWrite, "dashboard: issues a token with client credentials"),
        .page(.post, "/dashboard/tokens/inspect", .adminSession, "dashboard: decodes and introspects a token"),
        .page(.post, "/dashboard/tokens/revoke", .adminWrite, "dashboard: revokes a token"),
        .page(.get, "/dashboard/webhooks", .adminSession, "dashboard: webhooks"),
        .page(.post, "/dashboard/webhooks", .adminWrite, "dashboard: creates a webhook; shows its secret once"),
        .page(.get, "/dashboard/webhooks/{id}", .adminSession, "dashboard: one webhook and its deliveries"),
        .page(.post, "/dashboard/webhooks/{id}", .adminWrite, "dashboard: changes a webhook"),
        .page(.post, "/dashboard/webhooks/{id}/test", .adminWrite, "dashboard: sends a test delivery"),
        .page(.post, "/dashboard/webhooks/{id}/rotate-secret", .adminWrite, "dashboard: a new signing secret; shown once"),
        .page(.post, "/dashboard/webhooks/{id}/delete", .adminWrite, "dashboard: deletes a webhook"),
        .page(.get, "/dashboard/audit", .adminRead, "dashboard: the audit trail with filters"),
        .page(.get, "/dashboard/metrics", .adminSession, "dashboard: the Prometheus series as charts and tables"),
        .page(.get, "/dashboard/keys", .owner, "dashboard: the signing key ring"),
        .page(.post, "/dashboard/keys/rotate", .owner, "dashboard: rotates the signing key"),
        .page(.get, "/dashboard/users", .owner, "dashboard: administrator accounts"),
        .page(.post, "/dashboard/users", .owner, "dashboard: creates an administrator"),
        .page(.post, "/dashboard/users/{id}/delete", .owner, "dashboard: deletes an administrator"),
        .page(.get, "/dashboard/gateway", .adminSession, "dashboard: the gateway's rules"),
        .page(.post, "/dashboard/gateway/check", .adminSession, "dashboard: would this request pass the gateway?"),
        .page(.get, "/dashboard/**", .anyone, "dashboard: any other address: a 404 page"),
    ]
}
