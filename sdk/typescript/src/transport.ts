/** Sends `Call`s with `fetch`: authentication, retries on 429/503, the token cache, error decoding. */
import type { Call } from "./call.js";
import { ClientCredentials, type ClientState } from "./credentials.js";
import { asksForNonce, isBound } from "./dpop.js";
import { ConfigurationError, MachineAuthError, apiError } from "./errors.js";
import { type JSONObject, isObject } from "./json.js";
import type { Token } from "./models/tokens.js";
import { type RetryPolicy, defaultRetryPolicy, retryAfter, retryDelay, sleep } from "./retry.js";
import { TokenCache } from "./tokenCache.js";
import { type TokenKey, defaultKey, grant } from "./tokenKey.js";

/** The `fetch` the client sends with (the runtime's, or a wrapper of it). */
export type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface TransportOptions {
  /** Default: `globalThis.fetch`. */
  fetch?: Fetch;
  retry?: Partial<RetryPolicy>;
  /** Cached tokens are renewed this many seconds before they expire (at most a fifth of their lifetime). */
  renewBefore?: number;
  /** Milliseconds to wait for an answer's headers (default 10 000). */
  timeoutMs?: number;
}

/** An access token a request presents: as `Bearer`, or as `DPoP` with a fresh proof when bound. */
interface Presented {
  token: string;
  bound: boolean;
}

const TOKEN_PATH = "/oauth/token";

export const USER_AGENT = "machineauth-typescript/0.1.0";

/**
 * The transport of `MachineAuthClient`. Calls authenticated as the agent take the cached token and,
 * when the server answers 401, drop it and try once more with a new one; a second 401 (or a refused
 * re-authentication, say after the secret was rotated elsewhere) is thrown.
 */
export class Transport {
  readonly baseUrl: string;
  readonly tokens: TokenCache;
  readonly fetch: Fetch;
  readonly retry: RetryPolicy;
  private readonly timeoutMs: number;

  constructor(baseUrl: string, readonly state: ClientState, options: TransportOptions = {}) {
    this.baseUrl = baseUrl.replace(/\/+$/, "");
    this.fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.retry = { ...defaultRetryPolicy, ...options.retry };
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.tokens = new TokenCache((key) => this.send(grant(key)), options.renewBefore ?? 60);
    state.onCredentialsChange(() => this.tokens.clear());
  }

  /** Sends `call` and returns its result, or throws the `APIError` the server answered. */
  async send<T>(call: Call<T>): Promise<T> {
    const response = call.auth === "agent" ? await this.asAgent(call) : await this.exchange(call, await this.authorization(call));
    const result = await decode(call, response);
    call.after?.(result);
    return result;
  }

  /** The cached token of `key` (renewed when due). */
  token(key: TokenKey): Promise<Token> {
    return this.tokens.get(key);
  }

  private async asAgent<T>(call: Call<T>): Promise<Response> {
    let token = await this.tokens.get(defaultKey);
    const response = await this.exchange(call, undefined, { token: token.accessToken, bound: isBound(token) });
    if (response.status !== 401) return response;
    await response.body?.cancel();
    this.tokens.invalidate(defaultKey, token.accessToken);
    token = await this.tokens.get(defaultKey);
    return this.exchange(call, undefined, { token: token.accessToken, bound: isBound(token) });
  }

  private asClient<T>(call: Call<T>): boolean {
    const state = this.state;
    return call.auth === "client" || (call.auth === "adminOrClient" && state.adminToken === null && state.credentials !== null);
  }

  private async authorization<T>(call: Call<T>): Promise<string | undefined> {
    const state = this.state;
    if (call.auth === "none") return undefined;
    if (call.auth === "client" && state.workload !== null) return undefined; // the platform token goes in the form
    if (this.asClient(call)) {
      const credentials = state.requireCredentials();
      return credentials instanceof ClientCredentials ? credentials.basicAuthorization() : undefined;
    }
    return `Bearer ${state.requireAdminToken()}`;
  }

  /**
   * Form parameters that authenticate a `private_key_jwt` client (a new assertion per attempt), or
   * that turn a workload's `client_credentials` request into the `jwt-bearer` grant with its current
   * platform token. A workload has no client credentials for any other call.
   */
  private async clientForm<T>(call: Call<T>): Promise<Record<string, string>> {
    const state = this.state;
    if (call.auth === "client" && state.workload !== null) {
      if (call.path !== TOKEN_PATH || call.form?.grant_type !== "client_credentials") {
        throw new ConfigurationError(`${call.method} ${call.path} needs client credentials; a workload exchanging a platform token has none (use an admin session or an API key)`);
      }
      return state.workload.grantParameters();
    }
    const credentials = state.credentials;
    if (this.asClient(call) && credentials !== null && !(credentials instanceof ClientCredentials)) {
      return credentials.formParameters(this.baseUrl + TOKEN_PATH);
    }
    return {};
  }

