extension OpenAPIResponses {
    /// Component schemas: trusted issuers of workload identity federation (``TrustedIssuerView``).
    static let federationSchemas = #"""
    {
      "IdentityRule": {
        "type": "object",
        "description": "Which outside identities become which agent: every condition (globs) must hold.",
        "required": ["subject", "claims", "agent", "scopes"],
        "properties": {
          "subject": {"type": ["string", "null"]},
          "claims": {"type": "object", "additionalProperties": {"type": "string"}},
          "agent": {"type": "string"},
          "scopes": {"type": ["array", "null"], "items": {"type": "string"}}
        }
      },
      "TrustedIssuer": {
        "type": "object",
        "description": "An outside token issuer the jwt-bearer grant trusts (Kubernetes, GitHub Actions, SPIFFE, any OIDC).",
        "required": [
          "id", "name", "issuer", "preset", "audiences", "jwks_uri", "jwks", "trust_domain", "single_use", "max_token_lifetime", "rules",
          "created_at", "updated_at"
        ],
        "properties": {
          "id": {"type": "string"},
          "name": {"type": ["string", "null"]},
          "issuer": {"type": "string"},
          "preset": {"enum": ["kubernetes", "github_actions", "spiffe", null]},
          "audiences": {"type": "array", "items": {"type": "string"}},
          "jwks_uri": {"type": ["string", "null"]},
          "jwks": {"type": ["object", "null"]},
          "trust_domain": {"type": ["string", "null"]},
          "single_use": {"type": ["boolean", "null"]},
          "max_token_lifetime": {"type": ["integer", "null"]},
          "rules": {"type": "array", "items": {"$ref": "#/components/schemas/IdentityRule"}},
          "created_at": {"type": ["string", "null"], "format": "date-time"},
          "updated_at": {"type": ["string", "null"], "format": "date-time"}
        }
      },
      "TrustedIssuerEnvelope": {
        "type": "object",
        "required": ["trusted_issuer"],
        "properties": {"trusted_issuer": {"$ref": "#/components/schemas/TrustedIssuer"}}
      },
      "TrustedIssuerList": {
        "type": "object",
        "required": ["trusted_issuers"],
        "properties": {"trusted_issuers": {"type": "array", "items": {"$ref": "#/components/schemas/TrustedIssuer"}}}
      }
    }
    """#
}
