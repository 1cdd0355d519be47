extension OpenAPIResponses {
    /// Component schemas: organizations, teams, API keys, users, audit and operations.
    static let tenancySchemas = #"""
    {
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
      "ProvisionResult": {
        "type": "object",
        "description": "What an apply did (or would do, with dry_run): the plan as machineauth apply prints it, and secrets generated for new objects, shown this once.",
        "required": ["plan", "dry_run", "changes", "secrets"],
        "properties": {
          "plan": {"type": "string"},
          "dry_run": {"type": "boolean"},
          "changes": {"type": "integer"},
          "secrets": {"type": "array", "items": {"type": "object", "required": ["kind", "name", "label", "value"], "properties": {
            "kind": {"type": "string"}, "name": {"type": "string"}, "label": {"type": "string"}, "value": {"type": "string"}}}}
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
      }
    }
    """#
}
