import MachineAuthCore

/// The JSON bodies of the API: what ``JSONBody`` accepts and the OpenAPI document describes.
enum RequestSchemas {
    static let email: [String: JSONValue] = ["format": "email", "maxLength": 254]
    static let password: [String: JSONValue] = ["minLength": 12, "maxLength": 1024]
    static let name: [String: JSONValue] = ["minLength": 1, "maxLength": 255]
    static let slug: [String: JSONValue] = ["pattern": "^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$"]
    static let url: [String: JSONValue] = ["format": "uri", "pattern": "^https?://"]

    static let login = BodySchema([
        .string("email", required: true, "the owner's ADMIN_EMAIL or an administrator account"),
        .string("password", required: true),
    ])

    static let switchOrganization = BodySchema([
        .string("organization_id", "an organization the administrator belongs to"),
        .string("org_id", "alias of organization_id"),
    ])

    static let signup = BodySchema([
        .string("email", required: true).documenting(email), .string("password", required: true, "12 to 1024 characters").documenting(password),
        .string("name"), .string("organization_name", required: true).documenting(name),
        .string("organization_slug", "a lowercase DNS label; default: from the name").documenting(slug),
    ])

    /// Fields an agent can be created with; updates take the same except the placement.
    private static let agentFields: [BodySchema.Field] = [
        .string("description"), .strings("tags"), .strings("scopes", "scopes the agent may request"),
        .stringMap("metadata", "string values, used by claim enrichers"),
        .strings("grant_types", "client_credentials and/or refresh_token"),
        .strings("allowed_audiences", "audiences (resource indicators) the agent may request; default: tokens.allowed_audiences"),
        .integer("expires_in", InputLimits.lifetimeSeconds, nullable: true, "seconds until the agent expires; null removes the expiry"),
        .timestamp("expires_at", nullable: true, "when the agent expires; null removes the expiry"),
        .string("team_id", nullable: true),
        .string(
            "token_endpoint_auth_method",
            "client_secret_basic (default: a client secret), private_key_jwt (signed assertions, needs jwks or jwks_uri), tls_client_auth (a CA-issued client certificate, needs one tls_client_auth_* subject) or self_signed_tls_client_auth (a certificate registered in jwks x5c)"),
        .jwkSet(
            "jwks", nullable: true,
            "the public keys (JWK Set) private_key_jwt assertions are signed with: RSA, P-256 or Ed25519, each with a kid; for self_signed_tls_client_auth each key carries its certificate in x5c"),
        .string("jwks_uri", nullable: true, "instead of jwks: the https URL where the client publishes its JWK Set (fetched and cached by the server)"),
        .string("tls_client_auth_subject_dn", nullable: true, "RFC 8705 §2.1.2, with tls_client_auth: the certificate's subject DN (RFC 4514, e.g. CN=agent-a,O=Example)"),
        .string("tls_client_auth_san_dns", nullable: true, "with tls_client_auth: a dNSName SAN the certificate must carry"),
        .string("tls_client_auth_san_uri", nullable: true, "with tls_client_auth: a URI SAN the certificate must carry (e.g. spiffe://example.org/agent)"),
        .string("tls_client_auth_san_ip", nullable: true, "with tls_client_auth: an iPAddress SAN the certificate must carry"),
        .string("tls_client_auth_san_email", nullable: true, "with tls_client_auth: an rfc822Name SAN the certificate must carry"),
        .boolean("dpop_bound_access_tokens", "RFC 9449 §5.2: issue this client only DPoP-bound access tokens (token requests without a DPoP proof are refused)"),
        .boolean(
            "tls_client_certificate_bound_access_tokens",
            "RFC 8705 §3.4: issue this client only certificate-bound access tokens (token requests without a client certificate are refused)"),
    ]

    static let createAgent = BodySchema(
        [.string("name", required: true).documenting(name), .string("organization_id", "default: the caller's current organization")] + agentFields)
    static let createOrganizationAgent = BodySchema([.string("name", required: true).documenting(name)] + agentFields)
    static let updateAgent = BodySchema([.string("name").documenting(name)] + agentFields)

    static let rotate = BodySchema([
        .integer("grace_period_seconds", InputLimits.gracePeriodSeconds, "how long the old secret keeps working (default 0)"),
    ])

    static let createOrganization = BodySchema([
        .string("name", required: true).documenting(name), .string("slug", required: true, "a lowercase DNS label").documenting(slug),
        .string("owner_email").documenting(email),
    ])
    static let updateOrganization = BodySchema([
        .string("name").documenting(name), .string("slug").documenting(slug), .string("owner_email", nullable: true).documenting(email),
    ])

    static let createTeam = BodySchema([.string("name", required: true).documenting(name), .string("description")])
    static let updateTeam = BodySchema([.string("name").documenting(name), .string("description")])

