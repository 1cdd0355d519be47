/** What a verified access token says. */
import { type JSONObject, epochDate, optionalText, strings, text } from "../json.js";

/**
 * The claims of a verified access token (RFC 9068), typed; `claims` holds every claim, including
 * those an enricher added (`org_id`, `team_id`, custom ones).
 */
export interface VerifiedToken {
  subject: string;
  clientId: string;
  agentId: string;
  issuer: string;
  audience: string[];
  scopes: string[];
  expiresAt: Date | null;
  issuedAt: Date | null;
  jti: string | null;
  /** The agent's organization, when the `org_team` enricher is on. */
  orgId: string | null;
  /** The agent's team, when the `org_team` enricher is on. */
  teamId: string | null;
  claims: JSONObject;
  /** Whether the token grants every one of `scopes`. */
  hasScopes(...scopes: string[]): boolean;
}

export function verifiedToken(claims: JSONObject): VerifiedToken {
  const scopes = text(claims, "scope").split(" ").filter(Boolean);
  return {
    subject: text(claims, "sub"), clientId: text(claims, "client_id"), agentId: text(claims, "agent_id"), issuer: text(claims, "iss"),
    audience: strings(claims, "aud"), scopes, expiresAt: epochDate(claims, "exp"), issuedAt: epochDate(claims, "iat"),
    jti: optionalText(claims, "jti"), orgId: optionalText(claims, "org_id"), teamId: optionalText(claims, "team_id"), claims,
    hasScopes: (...wanted) => wanted.every((scope) => scopes.includes(scope)),
  };
}
