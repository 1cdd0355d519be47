/** The signing key ring (owner only): `client.admin.keys`. */
import { type KeyRing, parseKeyRing } from "../models/admin.js";
import type { Transport } from "../transport.js";

export class SigningKeys {
  constructor(private readonly transport: Transport) {}

  /** The key ring: the active key and the retired ones still published. */
  list(): Promise<KeyRing> {
    return this.transport.send({ method: "GET", path: "/api/keys", parse: parseKeyRing, auth: "admin" });
  }

  /** Signs with a new key from now on; the old one stays in the JWKS until its tokens expire. */
  rotate(): Promise<KeyRing> {
    return this.transport.send({ method: "POST", path: "/api/keys/rotate", parse: parseKeyRing, auth: "admin" });
  }
}
