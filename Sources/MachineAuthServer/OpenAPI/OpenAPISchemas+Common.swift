extension OpenAPIResponses {
    /// Component schemas: common and service responses (errors, pages, health).
    static let commonSchemas = #"""
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
      }
    }
    """#
}
