/** Organizations, teams and organization API keys. */
import { type JSONObject, date, num, obj, optionalDate, optionalText, text } from "../json.js";

/** A tenant: agents, teams, API keys and webhooks belong to one. */
export interface Organization {
  id: string;
  name: string;
  slug: string;
  ownerEmail: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export const parseOrganization = (data: JSONObject): Organization => ({
  id: text(data, "id"), name: text(data, "name"), slug: text(data, "slug"), ownerEmail: optionalText(data, "owner_email"),
  createdAt: date(data, "created_at"), updatedAt: date(data, "updated_at"),
});

export const parseOrganizationEnvelope = (data: JSONObject): Organization => parseOrganization(obj(data, "organization"));

/** A deleted organization; `agentsDeleted` counts the agents a cascade took with it. */
export interface OrganizationDeleted {
  id: string;
  agentsDeleted: number;
  message: string;
}

export const parseOrganizationDeleted = (data: JSONObject): OrganizationDeleted => ({
  id: text(data, "id"), agentsDeleted: num(data, "agents_deleted"), message: text(data, "message"),
});

/** A group of agents inside an organization. */
export interface Team {
  id: string;
  organizationId: string;
  name: string;
  description: string;
  createdAt: Date;
  updatedAt: Date;
}

export const parseTeam = (data: JSONObject): Team => ({
  id: text(data, "id"), organizationId: text(data, "organization_id"), name: text(data, "name"),
  description: text(data, "description"), createdAt: date(data, "created_at"), updatedAt: date(data, "updated_at"),
});

export const parseTeamEnvelope = (data: JSONObject): Team => parseTeam(obj(data, "team"));

/** An organization API key (its `prefix`, never its value); `status`: active, expired, revoked. */
export interface APIKey {
  id: string;
  organizationId: string;
  name: string;
  prefix: string;
  status: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

export const parseAPIKey = (data: JSONObject): APIKey => ({
  id: text(data, "id"), organizationId: text(data, "organization_id"), name: text(data, "name"), prefix: text(data, "prefix"),
  status: text(data, "status"), createdAt: date(data, "created_at"), lastUsedAt: optionalDate(data, "last_used_at"),
  expiresAt: optionalDate(data, "expires_at"), revokedAt: optionalDate(data, "revoked_at"),
});

export const parseAPIKeyEnvelope = (data: JSONObject): APIKey => parseAPIKey(obj(data, "api_key"));

/** A new API key with its `sk_…` value, shown only this once. */
export interface APIKeyCreated {
  apiKey: APIKey;
  key: string;
  message: string;
}

export const parseAPIKeyCreated = (data: JSONObject): APIKeyCreated => ({
  apiKey: parseAPIKeyEnvelope(data), key: text(data, "key"), message: text(data, "message"),
});