    static let createAPIKey = BodySchema([
        .string("name", required: true).documenting(name),
        .integer("expires_in", InputLimits.lifetimeSeconds, "seconds until the key expires"),
        .timestamp("expires_at", "when the key expires"),
    ])

    static let provision = BodySchema([
        .string("document", required: true, "a provision file (YAML); include: and *_file: are refused, the server reads none of its files"),
        .stringMap("variables", "values for the ${NAME} and *_env names the document uses; the server's own environment is never read"),
        .boolean("dry_run", "the plan, without changing anything"),
    ])
    static let createUser = BodySchema([
        .string("email", required: true).documenting(email), .string("password", required: true, "12 to 1024 characters").documenting(password),
        .string("name"), .string("role", "admin (default) or viewer").documenting(["enum": ["admin", "viewer"]]), .strings("organization_ids"),
    ])
    static let updateUser = BodySchema([
        .string("name"), .string("role", "admin or viewer").documenting(["enum": ["admin", "viewer"]]), .strings("organization_ids"),
        .string("password", "a new password; ends the user's sessions").documenting(password),
    ])

    private static let webhookFields: [BodySchema.Field] = [
        .string("name").documenting(name), .strings("events", "event types or patterns such as agent.* or *"), .boolean("is_active"),
        .integer("max_retries", InputLimits.webhookRetries), .number("retry_backoff_base", 1...10),
    ]
    static let createWebhook = BodySchema(
        [.string("url", required: true, "an http(s) URL on a public address").documenting(url), .string("organization_id"), .string("team_id")]
            + webhookFields)
    static let updateWebhook = BodySchema([.string("url").documenting(url)] + webhookFields)
    static let testWebhook = BodySchema([.string("message")])

    /// One identity rule of a trusted issuer (``IdentityRule``'s JSON shape).
    static let identityRule = BodySchema([
        .string("subject", "a glob the token's sub must match (* any run of characters, ? one)"),
        .stringMap("claims", "globs other string claims must match (repository, environment, …)"),
        .string("agent", required: true, "the client_id of the agent the token is issued to"),
        .strings("scopes", "the most the token may carry; default: the agent's own scopes"),
    ])
    /// A trusted issuer's fields (``TrustedIssuer``'s JSON shape without the server's id and times).
    private static func trustedIssuerFields(creating: Bool) -> [BodySchema.Field] {
        [
            .string("name").documenting(name).orNull,
            .string("issuer", required: creating, "the exact iss of its tokens: an https URL without query or fragment").documenting(url),
            .string("preset", "kubernetes, github_actions or spiffe: checks the rules against that platform's token shape")
                .documenting(["enum": .array(FederationPreset.allCases.map { .string($0.rawValue) })]).orNull,
            .strings("audiences", "aud values its tokens may carry (one must be present); default: this server's issuer and token endpoint"),
            .string("jwks_uri", "where its JWK Set is; default: from its OIDC discovery document").documenting(url).orNull,
            .jwkSet("jwks", nullable: true, "its public keys, fixed, instead of fetching them (not with jwks_uri)"),
            .string("trust_domain", "the SPIFFE trust domain (preset spiffe only)").orNull,
            .boolean("single_use", "each token may be exchanged once (its jti remembered); default: true, false for kubernetes and spiffe").orNull,
            .integer("max_token_lifetime", TrustedIssuer.maxTokenLifetimeRange, nullable: true,
                     "the longest lifetime of a token accepted, in seconds (default 3600)"),
            .objects("rules", identityRule, required: creating, "which outside identities become which agent, tried in order"),
        ]
    }
    static let createTrustedIssuer = BodySchema(trustedIssuerFields(creating: true))
    static let updateTrustedIssuer = BodySchema(trustedIssuerFields(creating: false))

    // Form parameters of the OAuth-style endpoints (documented; unknown ones are ignored, RFC 6749 §3.1).
    private static let clientCredentials: [BodySchema.Field] = [
        .string("client_id", "with client_secret, or use HTTP Basic"), .string("client_secret"),
        .string("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer (private_key_jwt)"),
        .string("client_assertion", "a JWT the client signed with a registered key (private_key_jwt)"),
    ]
    static let tokenForm = BodySchema([
        .string("grant_type", required: true, "client_credentials, refresh_token or urn:ietf:params:oauth:grant-type:jwt-bearer (the registered grants)"),
        .string("scope", "space-separated"),
        .string("resource", "RFC 8707 resource indicator (repeatable)"), .string("audience"), .string("refresh_token"),
        .string("assertion", "jwt-bearer: the trusted issuer's JWT (workload identity federation)"),
    ] + clientCredentials)
    static let tokenQueryForm = BodySchema([.string("token", required: true), .string("token_type_hint")] + clientCredentials)
    static let clientForm = BodySchema(clientCredentials)
    static let verifyForm = BodySchema([.string("token", "when no Authorization header is sent")])
}
