/** Organization API keys through the admin API: `client.admin.apiKeys`. */
import { fields, path } from "../call.js";
import { listReader } from "../models/common.js";
import { type APIKey, type APIKeyCreated, parseAPIKey, parseAPIKeyCreated, parseAPIKeyEnvelope } from "../models/tenancy.js";
import type { Transport } from "../transport.js";

export class APIKeys {
  constructor(private readonly transport: Transport) {}

  /** The organization's API keys (prefix, dates and status; never the keys). */
  list(organizationId: string): Promise<APIKey[]> {
    return this.transport.send({
      method: "GET", path: path`/api/organizations/${organizationId}/api-keys`, parse: listReader("api_keys", parseAPIKey), auth: "admin",
    });
  }

  /**
   * Creates an API key; the result's `key` (`sk_…`) is shown only this once. Pass it as `apiKey` to a
   * client to act for the organization.
   */
  create(organizationId: string, key: { name: string; expiresIn?: number; expiresAt?: Date | string }): Promise<APIKeyCreated> {
    return this.transport.send({
      method: "POST", path: path`/api/organizations/${organizationId}/api-keys`, parse: parseAPIKeyCreated, auth: "admin",
      json: fields({ name: key.name, expires_in: key.expiresIn, expires_at: key.expiresAt }),
    });
  }

  /** Revokes an API key at once. */
  revoke(organizationId: string, keyId: string): Promise<APIKey> {
    return this.transport.send({
      method: "DELETE", path: path`/api/organizations/${organizationId}/api-keys/${keyId}`, parse: parseAPIKeyEnvelope, auth: "admin",
    });
  }
}
