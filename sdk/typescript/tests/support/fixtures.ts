/** The servers the suites start and small helpers around them. */
import { after, before } from "node:test";
import { type AgentCreated, type AgentFields, type ClientOptions, MachineAuthClient } from "../../dist/index.js";
import { Server, type ServerOptions, unique } from "./server.js";

/** The main server: RS256, one-hour tokens, refresh tokens for client credentials, sign-up on, itself as a protected resource. */
export const MAIN: ServerOptions = {
  config: { "tokens.refresh_tokens_for_client_credentials": "true", "admin.allow_signup": "true" },
  extraConfig: '\ngateway:\n  protected_resources:\n    - resource: "${ISSUER}"\n',
  env: { WEBHOOK_ALLOW_PRIVATE_TARGETS: "true" },
};

/** Access tokens that live three seconds. */
export const SHORT: ServerOptions = { env: { JWT_ACCESS_TOKEN_EXPIRY: "3" } };

export const signing = (algorithm: string): ServerOptions => ({ env: { JWT_SIGNING_ALGORITHM: algorithm } });

/** A server (and an owner session on it) started before the file's tests and stopped after them. */
export interface Running {
  server: Server;
  admin: MachineAuthClient;
  /** Creates an agent: `newAgent({ scopes: [...], allowedAudiences: [...] })`. */
  newAgent(fields?: AgentFields): Promise<AgentCreated>;
  /** A client authenticating as `created`. */
  clientOf(created: AgentCreated, options?: ClientOptions): MachineAuthClient;
}

export function serve(options: ServerOptions): Running {
  const running = {} as Running;
  before(async () => {
    running.server = await Server.start(options);
    running.admin = await running.server.admin();
    running.newAgent = (fields = {}) => running.admin.admin.agents.create({ name: unique("agent"), scopes: ["read", "write"], ...fields });
    running.clientOf = (created, clientOptions = {}) =>
      new MachineAuthClient(running.server.base, { clientId: created.clientId, clientSecret: created.clientSecret, ...clientOptions });
  }, { timeout: 60_000 });
  after(async () => {
    await running.server?.stop();
  });
  return running;
}

/** Decoded JWT claims, unverified (for looking at what the server issued). */
export function claimsOf(token: string): Record<string, unknown> {
  const payload = token.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/");
  return JSON.parse(atob(payload + "===".slice((payload.length + 3) % 4))) as Record<string, unknown>;
}

/** Decoded JWT header, unverified. */
export function headerOf(token: string): Record<string, unknown> {
  const header = token.split(".")[0]!.replace(/-/g, "+").replace(/_/g, "/");
  return JSON.parse(atob(header + "===".slice((header.length + 3) % 4))) as Record<string, unknown>;
}

export const sleep = (seconds: number) => new Promise((done) => setTimeout(done, seconds * 1000));

/** The error a promise rejects with (failing the test when it resolves). */
export async function rejection<E>(promise: Promise<unknown>, kind: new (...args: never[]) => E): Promise<E> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof kind) return error;
    throw error;
  }
  throw new Error(`expected a ${kind.name}`);
}
