extension OpenAPIResponses {
    /// Component schemas: OAuth, discovery and gateway responses.
    static let oauthSchemas = #"""
    {
      "Token": {
        "type": "object",
        "description": "RFC 6749 §5.1 access token response.",
        "required": ["access_token", "token_type", "expires_in", "scope"],
        "properties": {
          "access_token": {"type": "string"},
          "token_type": {"enum": ["Bearer", "DPoP"], "description": "DPoP when the request carried a DPoP proof (RFC 9449): the token is bound to its key (cnf.jkt)."},
          "expires_in": {"type": "integer"},
          "scope": {"type": "string"},
          "refresh_token": {"type": "string"}
        }
      },
      "Audience": {
        "description": "`aud`: one string, or a list when the token has several audiences.",
        "oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]
      },
      "AccessTokenClaims": {
        "type": "object",
        "description": "The claims of a JWT access token (RFC 9068): registered claims plus whatever the enrichers add.",
        "required": ["iss", "sub", "aud", "exp", "iat", "nbf", "jti", "client_id", "agent_id"],
        "properties": {
          "iss": {"type": "string"},
          "sub": {"type": "string"},
          "aud": {"$ref": "#/components/schemas/Audience"},
          "exp": {"type": "integer"},
          "iat": {"type": "integer"},
          "nbf": {"type": "integer"},
          "jti": {"type": "string"},
          "client_id": {"type": "string"},
          "agent_id": {"type": "string"},
          "scope": {"type": "string"}
        },
        "additionalProperties": true
      },
      "Introspection": {
        "type": "object",
        "description": "RFC 7662: {\"active\": false} and nothing else for a token that is not active or not the caller's; otherwise the token's claims with active and token_type (\"Bearer\", \"DPoP\" for a token bound to a key, whose cnf.jkt names it, or \"refresh_token\").",
        "required": ["active"],
        "properties": {
          "active": {"type": "boolean"},
          "token_type": {"type": "string"},
          "iss": {"type": "string"},
          "sub": {"type": "string"},
          "aud": {"$ref": "#/components/schemas/Audience"},
          "exp": {"type": "integer"},
          "iat": {"type": "integer"},
          "nbf": {"type": "integer"},
          "jti": {"type": "string"},
          "client_id": {"type": "string"},
          "agent_id": {"type": "string"},
          "scope": {"type": "string"}
        },
        "additionalProperties": true,
        "if": {"properties": {"active": {"const": true}}},
        "then": {"required": ["token_type", "iss", "sub", "exp", "iat", "client_id", "agent_id"]},
        "else": {"maxProperties": 1}
      },
      "UserInfo": {
        "type": "object",
        "required": ["sub", "client_id", "agent_id", "name", "scope", "status"],
        "properties": {
          "sub": {"type": "string"},
          "client_id": {"type": "string"},
          "agent_id": {"type": "string"},
          "name": {"type": "string"},
          "scope": {"type": "string"},
          "status": {"$ref": "#/components/schemas/AgentStatus"},
          "org_id": {"type": "string"},
          "team_id": {"type": "string"}
        }
      },
      "JWK": {
        "type": "object",
        "description": "A public signing key (RFC 7517): RSA (n, e), EC P-256 (crv, x, y) or OKP Ed25519 (crv, x).",
        "required": ["kid", "kty", "alg", "use"],
        "properties": {
          "kid": {"type": "string"},
          "kty": {"enum": ["RSA", "EC", "OKP"]},
          "alg": {"enum": ["RS256", "ES256", "EdDSA"]},
          "use": {"const": "sig"},
          "n": {"type": "string"},
          "e": {"type": "string"},
          "crv": {"enum": ["P-256", "Ed25519"]},
          "x": {"type": "string"},
          "y": {"type": "string"}
        }
      },
      "JWKS": {
        "type": "object",
        "required": ["keys"],
        "properties": {"keys": {"type": "array", "items": {"$ref": "#/components/schemas/JWK"}}}
      },
      "AuthorizationServerMetadata": {
        "type": "object",
        "description": "RFC 8414 metadata.",
        "required": [
          "issuer", "token_endpoint", "jwks_uri", "introspection_endpoint", "revocation_endpoint", "userinfo_endpoint",
          "grant_types_supported", "response_types_supported", "token_endpoint_auth_methods_supported",
          "introspection_endpoint_auth_methods_supported", "revocation_endpoint_auth_methods_supported",
          "access_token_signing_alg_values_supported", "scopes_supported"
        ],
        "properties": {
          "issuer": {"type": "string"},
          "token_endpoint": {"type": "string"},
          "jwks_uri": {"type": "string"},
          "introspection_endpoint": {"type": "string"},
          "revocation_endpoint": {"type": "string"},
          "userinfo_endpoint": {"type": "string"},
          "grant_types_supported": {"type": "array", "items": {"type": "string"}},
          "response_types_supported": {"type": "array", "items": {"type": "string"}},
          "token_endpoint_auth_methods_supported": {"type": "array", "items": {"type": "string"}},
          "introspection_endpoint_auth_methods_supported": {"type": "array", "items": {"type": "string"}},
          "revocation_endpoint_auth_methods_supported": {"type": "array", "items": {"type": "string"}},
          "access_token_signing_alg_values_supported": {"type": "array", "items": {"type": "string"}},
          "token_endpoint_auth_signing_alg_values_supported": {"type": "array", "items": {"type": "string"}},
          "dpop_signing_alg_values_supported": {"type": "array", "items": {"type": "string"}, "description": "RFC 9449: the algorithms DPoP proofs may be signed with (only with the dpop stage)."},
          "tls_client_certificate_bound_access_tokens": {"type": "boolean", "description": "RFC 8705 §3.3: tokens are bound to the client certificate a trusted proxy passes on (only with server.client_certificate_header)."},
          "scopes_supported": {"type": "array", "items": {"type": "string"}}
        }
      },
      "OpenIDConfiguration": {
        "description": "The RFC 8414 metadata with the two OpenID Connect Discovery fields it adds.",
        "allOf": [
          {"$ref": "#/components/schemas/AuthorizationServerMetadata"},
          {
            "type": "object",
            "required": ["subject_types_supported", "id_token_signing_alg_values_supported"],
            "properties": {
              "subject_types_supported": {"type": "array", "items": {"type": "string"}},
              "id_token_signing_alg_values_supported": {"type": "array", "items": {"type": "string"}}
            }
          }
        ]
      },
      "ProtectedResourceMetadata": {
        "type": "object",
        "description": "RFC 9728 metadata of a protected resource from gateway.protected_resources.",
        "required": ["resource", "authorization_servers", "bearer_methods_supported", "jwks_uri"],
        "properties": {
          "resource": {"type": "string"},
          "authorization_servers": {"type": "array", "items": {"type": "string"}},
          "bearer_methods_supported": {"type": "array", "items": {"type": "string"}},
          "jwks_uri": {"type": "string"},
          "scopes_supported": {"type": "array", "items": {"type": "string"}},
          "resource_name": {"type": "string"},
          "dpop_signing_alg_values_supported": {"type": "array", "items": {"type": "string"}},
          "tls_client_certificate_bound_access_tokens": {"type": "boolean"}
        }
      },
      "GatewayAllowed": {
        "type": "object",
        "description": "The forward-auth decision for an allowed request; the identity is in the response headers.",
        "required": ["allowed"],
        "properties": {"allowed": {"const": true}}
      },
      "VerifiedAPIKey": {
        "type": "object",
        "required": ["valid", "token_type", "api_key", "organization_id"],
        "properties": {
          "valid": {"const": true},
          "token_type": {"const": "api_key"},
          "api_key": {
            "type": "object",
            "required": ["id", "name", "organization_id"],
            "properties": {"id": {"type": "string"}, "name": {"type": "string"}, "organization_id": {"type": "string"}}
          },
          "organization_id": {"type": "string"}
        }
      },
      "VerifiedAccessToken": {
        "type": "object",
        "required": ["valid", "token_type", "agent_id", "client_id", "scopes", "expires_at", "claims", "agent"],
        "properties": {
          "valid": {"const": true},
          "token_type": {"const": "access_token"},
          "agent_id": {"type": "string"},
          "client_id": {"type": "string"},
          "scopes": {"type": "array", "items": {"type": "string"}},
          "expires_at": {"type": "string", "format": "date-time"},
          "claims": {"$ref": "#/components/schemas/AccessTokenClaims"},
          "agent": {"$ref": "#/components/schemas/Agent"}
        }
      },
      "VerifyResult": {
        "description": "GET/POST /api/verify: what the presented API key or access token is.",
        "oneOf": [{"$ref": "#/components/schemas/VerifiedAPIKey"}, {"$ref": "#/components/schemas/VerifiedAccessToken"}]
      }
    }
    """#
}
