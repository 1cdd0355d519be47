/** Client credentials (client id and secret) and how they go on the wire. */
import type { DPoPKey } from "./dpop.js";
import { ConfigurationError } from "./errors.js";
import type { WorkloadIdentity } from "./federation.js";
import type { PrivateKeyCredentials } from "./privateKey.js";

/** What an agent authenticates with: a secret or a signing key (`private_key_jwt`). */
export type AgentCredentials = ClientCredentials | PrivateKeyCredentials;

/**
 * A secret, or a function returning the current one (read from a file, a vault, the environment).
 * A function is called for every token request, so a secret rotated elsewhere is picked up on the
 * next re-authentication without rebuilding the client.
 */
export type SecretSource = string | (() => string | Promise<string>);

/** An agent's OAuth client id and secret. */
export class ClientCredentials {
  /** A true private field, so logging the credentials never prints the secret. */
  readonly #secret: SecretSource;

  constructor(readonly clientId: string, secret: SecretSource) {
    this.#secret = secret;
  }

  /** The secret to authenticate with now. */
  async currentSecret(): Promise<string> {
    return typeof this.#secret === "function" ? await this.#secret() : this.#secret;
  }

  /** The same client with another secret (after a rotation). */
  withSecret(secret: string): ClientCredentials {
    return new ClientCredentials(this.clientId, secret);
  }

  /**
   * The `Authorization` header for `client_secret_basic`: both parts form-urlencoded before base64,
   * as RFC 6749 §2.3.1 requires.
   */
  async basicAuthorization(): Promise<string> {
    const encode = (value: string) => new URLSearchParams({ v: value }).toString().slice(2);
    const pair = `${encode(this.clientId)}:${encode(await this.currentSecret())}`;
    return `Basic ${base64(new TextEncoder().encode(pair))}`;
  }
}

/** Standard base64 of bytes, on every runtime (no Buffer). */
export function base64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** The credentials a client sends, shared by its API namespaces and its transport. */
export class ClientState {
  private readonly listeners: (() => void)[] = [];

  constructor(
    public credentials: AgentCredentials | null,
    public adminToken: string | null,
    /** The platform token the agent's tokens are exchanged for (workload identity federation). */
    readonly workload: WorkloadIdentity | null = null,
    /** The DPoP key token requests prove possession of (`null`: bearer tokens). */
    readonly dpop: Promise<DPoPKey> | null = null,
    /** The issuer URL when given: the base of proof `htu`s (else the client's `baseUrl`). */
    readonly issuer: string | undefined = undefined,
  ) {}

  /** Calls `listener` whenever the agent's credentials change. */
  onCredentialsChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** Uses `secret` from now on (after the agent rotated its own secret) and tells the listeners. */
  replaceSecret(secret: string): void {
    const current = this.requireCredentials();
    if (!(current instanceof ClientCredentials)) throw new ConfigurationError("this agent signs client assertions (private_key_jwt): it has no secret to replace");
    this.credentials = current.withSecret(secret);
    for (const listener of this.listeners) listener();
  }

  /** The agent's credentials, or a `ConfigurationError` naming what is missing. */
  requireCredentials(): AgentCredentials {
    if (this.credentials === null && this.workload !== null) {
      throw new ConfigurationError("this call needs client credentials; a workload exchanging a platform token has none (use an admin session or an API key)");
    }
    if (this.credentials === null) throw new ConfigurationError("this call needs the agent's clientId with its clientSecret or privateKey, or a platform token (assertionFile, assertionProvider)");
    return this.credentials;
  }

  /** The admin bearer (a session token or an sk_ API key), or a `ConfigurationError`. */
  requireAdminToken(): string {
    if (this.adminToken === null) {
      throw new ConfigurationError("this call needs administrator credentials: call admin.login(), or pass adminToken or apiKey");
    }
    return this.adminToken;
  }
}
