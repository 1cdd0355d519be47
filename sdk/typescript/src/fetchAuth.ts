/**
 * A `fetch` that sends a fresh agent token with every request — the counterpart of Python's
 * `httpx.Auth`:
 *
 * ```ts
 * const api = client.authorizedFetch({ resource: "https://api.example.com" });
 * const orders = await api("https://api.example.com/v1/orders");   // Authorization: Bearer <fresh token>
 * ```
 */
import { asksForNonce, isBound } from "./dpop.js";
import type { Token } from "./models/tokens.js";
import type { TokenRequest } from "./tokenKey.js";
import type { Fetch } from "./transport.js";

/** What `authorizedFetch` needs of a client (`MachineAuthClient` is one). */
export interface TokenSource {
  getToken(request?: TokenRequest): Promise<Token>;
  invalidateToken(token?: Token | string, request?: TokenRequest): void;
  /** Headers presenting a DPoP-bound token with a fresh proof (clients with a `dpopKey`). */
  dpopHeaders?(method: string, url: string, options: { token: Token; nonce?: string }): Promise<Record<string, string>>;
}

/**
 * Wraps `fetch` so each request carries the agent's cached token for `request`; on a 401 the token
 * is dropped and the request sent once more with a new one (a second 401 is returned as it is).
 * A DPoP-bound token goes as `Authorization: DPoP` with a fresh proof for each request (`htm`/`htu`
 * from the request); a resource's 401 `use_dpop_nonce` is answered once with its nonce.
 * Request bodies are buffered by `Request.clone()` so the retry can send them again.
 */
export function authorizedFetch(source: TokenSource, request: TokenRequest = {}, fetch: Fetch = (i, o) => globalThis.fetch(i, o)): Fetch {
  return async (input, init) => {
    const original = new Request(input, init);
    const attempt = async (token: Token, nonce?: string) => {
      const headers = new Headers(original.headers);
      headers.delete("DPoP");
      if (isBound(token) && source.dpopHeaders) {
        const presented = await source.dpopHeaders(original.method, original.url, nonce === undefined ? { token } : { token, nonce });
        for (const [name, value] of Object.entries(presented)) headers.set(name, value);
      } else {
        headers.set("Authorization", `Bearer ${token.accessToken}`);
      }
      return fetch(new Request(original.clone(), { headers }));
    };
    let token = await source.getToken(request);
    const response = await attempt(token);
    if (response.status !== 401) return response;
    await response.body?.cancel();
    const nonce = isBound(token) && (await asksForNonce(response)) ? response.headers.get("DPoP-Nonce") : null;
    if (nonce) return attempt(token, nonce);
    source.invalidateToken(token, request);
    token = await source.getToken(request);
    return attempt(token);
  };
}
