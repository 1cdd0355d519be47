extension OpenAPIResponses {
    /// Component schemas: webhooks and their deliveries.
    static let webhooksSchemas = #"""
    {
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
}
