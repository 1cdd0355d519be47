/** Sends `Call`s with `fetch`: authentication, retries on 429/503, the token cache, error decoding. */
import type { Call } from "./call.js";
import type { ClientState } from "./credentials.js";
import { MachineAuthError, apiError } from "./errors.js";
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
    const response = await this.exchange(call, `Bearer ${token.accessToken}`);
    if (response.status !== 401) return response;
    await response.body?.cancel();
    this.tokens.invalidate(defaultKey, token.accessToken);
    token = await this.tokens.get(defaultKey);
    return this.exchange(call, `Bearer ${token.accessToken}`);
  }

  private async authorization<T>(call: Call<T>): Promise<string | undefined> {
    const state = this.state;
    if (call.auth === "none") return undefined;
    if (call.auth === "client" || (call.auth === "adminOrClient" && state.adminToken === null && state.credentials !== null)) {
      return state.requireCredentials().basicAuthorization();
    }
    return `Bearer ${state.requireAdminToken()}`;
  }

  /** One request and its retries on 429/503 (see `RetryPolicy`). */
  async exchange<T>(call: Call<T>, authorization: string | undefined): Promise<Response> {
    for (let attempt = 0; ; attempt++) {
      const response = await this.once(call, authorization);
      const delay = retryDelay(this.retry, response, attempt);
      if (delay === undefined) return response;
      await response.body?.cancel();
      await sleep(delay);
    }
  }

  private async once<T>(call: Call<T>, authorization: string | undefined): Promise<Response> {
    const url = new URL(this.baseUrl + call.path);
    for (const [name, value] of Object.entries(call.query ?? {})) url.searchParams.set(name, value);
    const headers = new Headers({ Accept: "application/json", "User-Agent": USER_AGENT });
    if (authorization) headers.set("Authorization", authorization);
    let body: string | undefined;
    if (call.json !== undefined) {
      headers.set("Content-Type", "application/json");
      body = JSON.stringify(call.json);
    } else if (call.form !== undefined) {
      headers.set("Content-Type", "application/x-www-form-urlencoded");
      const form = new URLSearchParams();
      for (const [name, value] of Object.entries(call.form)) for (const item of [value].flat()) form.append(name, item);
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
