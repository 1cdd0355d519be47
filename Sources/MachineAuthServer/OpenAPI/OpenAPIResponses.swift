/// Success responses of every route for the OpenAPI document: JSON Schemas of the bodies the
/// routes render, written by reading the views (`HTTP/*View*.swift`, the route handlers).
///
/// `required` lists the fields a view always writes (a `nil` value is written as `null`, so the
/// field is still required, with `["string", "null"]`); fields written only sometimes
/// (`managed_by`, `refresh_token`, `previous_secret_expires_at`, …) are properties but not
/// required. Objects stay open (no `additionalProperties: false`) so adding a field never breaks
/// a client or the response-conformance check.
enum OpenAPIResponses {
    /// `components.schemas` of the document, as JSON text (parsed once when /openapi.json is first served).
    static let schemasJSON = #"""
    {
      "Error": {
        "type": "object",
        "description": "Every error: OAuth errors per RFC 6749 §5.2 / RFC 6750, REST errors with the field at fault (400).",
        "required": ["error", "error_description"],
        "properties": {
          "error": {"type": "string"},
          "error_description": {"type": "string"},
          "field": {"type": "string"}
        }
      },
      "Empty": {
        "type": "object",
        "description": "An empty JSON object (RFC 7009 revocation answers {} whatever the token was)."
      },
      "Message": {
        "type": "object",
        "required": ["message"],
        "properties": {"message": {"type": "string"}}
      },
      "Deleted": {
        "type": "object",
        "required": ["message", "id"],
        "properties": {"message": {"type": "string"}, "id": {"type": "string"}}
      },
      "OpenAPIDocument": {"type": "object"},
      "Pagination": {
        "type": "object",
        "required": ["total", "page", "limit", "total_pages"],
        "properties": {
          "total": {"type": "integer", "minimum": 0},
          "page": {"type": "integer", "minimum": 1},
          "limit": {"type": "integer", "minimum": 1},
          "total_pages": {"type": "integer", "minimum": 0}
        }
      },

      "ServiceInfo": {
        "type": "object",
        "required": ["service", "version", "issuer"],
        "properties": {"service": {"type": "string"}, "version": {"type": "string"}, "issuer": {"type": "string"}}
      },
      "Health": {
        "type": "object",
        "required": ["status", "version"],
        "properties": {"status": {"const": "ok"}, "version": {"type": "string"}}
      },
      "Readiness": {
        "type": "object",
        "required": ["status", "storage", "agents", "active_agents"],
        "properties": {
          "status": {"const": "ready"},
          "storage": {"type": "string"},
          "agents": {"type": "integer", "minimum": 0},
          "active_agents": {"type": "integer", "minimum": 0}
        }
      },
      "ReadinessUnavailable": {
        "type": "object",
        "description": "GET /health/ready when storage does not answer within 2 seconds (503).",
        "required": ["status", "storage", "error"],
        "properties": {"status": {"const": "unavailable"}, "storage": {"type": "string"}, "error": {"type": "string"}}
      },

      "Token": {
        "type": "object",
        "description": "RFC 6749 §5.1 access token response.",
        "required": ["access_token", "token_type", "expires_in", "scope"],
        "properties": {
          "access_token": {"type": "string"},
          "token_type": {"const": "Bearer"},
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
        "description": "RFC 7662: {\"active\": false} and nothing else for a token that is not active or not the caller's; otherwise the token's claims with active and token_type (\"Bearer\" or \"refresh_token\").",
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
          "resource_name": {"type": "string"}
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
      },

      "SessionUser": {
        "type": "object",
        "required": ["id", "email", "role"],
        "properties": {"id": {"type": "string"}, "email": {"type": "string"}, "role": {"$ref": "#/components/schemas/AdminRole"}}
      },
      "Session": {
        "type": "object",
        "description": "An administrator session (login, switch-org, signup); the token is also set as an HttpOnly cookie.",
        "required": ["token", "token_type", "expires_in", "expires_at", "user", "current_organization_id", "csrf_token"],
        "properties": {
          "token": {"type": "string"},
          "token_type": {"const": "Bearer"},
          "expires_in": {"type": "integer"},
          "expires_at": {"type": "string", "format": "date-time"},
          "user": {"$ref": "#/components/schemas/SessionUser"},
          "current_organization_id": {"type": ["string", "null"]},
          "csrf_token": {"type": "string"}
        }
      },
      "AdminMe": {
        "type": "object",
        "required": ["user", "expires_at", "current_organization_id", "organizations"],
        "properties": {
          "user": {"$ref": "#/components/schemas/SessionUser"},
          "expires_at": {"type": "string", "format": "date-time"},
          "current_organization_id": {"type": ["string", "null"]},
          "organizations": {"type": "array", "items": {"$ref": "#/components/schemas/Organization"}}
        }
      },

      "AgentStatus": {"enum": ["active", "inactive", "expired"]},
      "Agent": {
        "type": "object",
        "description": "An agent without its secret hashes; usage counters include those not yet flushed.",
        "required": [
          "id", "name", "description", "tags", "metadata", "client_id", "scopes", "grant_types", "status", "is_active",
          "organization_id", "team_id", "created_at", "updated_at", "expires_at", "token_count", "refresh_count",
          "failed_auth_count", "last_token_at", "last_activity_at", "allowed_audiences", "deactivated_by"
        ],
        "properties": {
          "id": {"type": "string"},
          "name": {"type": "string"},
          "description": {"type": "string"},
          "tags": {"type": "array", "items": {"type": "string"}},
          "metadata": {"type": "object", "additionalProperties": {"type": "string"}},
          "client_id": {"type": "string"},
          "scopes": {"type": "array", "items": {"type": "string"}},
          "grant_types": {"type": "array", "items": {"type": "string"}},
          "allowed_audiences": {"type": "array", "items": {"type": "string"}},
          "status": {"$ref": "#/components/schemas/AgentStatus"},
          "is_active": {"type": "boolean"},
          "deactivated_by": {"type": ["string", "null"], "enum": ["self", "administrator", null]},
          "organization_id": {"type": ["string", "null"]},
          "team_id": {"type": ["string", "null"]},
          "created_at": {"type": "string", "format": "date-time"},
          "updated_at": {"type": "string", "format": "date-time"},
          "expires_at": {"type": ["string", "null"], "format": "date-time"},
          "token_count": {"type": "integer", "minimum": 0},
          "refresh_count": {"type": "integer", "minimum": 0},
          "failed_auth_count": {"type": "integer", "minimum": 0},
          "last_token_at": {"type": ["string", "null"], "format": "date-time"},
          "last_activity_at": {"type": ["string", "null"], "format": "date-time"},
          "managed_by": {"type": "string", "description": "Set on agents created by provisioning."}
        }
      },
      "AgentEnvelope": {
        "type": "object",
        "required": ["agent"],
        "properties": {"agent": {"$ref": "#/components/schemas/Agent"}}
      },
      "AgentWithMessage": {
        "type": "object",
        "required": ["agent", "message"],
        "properties": {"agent": {"$ref": "#/components/schemas/Agent"}, "message": {"type": "string"}}
      },
      "AgentList": {
        "type": "object",
        "required": ["agents", "pagination"],
        "properties": {
          "agents": {"type": "array", "items": {"$ref": "#/components/schemas/Agent"}},
          "pagination": {"$ref": "#/components/schemas/Pagination"}
        }
      },
      "AgentCreated": {
        "type": "object",
        "description": "The new agent; client_secret is shown this once.",
        "required": ["agent", "client_id", "client_secret", "message"],
        "properties": {
          "agent": {"$ref": "#/components/schemas/Agent"},
          "client_id": {"type": "string"},
          "client_secret": {"type": ["string", "null"]},
          "message": {"type": "string"}
        }
      },
      "AgentRotated": {
        "type": "object",
        "description": "The new secret; previous_secret_expires_at only when grace_period_seconds > 0.",
        "required": ["agent", "client_id", "client_secret", "grace_period_seconds", "message"],
        "properties": {
          "agent": {"$ref": "#/components/schemas/Agent"},
          "client_id": {"type": "string"},
          "client_secret": {"type": "string"},
          "grace_period_seconds": {"type": "integer", "minimum": 0},
          "previous_secret_expires_at": {"type": "string", "format": "date-time"},
          "message": {"type": "string"}
        }
      },
      "AgentUsage": {
        "type": "object",
        "required": ["agent_id", "client_id", "token_count", "refresh_count", "failed_auth_count", "last_token_at", "last_activity_at"],
        "properties": {
          "agent_id": {"type": "string"},
          "client_id": {"type": "string"},
          "token_count": {"type": "integer", "minimum": 0},
          "refresh_count": {"type": "integer", "minimum": 0},
          "failed_auth_count": {"type": "integer", "minimum": 0},
          "last_token_at": {"type": ["string", "null"], "format": "date-time"},
          "last_activity_at": {"type": ["string", "null"], "format": "date-time"}
        }
      },

      "Organization": {
        "type": "object",
        "required": ["id", "name", "slug", "owner_email", "created_at", "updated_at"],
        "properties": {
          "id": {"type": "string"},
          "name": {"type": "string"},
          "slug": {"type": "string"},
          "owner_email": {"type": ["string", "null"]},
          "created_at": {"type": "string", "format": "date-time"},
          "updated_at": {"type": "string", "format": "date-time"}
        }
      },
      "OrganizationEnvelope": {
        "type": "object",
        "required": ["organization"],
        "properties": {"organization": {"$ref": "#/components/schemas/Organization"}}
      },
      "OrganizationList": {
        "type": "object",
        "required": ["organizations", "pagination"],
        "properties": {
          "organizations": {"type": "array", "items": {"$ref": "#/components/schemas/Organization"}},
          "pagination": {"$ref": "#/components/schemas/Pagination"}
        }
      },
      "OrganizationDeleted": {
        "type": "object",
        "required": ["message", "id", "agents_deleted"],
        "properties": {"message": {"type": "string"}, "id": {"type": "string"}, "agents_deleted": {"type": "integer", "minimum": 0}}
      },
      "Team": {
        "type": "object",
        "required": ["id", "organization_id", "name", "description", "created_at", "updated_at"],
        "properties": {
          "id": {"type": "string"},
          "organization_id": {"type": "string"},
          "name": {"type": "string"},
          "description": {"type": "string"},
          "created_at": {"type": "string", "format": "date-time"},
          "updated_at": {"type": "string", "format": "date-time"}
        }
      },
      "TeamEnvelope": {
        "type": "object",
        "required": ["team"],
        "properties": {"team": {"$ref": "#/components/schemas/Team"}}
      },
      "TeamList": {
        "type": "object",
        "required": ["teams"],
        "properties": {"teams": {"type": "array", "items": {"$ref": "#/components/schemas/Team"}}}
      },
      "APIKey": {
        "type": "object",
        "description": "An organization API key without its hash.",
        "required": ["id", "organization_id", "name", "prefix", "status", "created_at", "last_used_at", "expires_at", "revoked_at"],
        "properties": {
          "id": {"type": "string"},
          "organization_id": {"type": "string"},
          "name": {"type": "string"},
          "prefix": {"type": "string"},
          "status": {"enum": ["active", "expired", "revoked"]},
          "created_at": {"type": "string", "format": "date-time"},
          "last_used_at": {"type": ["string", "null"], "format": "date-time"},
          "expires_at": {"type": ["string", "null"], "format": "date-time"},
          "revoked_at": {"type": ["string", "null"], "format": "date-time"}
        }
      },
      "APIKeyList": {
        "type": "object",
        "required": ["api_keys"],
        "properties": {"api_keys": {"type": "array", "items": {"$ref": "#/components/schemas/APIKey"}}}
      },
      "APIKeyCreated": {
        "type": "object",
        "description": "The new key; the sk_… value is shown this once.",
        "required": ["api_key", "key", "message"],
        "properties": {"api_key": {"$ref": "#/components/schemas/APIKey"}, "key": {"type": "string"}, "message": {"type": "string"}}
      },
      "APIKeyRevoked": {
        "type": "object",
        "required": ["api_key", "message"],
        "properties": {"api_key": {"$ref": "#/components/schemas/APIKey"}, "message": {"type": "string"}}
      },
      "AdminRole": {"enum": ["owner", "admin", "viewer"]},
      "User": {
        "type": "object",
        "description": "An administrator account (never its password hash).",
        "required": ["id", "email", "name", "role", "organization_ids", "created_at", "updated_at"],
        "properties": {
          "id": {"type": "string"},
          "email": {"type": "string"},
          "name": {"type": "string"},
          "role": {"$ref": "#/components/schemas/AdminRole"},
          "organization_ids": {"type": "array", "items": {"type": "string"}},
          "created_at": {"type": "string", "format": "date-time"},
          "updated_at": {"type": "string", "format": "date-time"}
        }
      },
      "UserEnvelope": {
        "type": "object",
        "required": ["user"],
        "properties": {"user": {"$ref": "#/components/schemas/User"}}
      },
      "UserList": {
        "type": "object",
        "required": ["users"],
        "properties": {"users": {"type": "array", "items": {"$ref": "#/components/schemas/User"}}}
      },

      "AuditRecord": {
        "type": "object",
        "description": "One audited operation. Fields without a value are left out.",
        "required": ["id", "time", "action", "actor_type", "outcome", "details"],
        "properties": {
          "id": {"type": "string"},
          "time": {"type": "string", "format": "date-time"},
          "action": {"type": "string"},
          "actor_type": {"type": "string"},
          "actor_id": {"type": ["string", "null"]},
          "target_type": {"type": ["string", "null"]},
          "target_id": {"type": ["string", "null"]},
          "agent_id": {"type": ["string", "null"]},
          "organization_id": {"type": ["string", "null"]},
          "outcome": {"type": "string"},
          "ip_address": {"type": ["string", "null"]},
          "user_agent": {"type": ["string", "null"]},
          "request_id": {"type": ["string", "null"]},
          "details": {"type": "object", "additionalProperties": true}
        }
      },
      "AuditLogList": {
        "type": "object",
        "required": ["audit_logs", "pagination"],
        "properties": {
          "audit_logs": {"type": "array", "items": {"$ref": "#/components/schemas/AuditRecord"}},
          "pagination": {"$ref": "#/components/schemas/Pagination"}
        }
      },
      "Stats": {
        "type": "object",
        "required": ["agents", "tokens", "signing", "storage", "version"],
        "properties": {
          "agents": {
            "type": "object",
            "required": ["total", "active", "inactive", "expired"],
            "properties": {
              "total": {"type": "integer", "minimum": 0},
              "active": {"type": "integer", "minimum": 0},
              "inactive": {"type": "integer", "minimum": 0},
              "expired": {"type": "integer", "minimum": 0}
            }
          },
          "tokens": {
            "type": "object",
            "required": ["issued", "refreshed", "failed_authentications", "revoked_active"],
            "properties": {
              "issued": {"type": "integer", "minimum": 0},
              "refreshed": {"type": "integer", "minimum": 0},
              "failed_authentications": {"type": "integer", "minimum": 0},
              "revoked_active": {"type": "integer", "minimum": 0}
            }
          },
          "signing": {
            "type": "object",
            "required": ["algorithm", "key_id"],
            "properties": {"algorithm": {"enum": ["RS256", "ES256", "EdDSA"]}, "key_id": {"type": "string"}}
          },
          "storage": {"type": "string"},
          "version": {"type": "string"}
        }
      },
      "SigningKey": {
        "type": "object",
        "required": ["kid", "algorithm", "status", "created_at", "retired_at", "published_until"],
        "properties": {
          "kid": {"type": "string"},
          "algorithm": {"enum": ["RS256", "ES256", "EdDSA"]},
          "status": {"enum": ["active", "retired"]},
          "created_at": {"type": "string", "format": "date-time"},
          "retired_at": {"type": ["string", "null"], "format": "date-time"},
          "published_until": {"type": ["string", "null"], "format": "date-time"}
        }
      },
      "SigningKeyList": {
        "type": "object",
        "required": ["keys"],
        "properties": {"keys": {"type": "array", "items": {"$ref": "#/components/schemas/SigningKey"}}}
      },
      "SigningKeyRotation": {
        "type": "object",
        "description": "The key ring after a rotation, with the new signing key's kid.",
        "required": ["keys", "active_kid"],
        "properties": {
          "keys": {"type": "array", "items": {"$ref": "#/components/schemas/SigningKey"}},
          "active_kid": {"type": "string"}
        }
      },

      "Webhook": {
        "type": "object",
        "description": "A webhook subscription without its secret.",
        "required": [
          "id", "name", "url", "events", "organization_id", "team_id", "is_active", "max_retries", "retry_backoff_base",
          "consecutive_fails", "disabled_reason", "created_at", "updated_at", "last_tested_at"
        ],
        "properties": {
          "id": {"type": "string"},
          "name": {"type": "string"},
          "url": {"type": "string"},
          "events": {"type": "array", "items": {"type": "string"}},
          "organization_id": {"type": ["string", "null"]},
          "team_id": {"type": ["string", "null"]},
          "is_active": {"type": "boolean"},
          "max_retries": {"type": "integer", "minimum": 0},
          "retry_backoff_base": {"type": "number"},
          "consecutive_fails": {"type": "integer", "minimum": 0},
          "disabled_reason": {"type": ["string", "null"]},
          "created_at": {"type": "string", "format": "date-time"},
          "updated_at": {"type": "string", "format": "date-time"},
          "last_tested_at": {"type": ["string", "null"], "format": "date-time"}
        }
      },
      "WebhookEnvelope": {
        "type": "object",
        "required": ["webhook"],
        "properties": {"webhook": {"$ref": "#/components/schemas/Webhook"}}
      },
      "WebhookList": {
        "type": "object",
        "required": ["webhooks"],
        "properties": {"webhooks": {"type": "array", "items": {"$ref": "#/components/schemas/Webhook"}}}
      },
      "WebhookWithSecret": {
        "type": "object",
        "description": "A new or rotated webhook with its whsec_… signing secret, shown this once.",
        "required": ["webhook", "secret", "message"],
        "properties": {"webhook": {"$ref": "#/components/schemas/Webhook"}, "secret": {"type": "string"}, "message": {"type": "string"}}
      },
      "WebhookAttempt": {
        "type": "object",
        "required": ["at", "status_code", "latency_ms", "error"],
        "properties": {
          "at": {"type": "string", "format": "date-time"},
          "status_code": {"type": ["integer", "null"]},
          "latency_ms": {"type": "integer", "minimum": 0},
          "error": {"type": ["string", "null"]}
        }
      },
      "WebhookDelivery": {
        "type": "object",
        "description": "A delivery with its payload (the event JSON, or its text if it is not JSON) and every attempt.",
        "required": [
          "id", "webhook_id", "event", "event_id", "status", "attempts", "max_attempts", "created_at", "last_attempt_at",
          "next_attempt_at", "delivered_at", "last_status_code", "last_error", "payload", "attempt_history"
        ],
        "properties": {
          "id": {"type": "string"},
          "webhook_id": {"type": "string"},
          "event": {"type": "string"},
          "event_id": {"type": "string"},
          "status": {"enum": ["pending", "retrying", "delivered", "failed", "dead"]},
          "attempts": {"type": "integer", "minimum": 0},
          "max_attempts": {"type": "integer", "minimum": 0},
          "created_at": {"type": "string", "format": "date-time"},
          "last_attempt_at": {"type": ["string", "null"], "format": "date-time"},
          "next_attempt_at": {"type": ["string", "null"], "format": "date-time"},
          "delivered_at": {"type": ["string", "null"], "format": "date-time"},
          "last_status_code": {"type": ["integer", "null"]},
          "last_error": {"type": ["string", "null"]},
          "payload": {"type": ["object", "string"]},
          "attempt_history": {"type": "array", "items": {"$ref": "#/components/schemas/WebhookAttempt"}}
        }
      },
      "WebhookTestResult": {
        "type": "object",
        "required": ["delivery"],
        "properties": {"delivery": {"$ref": "#/components/schemas/WebhookDelivery"}}
      },
      "WebhookDeliveryList": {
        "type": "object",
        "required": ["deliveries", "pagination"],
        "properties": {
          "deliveries": {"type": "array", "items": {"$ref": "#/components/schemas/WebhookDelivery"}},
          "pagination": {"$ref": "#/components/schemas/Pagination"}
        }
      },
      "WebhookEventList": {
        "type": "object",
        "required": ["events"],
        "properties": {
          "events": {
            "type": "array",
            "items": {
              "type": "object",
              "required": ["type", "description"],
              "properties": {"type": {"type": "string"}, "description": {"type": "string"}}
            }
          }
        }
      }
    }
    """#

    /// Per route, "METHOD /path" exactly as registered (path parameters in braces, e.g.
    /// "GET /api/agents/{id}", "POST /api/organizations/{id}/teams/{team_id}"): success status →
    /// schema name in `schemasJSON` (or "" for a response without a JSON body, e.g. 304/204).
    static let routes: [String: [Int: String]] = [
        // HealthRoutes, OperationsRoutes (/metrics is Prometheus text), the document itself.
        // /health/ready also lists its 503, whose body is not an `Error`.
        "GET /": [200: "ServiceInfo"],
        "GET /health": [200: "Health"],
        "GET /health/ready": [200: "Readiness", 503: "ReadinessUnavailable"],
        "GET /metrics": [200: ""],
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
    ]
}
