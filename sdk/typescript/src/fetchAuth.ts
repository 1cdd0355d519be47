/**
 * A `fetch` that sends a fresh agent token with every request — the counterpart of Python's
 * `httpx.Auth`:
 *
 * ```ts
 * const api = client.authorizedFetch({ resource: "https://api.example.com" });
 * const orders = await api("https://api.example.com/v1/orders");   // Authorization: Bearer <fresh token>
 * ```
 */
import type { Token } from "./models/tokens.js";
import type { TokenRequest } from "./tokenKey.js";
import type { Fetch } from "./transport.js";

/** What `authorizedFetch` needs of a client (`MachineAuthClient` is one). */
export interface TokenSource {
  getToken(request?: TokenRequest): Promise<Token>;
  invalidateToken(token?: Token | string, request?: TokenRequest): void;
}

/**
 * Wraps `fetch` so each request carries the agent's cached token for `request`; on a 401 the token
 * is dropped and the request sent once more with a new one (a second 401 is returned as it is).
 * Request bodies are buffered by `Request.clone()` so the retry can send them again.
 */
export function authorizedFetch(source: TokenSource, request: TokenRequest = {}, fetch: Fetch = (i, o) => globalThis.fetch(i, o)): Fetch {
  return async (input, init) => {
    const original = new Request(input, init);
    const attempt = async (token: Token) => {
      const headers = new Headers(original.headers);
      headers.set("Authorization", `Bearer ${token.accessToken}`);
      return fetch(new Request(original.clone(), { headers }));
    };
    let token = await source.getToken(request);
    const response = await attempt(token);
    if (response.status !== 401) return response;
    await response.body?.cancel();
    source.invalidateToken(token, request);
    token = await source.getToken(request);
    return attempt(token);
  };
}
