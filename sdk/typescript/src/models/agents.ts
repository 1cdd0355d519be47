/** Agents as the admin API and the agents themselves see them. */
import { type JSONObject, bool, date, num, obj, optionalDate, optionalText, stringMap, strings, text } from "../json.js";

/**
 * An OAuth client of MachineAuth (never its secret). `status` is `active`, `inactive` or `expired`;
 * `deactivatedBy` is `self` or `administrator` for an inactive agent.
 */
export interface Agent {
  id: string;
  name: string;
  clientId: string;
  description: string;
  scopes: string[];
  grantTypes: string[];
  allowedAudiences: string[];
  tags: string[];
  metadata: Record<string, string>;
  status: string;
  isActive: boolean;
  organizationId: string | null;
  teamId: string | null;
  createdAt: Date;
  updatedAt: Date;
  expiresAt: Date | null;
  tokenCount: number;
  refreshCount: number;
  failedAuthCount: number;
  lastTokenAt: Date | null;
  lastActivityAt: Date | null;
  deactivatedBy: string | null;
  /** `client_secret_basic` or `private_key_jwt`. */
  tokenEndpointAuthMethod: string;
  /** Whether the agent only ever gets DPoP-bound tokens. */
  dpopBoundAccessTokens: boolean;
  /** The agent as the server sent it. */
  raw: JSONObject;
}

export const parseAgent = (data: JSONObject): Agent => ({
  id: text(data, "id"), name: text(data, "name"), clientId: text(data, "client_id"), description: text(data, "description"),
  scopes: strings(data, "scopes"), grantTypes: strings(data, "grant_types"), allowedAudiences: strings(data, "allowed_audiences"),
  tags: strings(data, "tags"), metadata: stringMap(data, "metadata"), status: text(data, "status"), isActive: bool(data, "is_active"),
  organizationId: optionalText(data, "organization_id"), teamId: optionalText(data, "team_id"), createdAt: date(data, "created_at"),
  updatedAt: date(data, "updated_at"), expiresAt: optionalDate(data, "expires_at"), tokenCount: num(data, "token_count"),
  refreshCount: num(data, "refresh_count"), failedAuthCount: num(data, "failed_auth_count"),
  lastTokenAt: optionalDate(data, "last_token_at"), lastActivityAt: optionalDate(data, "last_activity_at"),
  deactivatedBy: optionalText(data, "deactivated_by"),
  tokenEndpointAuthMethod: text(data, "token_endpoint_auth_method", "client_secret_basic"),
  dpopBoundAccessTokens: data.dpop_bound_access_tokens === true, raw: data,
});

/** The agent of an `{"agent": {...}, ...}` answer. */
export const parseAgentEnvelope = (data: JSONObject): Agent => parseAgent(obj(data, "agent"));

/** A new agent with its `clientSecret`, which the server shows only this once. */
export interface AgentCreated {
  agent: Agent;
  clientId: string;
  /** The secret, shown this once (empty for a `private_key_jwt` agent, which has none). */
  clientSecret: string;
  message: string;
}

export const parseAgentCreated = (data: JSONObject): AgentCreated => ({
  agent: parseAgentEnvelope(data), clientId: text(data, "client_id"), clientSecret: text(data, "client_secret"),
  message: text(data, "message"),
});

/**
 * A rotated secret. With a grace period the previous one works until `previousSecretExpiresAt`;
 * without, it and every token issued with it stop at once.
 */
export interface AgentRotated extends AgentCreated {
  gracePeriodSeconds: number;
  previousSecretExpiresAt: Date | null;
}

export const parseAgentRotated = (data: JSONObject): AgentRotated => ({
  ...parseAgentCreated(data), gracePeriodSeconds: num(data, "grace_period_seconds"),
  previousSecretExpiresAt: optionalDate(data, "previous_secret_expires_at"),
});

/** An agent's usage counters (including those not yet written to storage). */
export interface AgentUsage {
  agentId: string;
  clientId: string;
  tokenCount: number;
  refreshCount: number;
  failedAuthCount: number;
  lastTokenAt: Date | null;
  lastActivityAt: Date | null;
}

export const parseAgentUsage = (data: JSONObject): AgentUsage => ({
  agentId: text(data, "agent_id"), clientId: text(data, "client_id"), tokenCount: num(data, "token_count"),
  refreshCount: num(data, "refresh_count"), failedAuthCount: num(data, "failed_auth_count"),
  lastTokenAt: optionalDate(data, "last_token_at"), lastActivityAt: optionalDate(data, "last_activity_at"),
});
