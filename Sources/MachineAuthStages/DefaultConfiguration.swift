/// The embedded default pipeline: a byte-for-byte copy of `config/machineauth.yaml`
/// (a test keeps the two identical; `scripts/embed-default-config` refreshes it),
/// so `swift run machineauth` needs no files.
public enum DefaultConfiguration {
    public static let yaml = #"""
    # MachineAuth pipeline configuration — the embedded default (zero setup).
    #
    # Every value can come from the environment: ${VAR} or ${VAR:-default}. A .env file beside
    # this file (or in the working directory for the embedded copy) is read too. Validate a
    # change with `machineauth config check FILE`; see the effective values with `config show`.

    server:
      host: "${HOST:-0.0.0.0}"
      port: "${PORT:-8080}"
      environment: "${ENV:-development}"          # production refuses the default admin password
      issuer: "${ISSUER:-}"                        # empty: http://localhost:<port>
      allowed_origins: "${ALLOWED_ORIGINS:-http://localhost:3000}"
      require_https: "${REQUIRE_HTTPS:-false}"
      trusted_proxies: "${TRUSTED_PROXIES:-127.0.0.1,::1}"
      # Mutual TLS (RFC 8705) behind a TLS-terminating proxy: the header in which a proxy among
      # trusted_proxies passes the client certificate it verified, as nginx's $ssl_client_escaped_cert
      # (e.g. X-SSL-Client-Cert). Empty: off, the header is never read.
      client_certificate_header: "${CLIENT_CERTIFICATE_HEADER:-}"
      # How the proxy writes it: nginx ($ssl_client_escaped_cert, URL-escaped PEM) or envoy-xfcc
      # (Envoy's x-forwarded-client-cert: the Cert of the last element).
      client_certificate_format: "${CLIENT_CERTIFICATE_FORMAT:-nginx}"
      max_body_bytes: 1048576

    admin:
      email: "${ADMIN_EMAIL:-admin@example.com}"
      password: "${ADMIN_PASSWORD:-changeme}"
      session_ttl: 1h

    tokens:
      algorithm: "${JWT_SIGNING_ALGORITHM:-RS256}"   # RS256, ES256 or EdDSA
      key_id: "${JWT_KEY_ID:-key-1}"
      access_token_ttl: "${JWT_ACCESS_TOKEN_EXPIRY:-3600}"
      refresh_token_ttl: 30d
      # No refresh token with client_credentials (RFC 6749 §4.4.3: the client asks again with its
      # credentials). Clients of the original project that expect one and use the refresh_token
      # grant: set REFRESH_TOKENS_FOR_CLIENT_CREDENTIALS=true.
      refresh_tokens_for_client_credentials: "${REFRESH_TOKENS_FOR_CLIENT_CREDENTIALS:-false}"

    security:
      secret_hash_key: "${SECRET_HASH_KEY:-}"       # empty: generated once and kept in storage
      allow_insecure_issuers: "${ALLOW_INSECURE_ISSUERS:-false}"  # true: http and private-address issuer/JWKS URLs (development and tests only)

    storage:
      url: "${DATABASE_URL:-json:machineauth.json}"  # json:PATH or postgres://…

    # Stages run in the order written. Remove one and its behaviour is gone
    # (no refresh_token grant: no refresh tokens and no refresh grant).
    authenticators:
      - type: client_secret            # client_secret_basic and client_secret_post
      - type: private_key_jwt          # RFC 7523 client assertions signed with the agent's registered keys (jwks)
      - type: tls_client_auth          # RFC 8705 client certificates (tls_client_auth, self_signed_tls_client_auth); needs client_certificate_header
      - type: api_key                  # organization API keys (sk_…) for the API and token validation

    grants:                            # the grant_type values /oauth/token answers
      - type: client_credentials       # RFC 6749 §4.4
      - type: refresh_token            # rotating refresh tokens, replay revokes the grant
      - type: jwt_bearer               # RFC 7523 workload identity federation: tokens from trusted issuers
        issuers: []                    # declared here or through /api/trusted-issuers (README: Workload identity federation)

    # DPoP (RFC 9449): a token request with a DPoP proof gets an access token bound to the proof's
    # key (token_type DPoP, cnf.jkt); resources accept it only as "Authorization: DPoP" with a fresh
    # proof. Remove the section to ignore DPoP headers (every token a bearer token).
    dpop:
      type: dpop
      required: "${DPOP_REQUIRED:-false}"          # true: every access token must be DPoP-bound
      nonce: "${DPOP_NONCE:-false}"                # true: token requests need a server nonce (use_dpop_nonce)
      max_age: 5m                                  # how old (iat) a proof may be; its jti is remembered that long

    enrichers:
      - type: org_team                 # org_id, team_id and org_slug claims

    notifiers:
      - type: audit                    # GET /api/audit-logs
        retention: 90d
      - type: webhooks                 # signed deliveries from a durable outbox (/api/webhooks)
        workers: "${WEBHOOK_WORKER_COUNT:-3}"
        max_retries: "${WEBHOOK_MAX_RETRIES:-10}"
        timeout: "${WEBHOOK_TIMEOUT_SECS:-10}"
        retry_initial_delay: "${WEBHOOK_RETRY_INITIAL_DELAY:-1s}"
        allow_private_targets: "${WEBHOOK_ALLOW_PRIVATE_TARGETS:-false}"
    """#
}
