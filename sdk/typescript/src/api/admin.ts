/** The admin API: `client.admin` — sessions, the audit log, figures, and a namespace per object. */
import { fields, query } from "../call.js";
import { type AdminMe, type AuditRecord, type Session, type Stats, parseAdminMe, parseAuditRecord, parseSession, parseStats } from "../models/admin.js";
import { type Page, pageReader, parseMessage } from "../models/common.js";
import type { Transport } from "../transport.js";
import { Agents } from "./agents.js";
import { APIKeys } from "./apiKeys.js";
import { Organizations } from "./organizations.js";
import { SigningKeys } from "./signingKeys.js";
import { Teams } from "./teams.js";
import { Users } from "./users.js";
import { Webhooks } from "./webhooks.js";

/** Filters of the audit log. */
export interface AuditFilters {
  agentId?: string;
  /** An event type, or a prefix such as `token.*`. */
  action?: string;
  actor?: string;
  organizationId?: string;
  since?: Date | string;
  until?: Date | string;
  page?: number;
  limit?: number;
}

export class Admin {
  readonly agents: Agents;
  readonly organizations: Organizations;
  readonly teams: Teams;
  readonly apiKeys: APIKeys;
  readonly webhooks: Webhooks;
  readonly users: Users;
  readonly keys: SigningKeys;

  constructor(private readonly transport: Transport) {
    this.agents = new Agents(transport);
    this.organizations = new Organizations(transport);
    this.teams = new Teams(transport);
    this.apiKeys = new APIKeys(transport);
    this.webhooks = new Webhooks(transport);
    this.users = new Users(transport);
    this.keys = new SigningKeys(transport);
  }

  private keep = (session: Session): void => {
    this.transport.state.adminToken = session.token;
  };

  /**
   * Signs in as an administrator; later admin calls of this client use the session. Failed sign-ins
   * are rate limited per e-mail and address (429 with `Retry-After`).
   */
  login(email: string, password: string): Promise<Session> {
    return this.transport.send({ method: "POST", path: "/api/auth/login", parse: parseSession, auth: "none", json: { email, password }, after: this.keep });
  }

  /** Ends the session; the client forgets it. */
  logout(): Promise<string> {
    return this.transport.send({
      method: "POST", path: "/api/auth/logout", parse: parseMessage, auth: "admin",
      after: () => { this.transport.state.adminToken = null; },
    });
  }

  /** The signed-in account and the organizations it may work in. */
  me(): Promise<AdminMe> {
    return this.transport.send({ method: "GET", path: "/api/auth/me", parse: parseAdminMe, auth: "admin" });
  }

  /** A session working in another of the administrator's organizations (kept by the client). */
  switchOrganization(organizationId: string): Promise<Session> {
    return this.transport.send({
      method: "POST", path: "/api/auth/switch-org", parse: parseSession, auth: "admin", json: { organization_id: organizationId }, after: this.keep,
    });
  }

  /** Creates an administrator and their organization (when the server allows sign-up) and keeps the new session. */
  signup(account: { email: string; password: string; organizationName: string; name?: string; organizationSlug?: string }): Promise<Session> {
    return this.transport.send({
      method: "POST", path: "/api/auth/signup", parse: parseSession, auth: "none", after: this.keep,
      json: fields({
        email: account.email, password: account.password, organization_name: account.organizationName, name: account.name,
        organization_slug: account.organizationSlug,
      }),
    });
  }

  /** The audit trail, newest first. */
  auditLogs(filters: AuditFilters = {}): Promise<Page<AuditRecord>> {
    return this.transport.send({
      method: "GET", path: "/api/audit-logs", parse: pageReader("audit_logs", parseAuditRecord), auth: "admin",
      query: query({
        agent_id: filters.agentId, action: filters.action, actor: filters.actor, organization_id: filters.organizationId,
        from: filters.since, to: filters.until, page: filters.page, limit: filters.limit,
      }),
    });
  }

  /** Instance-wide figures (owner only). */
  stats(): Promise<Stats> {
    return this.transport.send({ method: "GET", path: "/api/stats", parse: parseStats, auth: "admin" });
  }
}
