/** Token endpoint, introspection and userinfo answers. */
import { type JSONObject, bool, epochDate, num, optionalText, strings, text } from "../json.js";

/** An RFC 6749 §5.1 token response; `refreshToken` is there when the server issues one. */
export interface Token {
  accessToken: string;
  tokenType: string;
  expiresIn: number;
  /** The granted scopes, space-separated. */
  scope: string;
  scopes: string[];
  refreshToken: string | null;
}

export function parseToken(data: JSONObject): Token {
  const scope = text(data, "scope");
  return {
    accessToken: text(data, "access_token"), tokenType: text(data, "token_type", "Bearer"),
    expiresIn: num(data, "expires_in"), scope, scopes: scope.split(" ").filter(Boolean),
    refreshToken: optionalText(data, "refresh_token"),
  };
}

/**
 * An RFC 7662 answer. For a token that is not active (revoked, expired, unknown, or not the
 * caller's) only `active` is false and everything else is empty.
 */
export interface Introspection {
  active: boolean;
  tokenType: string | null;
  scope: string;
  scopes: string[];
  clientId: string | null;
  agentId: string | null;
  subject: string | null;
  audience: string[];
  issuer: string | null;
  expiresAt: Date | null;
  issuedAt: Date | null;
  jti: string | null;
  /** Every field of the answer. */
  claims: JSONObject;
}

export function parseIntrospection(data: JSONObject): Introspection {
  const scope = text(data, "scope");
  return {
    active: bool(data, "active"), tokenType: optionalText(data, "token_type"), scope, scopes: scope.split(" ").filter(Boolean),
    clientId: optionalText(data, "client_id"), agentId: optionalText(data, "agent_id"), subject: optionalText(data, "sub"),
    audience: strings(data, "aud"), issuer: optionalText(data, "iss"), expiresAt: epochDate(data, "exp"),
    issuedAt: epochDate(data, "iat"), jti: optionalText(data, "jti"), claims: data,
  };
}

/** `/oauth/userinfo`: the calling agent's profile. */
export interface UserInfo {
  subject: string;
  clientId: string;
  agentId: string;
  name: string;
  scope: string;
  status: string;
  orgId: string | null;
  teamId: string | null;
}

export const parseUserInfo = (data: JSONObject): UserInfo => ({
  subject: text(data, "sub"), clientId: text(data, "client_id"), agentId: text(data, "agent_id"), name: text(data, "name"),
  scope: text(data, "scope"), status: text(data, "status"), orgId: optionalText(data, "org_id"), teamId: optionalText(data, "team_id"),
});
