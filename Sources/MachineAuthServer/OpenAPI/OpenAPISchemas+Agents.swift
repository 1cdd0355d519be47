extension OpenAPIResponses {
    /// Component schemas: admin sessions and agents.
    static let agentsSchemas = #"""
    {
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
          "failed_auth_count", "last_token_at", "last_activity_at", "allowed_audiences", "deactivated_by",
          "token_endpoint_auth_method", "jwks", "jwks_uri", "dpop_bound_access_tokens", "tls_client_certificate_bound_access_tokens"
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
          "token_endpoint_auth_method": {"type": "string"},
          "jwks": {"type": ["object", "null"], "description": "The public keys of a private_key_jwt client; for self_signed_tls_client_auth each key carries its certificate in x5c."},
          "jwks_uri": {"type": ["string", "null"], "description": "Where a private_key_jwt client publishes its keys (instead of jwks)."},
          "tls_client_auth_subject_dn": {"type": "string", "description": "RFC 8705 §2.1.2: a tls_client_auth agent's expected certificate subject DN (RFC 4514); present only when registered."},
          "tls_client_auth_san_dns": {"type": "string", "description": "RFC 8705 §2.1.2: the dNSName SAN a tls_client_auth agent's certificate carries; present only when registered."},
          "tls_client_auth_san_uri": {"type": "string", "description": "RFC 8705 §2.1.2: the URI SAN a tls_client_auth agent's certificate carries; present only when registered."},
          "tls_client_auth_san_ip": {"type": "string", "description": "RFC 8705 §2.1.2: the iPAddress SAN a tls_client_auth agent's certificate carries; present only when registered."},
          "tls_client_auth_san_email": {"type": "string", "description": "RFC 8705 §2.1.2: the rfc822Name SAN a tls_client_auth agent's certificate carries; present only when registered."},
          "dpop_bound_access_tokens": {"type": "boolean", "description": "RFC 9449 §5.2: only DPoP-bound access tokens are issued to this client."},
          "tls_client_certificate_bound_access_tokens": {"type": "boolean", "description": "RFC 8705 §3.4: only certificate-bound access tokens are issued to this client."},
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
      }
    }
    """#
}
