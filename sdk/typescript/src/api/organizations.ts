/** Organizations through the admin API: `client.admin.organizations`. */
import { fields, path, query } from "../call.js";
import type { Agent, AgentCreated } from "../models/agents.js";
import { parseAgentCreated } from "../models/agents.js";
import { type Page, pageReader } from "../models/common.js";
import {
  type Organization, type OrganizationDeleted, parseOrganization, parseOrganizationDeleted, parseOrganizationEnvelope,
} from "../models/tenancy.js";
import type { Transport } from "../transport.js";
import { type AgentFields, type AgentFilters, agentBody, agentQuery, parseAgentPage } from "./agents.js";

export class Organizations {
  constructor(private readonly transport: Transport) {}

  /** Organizations the caller may see. */
  list(options: { page?: number; limit?: number } = {}): Promise<Page<Organization>> {
    return this.transport.send({
      method: "GET", path: "/api/organizations", parse: pageReader("organizations", parseOrganization), auth: "admin",
      query: query({ page: options.page, limit: options.limit }),
    });
  }

  /** One organization. */
  get(organizationId: string): Promise<Organization> {
    return this.transport.send({ method: "GET", path: path`/api/organizations/${organizationId}`, parse: parseOrganizationEnvelope, auth: "admin" });
  }

  /** Creates an organization; `slug` is a lowercase DNS label. */
  create(organization: { name: string; slug: string; ownerEmail?: string }): Promise<Organization> {
    return this.transport.send({
      method: "POST", path: "/api/organizations", parse: parseOrganizationEnvelope, auth: "admin",
      json: fields({ name: organization.name, slug: organization.slug, owner_email: organization.ownerEmail }),
    });
  }

  /** Changes the given fields; `ownerEmail: null` clears the owner. */
  update(organizationId: string, changes: { name?: string; slug?: string; ownerEmail?: string | null }): Promise<Organization> {
    return this.transport.send({
      method: "PATCH", path: path`/api/organizations/${organizationId}`, parse: parseOrganizationEnvelope, auth: "admin",
      json: fields({ name: changes.name, slug: changes.slug, owner_email: changes.ownerEmail }),
    });
  }

  /** Deletes an organization; with `cascade` also its teams, agents and API keys. */
  delete(organizationId: string, options: { cascade?: boolean } = {}): Promise<OrganizationDeleted> {
    return this.transport.send({
      method: "DELETE", path: path`/api/organizations/${organizationId}`, parse: parseOrganizationDeleted, auth: "admin",
      query: options.cascade ? { cascade: "true" } : undefined,
    });
  }

  /** The organization's agents. */
  listAgents(organizationId: string, filters: Omit<AgentFilters, "organizationId"> = {}): Promise<Page<Agent>> {
    return this.transport.send({
      method: "GET", path: path`/api/organizations/${organizationId}/agents`, parse: parseAgentPage, auth: "admin",
      query: agentQuery(filters),
    });
  }

  /** Creates an agent in the organization (see `agents.create`). */
  createAgent(organizationId: string, agent: AgentFields & { name: string }): Promise<AgentCreated> {
    return this.transport.send({
      method: "POST", path: path`/api/organizations/${organizationId}/agents`, parse: parseAgentCreated, auth: "admin",
      json: agentBody(agent),
    });
  }
}