  /** The `htu` of a request to MachineAuth's `path`: the issuer URL (or `baseUrl`) and the path. */
  proofUrl(path: string): string {
    return (this.state.issuer ?? this.baseUrl).replace(/\/+$/, "") + path;
  }

  /**
   * One request and its retries on 429/503 (see `RetryPolicy`); `presented` goes as `Bearer`, or as
   * `DPoP` with a proof when bound. A token request refused with `use_dpop_nonce` is sent once more
   * with the server's nonce (and a new proof).
   */
  async exchange<T>(call: Call<T>, authorization: string | undefined, presented?: Presented): Promise<Response> {
    let nonceRetry = true;
    for (let attempt = 0; ; attempt++) {
      const response = await this.once(call, authorization, presented);
      if ((await this.takeNonce(call, response)) && nonceRetry) {
        nonceRetry = false;
        await response.body?.cancel();
        attempt--;
        continue;
      }
      const delay = retryDelay(this.retry, response, attempt);
      if (delay === undefined) return response;
      await response.body?.cancel();
      await sleep(delay);
    }
  }

  /** Keeps the `DPoP-Nonce` of a token response; `true` when the server refused the request for want of it. */
  private async takeNonce<T>(call: Call<T>, response: Response): Promise<boolean> {
    if (this.state.dpop === null || call.path !== TOKEN_PATH) return false;
    const nonce = response.headers.get("DPoP-Nonce");
    if (!nonce) return false;
    (await this.state.dpop).nonce = nonce;
    return asksForNonce(response);
  }

  private async once<T>(call: Call<T>, authorization: string | undefined, presented?: Presented): Promise<Response> {
    const url = new URL(this.baseUrl + call.path);
    for (const [name, value] of Object.entries(call.query ?? {})) url.searchParams.set(name, value);
    const headers = new Headers({ Accept: "application/json", "User-Agent": USER_AGENT });
    if (authorization) headers.set("Authorization", authorization);
    const dpop = this.state.dpop === null ? null : await this.state.dpop;
    if (dpop && call.method === "POST" && call.path === TOKEN_PATH) {
      headers.set("DPoP", await dpop.proof("POST", this.proofUrl(TOKEN_PATH), dpop.nonce === undefined ? {} : { nonce: dpop.nonce }));
    }
    if (presented && presented.bound && dpop) {
      for (const [name, value] of Object.entries(await dpop.headers(call.method, this.proofUrl(call.path), presented.token))) headers.set(name, value);
    } else if (presented) {
      headers.set("Authorization", `Bearer ${presented.token}`);
    }
    let body: string | undefined;
    if (call.json !== undefined) {
      headers.set("Content-Type", "application/json");
      body = JSON.stringify(call.json);
    } else if (call.form !== undefined) {
      headers.set("Content-Type", "application/x-www-form-urlencoded");
      const form = new URLSearchParams();
      const fields = { ...call.form, ...(await this.clientForm(call)) };
      for (const [name, value] of Object.entries(fields)) for (const item of [value].flat()) form.append(name, item);
      body = form.toString();
    }
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), this.timeoutMs);
    try {
      return await this.fetch(url.toString(), { method: call.method, headers, body, signal: abort.signal });
    } catch (error) {
      if (abort.signal.aborted) throw new MachineAuthError("timeout", `${call.method} ${call.path} got no answer in ${this.timeoutMs} ms`);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }
}

/** The result of `call` from its answer, or the `APIError` the answer describes. */
export async function decode<T>(call: Call<T>, response: Response): Promise<T> {
  const body = await response.text();
  if (response.status >= 400) throw errorOf(response, body);
  if (call.text) return call.parse({ text: body });
  let data: unknown = {};
  try {
    if (body) data = JSON.parse(body);
  } catch {
    throw new MachineAuthError("invalid_response", `${call.method} ${call.path} answered non-JSON`, response.status);
  }
  return call.parse(isObject(data) ? data : {});
}

/** The error an error answer describes (its JSON body, else its status and text). */
export function errorOf(response: Response, body: string): MachineAuthError {
  let decoded: unknown;
  try {
    decoded = JSON.parse(body);
  } catch {
    decoded = undefined;
  }
  const json: JSONObject = isObject(decoded) ? decoded : { error: `http_${response.status}`, error_description: body.slice(0, 200) };
  return apiError(response.status, json, {
    retryAfter: retryAfter(response.headers), requestId: response.headers.get("X-Request-Id") ?? undefined,
  });
}
