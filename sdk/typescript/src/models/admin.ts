/** Administrator sessions and accounts, the audit trail, instance figures and the signing key ring. */
import { type JSONObject, date, num, obj, objects, optionalDate, optionalText, strings, text } from "../json.js";
import { type Organization, parseOrganization } from "./tenancy.js";

/** Who a session belongs to; `role` is owner, admin or viewer. */
export interface SessionUser {
  id: string;
  email: string;
  role: string;
}

const parseSessionUser = (data: JSONObject): SessionUser => ({
  id: text(data, "id"), email: text(data, "email"), role: text(data, "role"),
});

/**
 * An administrator session. The client sends `token` as a bearer token; `csrfToken` only matters to
 * browsers that use the session cookie instead.
 */
export interface Session {
  token: string;
  tokenType: string;
  expiresIn: number;
  expiresAt: Date;
  user: SessionUser;
  currentOrganizationId: string | null;
  csrfToken: string;
}

export const parseSession = (data: JSONObject): Session => ({
  token: text(data, "token"), tokenType: text(data, "token_type", "Bearer"), expiresIn: num(data, "expires_in"),
  expiresAt: date(data, "expires_at"), user: parseSessionUser(obj(data, "user")),
  currentOrganizationId: optionalText(data, "current_organization_id"), csrfToken: text(data, "csrf_token"),
});

/** The signed-in account, its session's expiry and the organizations it may work in. */
export interface AdminMe {
  user: SessionUser;
  expiresAt: Date;
  currentOrganizationId: string | null;
  organizations: Organization[];
}

export const parseAdminMe = (data: JSONObject): AdminMe => ({
  user: parseSessionUser(obj(data, "user")), expiresAt: date(data, "expires_at"),
  currentOrganizationId: optionalText(data, "current_organization_id"),
  organizations: objects(data, "organizations").map(parseOrganization),
});

/** An administrator account (role admin or viewer) and the organizations it belongs to. */
export interface User {
  id: string;
  email: string;
  name: string;
  role: string;
  organizationIds: string[];
  createdAt: Date;
  updatedAt: Date;
}

export const parseUser = (data: JSONObject): User => ({
  id: text(data, "id"), email: text(data, "email"), name: text(data, "name"), role: text(data, "role"),
  organizationIds: strings(data, "organization_ids"), createdAt: date(data, "created_at"), updatedAt: date(data, "updated_at"),
});

export const parseUserEnvelope = (data: JSONObject): User => parseUser(obj(data, "user"));

/** One audited operation: what (`action`), who (`actorType`/`actorId`), on what, how it went. */
export interface AuditRecord {
  id: string;
  time: Date;
  action: string;
  actorType: string;
  outcome: string;
  actorId: string | null;
  agentId: string | null;
  organizationId: string | null;
  targetType: string | null;
  targetId: string | null;
  ipAddress: string | null;
  userAgent: string | null;
  requestId: string | null;
  details: JSONObject;
}

export const parseAuditRecord = (data: JSONObject): AuditRecord => ({
  id: text(data, "id"), time: date(data, "time"), action: text(data, "action"), actorType: text(data, "actor_type"),
  outcome: text(data, "outcome"), actorId: optionalText(data, "actor_id"), agentId: optionalText(data, "agent_id"),
  organizationId: optionalText(data, "organization_id"), targetType: optionalText(data, "target_type"),
  targetId: optionalText(data, "target_id"), ipAddress: optionalText(data, "ip_address"),
  userAgent: optionalText(data, "user_agent"), requestId: optionalText(data, "request_id"), details: obj(data, "details"),
});

/** Instance-wide figures: agents by status, tokens issued/refreshed, failed authentications. */
export interface Stats {
  agents: { total: number; active: number; inactive: number; expired: number };
  tokens: { issued: number; refreshed: number; failedAuthentications: number; revokedActive: number };
  signing: { algorithm: string; keyId: string };
  storage: string;
  version: string;
}

export function parseStats(data: JSONObject): Stats {
  const agents = obj(data, "agents"), tokens = obj(data, "tokens"), signing = obj(data, "signing");
  return {
    agents: { total: num(agents, "total"), active: num(agents, "active"), inactive: num(agents, "inactive"), expired: num(agents, "expired") },
    tokens: {
      issued: num(tokens, "issued"), refreshed: num(tokens, "refreshed"),
      failedAuthentications: num(tokens, "failed_authentications"), revokedActive: num(tokens, "revoked_active"),
    },
    signing: { algorithm: text(signing, "algorithm"), keyId: text(signing, "key_id") },
    storage: text(data, "storage"), version: text(data, "version"),
  };
}

/** A key of the signing ring; a retired one stays published until `publishedUntil`. */
export interface SigningKey {
  kid: string;
  algorithm: string;
  status: string;
  createdAt: Date;
  retiredAt: Date | null;
  publishedUntil: Date | null;
}

/** The signing key ring and the kid tokens are signed with now. */
export interface KeyRing {
  keys: SigningKey[];
  activeKid: string;
}

export function parseKeyRing(data: JSONObject): KeyRing {
  const keys = objects(data, "keys").map((key) => ({
    kid: text(key, "kid"), algorithm: text(key, "algorithm"), status: text(key, "status"), createdAt: date(key, "created_at"),
    retiredAt: optionalDate(key, "retired_at"), publishedUntil: optionalDate(key, "published_until"),
  }));
  return { keys, activeKid: text(data, "active_kid") || (keys.find((key) => key.status === "active")?.kid ?? "") };
}
