/** Teams of an organization through the admin API: `client.admin.teams`. */
import { fields, path } from "../call.js";
import { type Deleted, listReader, parseDeleted } from "../models/common.js";
import { type Team, parseTeam, parseTeamEnvelope } from "../models/tenancy.js";
import type { Transport } from "../transport.js";

export class Teams {
  constructor(private readonly transport: Transport) {}

  /** The organization's teams. */
  list(organizationId: string): Promise<Team[]> {
    return this.transport.send({ method: "GET", path: path`/api/organizations/${organizationId}/teams`, parse: listReader("teams", parseTeam), auth: "admin" });
  }

  /** One team. */
  get(organizationId: string, teamId: string): Promise<Team> {
    return this.transport.send({ method: "GET", path: path`/api/organizations/${organizationId}/teams/${teamId}`, parse: parseTeamEnvelope, auth: "admin" });
  }

  /** Creates a team. */
  create(organizationId: string, team: { name: string; description?: string }): Promise<Team> {
    return this.transport.send({
      method: "POST", path: path`/api/organizations/${organizationId}/teams`, parse: parseTeamEnvelope, auth: "admin",
      json: fields({ name: team.name, description: team.description }),
    });
  }

  /** Changes the given fields. */
  update(organizationId: string, teamId: string, changes: { name?: string; description?: string }): Promise<Team> {
    return this.transport.send({
      method: "PATCH", path: path`/api/organizations/${organizationId}/teams/${teamId}`, parse: parseTeamEnvelope, auth: "admin",
      json: fields({ name: changes.name, description: changes.description }),
    });
  }

  /** Deletes a team; its agents stay, without a team. */
  delete(organizationId: string, teamId: string): Promise<Deleted> {
    return this.transport.send({ method: "DELETE", path: path`/api/organizations/${organizationId}/teams/${teamId}`, parse: parseDeleted, auth: "admin" });
  }
}
