/** Public answers of the service: identity, readiness, RFC 8414 metadata, /api/verify. */
import { type JSONObject, bool, num, obj, optionalDate, optionalText, strings, text } from "../json.js";
import { type Agent, parseAgent } from "./agents.js";

/** `GET /`: the service's name, version and issuer. */
export interface ServiceInfo {
  service: string;
  version: string;
  issuer: string;
}

export const parseServiceInfo = (data: JSONObject): ServiceInfo => ({
  service: text(data, "service"), version: text(data, "version"), issuer: text(data, "issuer"),
});

/** `GET /health/ready`: storage answers, with agent counts. */
export interface Readiness {
  status: string;
  storage: string;
  agents: number;
  activeAgents: number;
}

export const parseReadiness = (data: JSONObject): Readiness => ({
  status: text(data, "status"), storage: text(data, "storage"), agents: num(data, "agents"), activeAgents: num(data, "active_agents"),
});

/** RFC 8414 authorization server metadata. */
export interface ServerMetadata {
  issuer: string;
  tokenEndpoint: string;
  jwksUri: string;
  introspectionEndpoint: string;
  revocationEndpoint: string;
  userinfoEndpoint: string;
  grantTypesSupported: string[];
  scopesSupported: string[];
  signingAlgorithms: string[];
  raw: JSONObject;
}

export const parseServerMetadata = (data: JSONObject): ServerMetadata => ({
  issuer: text(data, "issuer"), tokenEndpoint: text(data, "token_endpoint"), jwksUri: text(data, "jwks_uri"),
  introspectionEndpoint: text(data, "introspection_endpoint"), revocationEndpoint: text(data, "revocation_endpoint"),
  userinfoEndpoint: text(data, "userinfo_endpoint"), grantTypesSupported: strings(data, "grant_types_supported"),
  scopesSupported: strings(data, "scopes_supported"), signingAlgorithms: strings(data, "access_token_signing_alg_values_supported"),
  raw: data,
});

/**
 * `/api/verify`: what the server says a bearer token or API key is. `tokenType` is `access_token`
 * (with `agent`, `claims`, `scopes`) or `api_key` (with `apiKeyId` and `organizationId`).
 */
export interface RemoteVerification {
  valid: boolean;
  tokenType: string;
  agentId: string | null;
  clientId: string | null;
  scopes: string[];
  expiresAt: Date | null;
  claims: JSONObject;
  agent: Agent | null;
  apiKeyId: string | null;
  organizationId: string | null;
}

export function parseRemoteVerification(data: JSONObject): RemoteVerification {
  const agent = obj(data, "agent"), apiKey = obj(data, "api_key");
  return {
    valid: bool(data, "valid"), tokenType: text(data, "token_type"), agentId: optionalText(data, "agent_id"),
    clientId: optionalText(data, "client_id"), scopes: strings(data, "scopes"), expiresAt: optionalDate(data, "expires_at"),
    claims: obj(data, "claims"), agent: Object.keys(agent).length > 0 ? parseAgent(agent) : null,
    apiKeyId: optionalText(apiKey, "id"), organizationId: optionalText(data, "organization_id") ?? optionalText(apiKey, "organization_id"),
  };
}
