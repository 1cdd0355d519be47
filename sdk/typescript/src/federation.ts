/**
 * Workload identity federation (RFC 7523 §2.1, the `jwt-bearer` grant): the workload trades the token
 * its platform gave it — a Kubernetes projected service-account token, a GitHub Actions OIDC token,
 * a SPIFFE JWT-SVID — for access tokens. No client secret exists anywhere.
 *
 * ```ts
 * new MachineAuthClient(url, { assertionFile: "/var/run/secrets/machineauth/token" });
 * new MachineAuthClient(url, { assertionProvider: githubActionsToken({ audience: "https://auth.example.com" }) });
 * ```
 */
import { type Environment, processEnvironment } from "./env.js";
import { ConfigurationError, MachineAuthError } from "./errors.js";
import type { Fetch } from "./transport.js";

export const JWT_BEARER_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer";

/** A function returning the platform token to exchange now (called for every token request). */
export type AssertionProvider = () => string | Promise<string>;

/** The platform token a workload exchanges; the provider is asked for every token request, retries included. */
export class WorkloadIdentity {
  constructor(private readonly provider: AssertionProvider, readonly description = "assertionProvider") {}

  /** A token read from `path` anew for every token request (Kubernetes rewrites it); Node, Deno and Bun. */
  static fromFile(path: string): WorkloadIdentity {
    return new WorkloadIdentity(async () => {
      const specifier = "node:fs/promises";
      const fs = (await import(/* webpackIgnore: true */ /* @vite-ignore */ specifier)) as { readFile(path: string, encoding: "utf8"): Promise<string> };
      try {
        return (await fs.readFile(path, "utf8")).trim();
      } catch (error) {
        throw new ConfigurationError(`cannot read the assertion file ${path}: ${(error as { code?: string }).code ?? String(error)}`);
      }
    }, `assertionFile ${path}`);
  }

  /** The platform token to send now. */
  async assertion(): Promise<string> {
    const token = await this.provider();
    if (!token) throw new ConfigurationError(`the workload's ${this.description} gave an empty token`);
    return token;
  }

  /** The form parameters that replace `client_credentials` in a token request. */
  async grantParameters(): Promise<Record<string, string>> {
    return { grant_type: JWT_BEARER_GRANT, assertion: await this.assertion() };
  }
}

export interface GitHubActionsOptions {
  /** The ID token's `aud`: one of the trusted issuer's `audiences` on the server. */
  audience?: string;
  /** Default: the process environment. */
  env?: Environment;
  fetch?: Fetch;
}

/**
 * A provider that fetches a new GitHub Actions OIDC token for every token request from
 * `ACTIONS_ID_TOKEN_REQUEST_URL` with `ACTIONS_ID_TOKEN_REQUEST_TOKEN` (the job needs
 * `permissions: id-token: write`). GitHub's tokens are single-use at MachineAuth, so each exchange
 * needs its own.
 */
export function githubActionsToken(options: GitHubActionsOptions = {}): AssertionProvider {
  const send: Fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  return async () => {
    const env = options.env ?? processEnvironment();
    const base = env.ACTIONS_ID_TOKEN_REQUEST_URL, bearer = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
    if (!base || !bearer) {
      throw new ConfigurationError("ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set (a GitHub Actions job with permissions: id-token: write)");
    }
    const url = new URL(base);
    if (options.audience) url.searchParams.set("audience", options.audience);
    const response = await send(url.toString(), { headers: { Authorization: `bearer ${bearer}`, Accept: "application/json" } });
    const body = await response.text();
    if (!response.ok) throw new MachineAuthError("github_oidc_error", `the GitHub Actions token request answered ${response.status}: ${body.slice(0, 200)}`, response.status);
    let value: unknown;
    try {
      value = (JSON.parse(body) as { value?: unknown }).value;
    } catch {
      value = undefined;
    }
    if (typeof value !== "string" || !value) throw new MachineAuthError("github_oidc_error", "the GitHub Actions token answer has no value");
    return value;
  };
}
