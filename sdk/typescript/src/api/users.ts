/** Administrator accounts (owner only): `client.admin.users`. */
import { fields, path } from "../call.js";
import { type User, parseUser, parseUserEnvelope } from "../models/admin.js";
import { type Deleted, listReader, parseDeleted } from "../models/common.js";
import type { Transport } from "../transport.js";

export class Users {
  constructor(private readonly transport: Transport) {}

  /** Every administrator account. */
  list(): Promise<User[]> {
    return this.transport.send({ method: "GET", path: "/api/users", parse: listReader("users", parseUser), auth: "admin" });
  }

  /** Creates an administrator (`role` `admin`, the default, or `viewer`) of the organizations. */
  create(user: { email: string; password: string; name?: string; role?: "admin" | "viewer"; organizationIds?: readonly string[] }): Promise<User> {
    return this.transport.send({
      method: "POST", path: "/api/users", parse: parseUserEnvelope, auth: "admin",
      json: fields({ email: user.email, password: user.password, name: user.name, role: user.role, organization_ids: user.organizationIds }),
    });
  }

  /** Changes an account; a new password ends its sessions. */
  update(userId: string, changes: { name?: string; role?: "admin" | "viewer"; organizationIds?: readonly string[]; password?: string }): Promise<User> {
    return this.transport.send({
      method: "PATCH", path: path`/api/users/${userId}`, parse: parseUserEnvelope, auth: "admin",
      json: fields({ name: changes.name, role: changes.role, organization_ids: changes.organizationIds, password: changes.password }),
    });
  }

  /** Deletes an account. */
  delete(userId: string): Promise<Deleted> {
    return this.transport.send({ method: "DELETE", path: path`/api/users/${userId}`, parse: parseDeleted, auth: "admin" });
  }
}
