/// What the gateway tells the upstream about an allowed caller, as response headers the proxy
/// copies onto the forwarded request.
public enum IdentityHeaders {
    /// oauth2-proxy style names and MachineAuth's own.
    public static let defaults: [String: String] = [
        "X-Auth-Request-User": "client_id",
        "X-Auth-Request-Preferred-Username": "agent_name",
        "X-Auth-Request-Email": "metadata:email",
        "X-Auth-Request-Groups": "scopes_csv",
        "X-Agent-Id": "agent_id",
        "X-Client-Id": "client_id",
        "X-Org-Id": "org_id",
        "X-Team-Id": "team_id",
        "X-Scopes": "scopes",
    ]

    static let fixedSources: Set<String> = [
        "client_id", "agent_id", "agent_name", "sub", "org_id", "team_id", "org_slug", "scopes", "scopes_csv", "api_key_id",
    ]
    static let sourcesDescription = "client_id, agent_id, agent_name, sub, org_id, team_id, org_slug, scopes, scopes_csv, api_key_id, claim:NAME, metadata:KEY"

    static func isKnownSource(_ source: String) -> Bool {
        fixedSources.contains(source) || (source.hasPrefix("claim:") && source.count > 6) || (source.hasPrefix("metadata:") && source.count > 9)
    }
}
