/** Agents through the admin API: `client.admin.agents`. */
import { fields, path, query } from "../call.js";
import type { JSONObject } from "../json.js";
import {
  type Agent, type AgentCreated, type AgentRotated, parseAgent, parseAgentCreated, parseAgentEnvelope, parseAgentRotated,
} from "../models/agents.js";
import { type Deleted, type Page, pageReader, parseDeleted } from "../models/common.js";
import type { Transport } from "../transport.js";

/** What an agent is created or changed with; `null` clears `expiresIn`/`expiresAt`/`teamId`. */
export interface AgentFields {
  description?: string;
  /** The scopes it may request. */
  scopes?: readonly string[];
  tags?: readonly string[];
  /** String values, used by claim enrichers. */
  metadata?: Record<string, string>;
  /** `client_credentials` and/or `refresh_token`. */
  grantTypes?: readonly string[];
  /** Audiences (resource indicators) it may ask tokens for; default the deployment's. */
  allowedAudiences?: readonly string[];
  /** Seconds until the agent itself expires. */
  expiresIn?: number | null;
  expiresAt?: Date | string | null;
  teamId?: string | null;
  /** `client_secret_basic` (default) or `private_key_jwt` (then `jwks` holds its public keys; no secret is made). */
  tokenEndpointAuthMethod?: "client_secret_basic" | "private_key_jwt";
  /** The public keys of a `private_key_jwt` agent: `{ keys: [jwk, …] }`, each with a `kid`. */
  jwks?: JSONObject;
  /** Only ever DPoP-bound tokens for this agent (RFC 9449 §5.2): a token request without a proof is refused. */
  dpopBoundAccessTokens?: boolean;
}

/** Filters of agent lists. */
export interface AgentFilters {
  q?: string;
  status?: string;
  organizationId?: string;
  teamId?: string;
  scope?: string;
  page?: number;
  limit?: number;
}

export function agentBody(values: AgentFields & { name?: string; organizationId?: string }): JSONObject {
  return fields({
    name: values.name, organization_id: values.organizationId, description: values.description, scopes: values.scopes,
    tags: values.tags, metadata: values.metadata, grant_types: values.grantTypes, allowed_audiences: values.allowedAudiences,
    expires_in: values.expiresIn, expires_at: values.expiresAt, team_id: values.teamId,
    token_endpoint_auth_method: values.tokenEndpointAuthMethod, jwks: values.jwks, dpop_bound_access_tokens: values.dpopBoundAccessTokens,
  });
}

export function agentQuery(filters: AgentFilters): Record<string, string> {
  return query({
    q: filters.q, status: filters.status, organization_id: filters.organizationId, team_id: filters.teamId, scope: filters.scope,
    page: filters.page, limit: filters.limit,
  });
}

export const parseAgentPage = pageReader("agents", parseAgent);

export class Agents {
  constructor(private readonly transport: Transport) {}

  /** Agents the caller may see, filtered by text `q`, `status`, organization, team or scope. */
  list(filters: AgentFilters = {}): Promise<Page<Agent>> {
    return this.transport.send({ method: "GET", path: "/api/agents", parse: parseAgentPage, auth: "admin", query: agentQuery(filters) });
  }

  /** One agent by id. */
  get(agentId: string): Promise<Agent> {
    return this.transport.send({ method: "GET", path: path`/api/agents/${agentId}`, parse: parseAgentEnvelope, auth: "admin" });
  }

  /** Creates an agent; the result holds its `clientSecret`, shown only this once. */
  create(agent: AgentFields & { name: string; organizationId?: string }): Promise<AgentCreated> {
    return this.transport.send({ method: "POST", path: "/api/agents", parse: parseAgentCreated, auth: "admin", json: agentBody(agent) });
  }

  /** Changes the given fields (`PATCH`); `null` clears `expiresIn`/`expiresAt`/`teamId`. */
  update(agentId: string, changes: AgentFields & { name?: string }): Promise<Agent> {
    return this.transport.send({
      method: "PATCH", path: path`/api/agents/${agentId}`, parse: parseAgentEnvelope, auth: "admin", json: agentBody(changes),
    });
  }

  /** Deletes an agent; its tokens stop working. */
  delete(agentId: string): Promise<Deleted> {
    return this.transport.send({ method: "DELETE", path: path`/api/agents/${agentId}`, parse: parseDeleted, auth: "admin" });
  }

  /** A new secret; `gracePeriodSeconds` keeps the old one working that long (default 0). */
  rotate(agentId: string, options: { gracePeriodSeconds?: number } = {}): Promise<AgentRotated> {
    return this.transport.send({
      method: "POST", path: path`/api/agents/${agentId}/rotate`, parse: parseAgentRotated, auth: "admin",
      json: fields({ grace_period_seconds: options.gracePeriodSeconds }),
    });
  }

  /** Deactivates an agent: its tokens stop working until an administrator reactivates it. */
  deactivate(agentId: string): Promise<Agent> {
    return this.transport.send({ method: "POST", path: path`/api/agents/${agentId}/deactivate`, parse: parseAgentEnvelope, auth: "admin" });
  }

  /** Reactivates a deactivated agent. */
  reactivate(agentId: string): Promise<Agent> {
    return this.transport.send({ method: "POST", path: path`/api/agents/${agentId}/reactivate`, parse: parseAgentEnvelope, auth: "admin" });
  }
}
