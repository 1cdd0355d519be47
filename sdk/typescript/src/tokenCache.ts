/**
 * The token cache: one token request at a time per key, however many callers ask. It renews a
 * token before it expires, shares one request among every caller that asks while it is in flight
 * (its error too: fifty callers with a wrong secret cost one failed authentication), and drops a
 * token the server refused (`invalidate`).
 */
import type { Token } from "./models/tokens.js";
import type { TokenKey } from "./tokenKey.js";

/** Seconds on a monotonic clock. */
export type Clock = () => number;

export const monotonic: Clock = () => performance.now() / 1000;

interface Entry {
  token: Token;
  /** When the token stops being served: `renewBefore` seconds before expiry, at most a fifth into its life. */
  renewAt: number;
}

export class TokenCache {
  private readonly entries = new Map<string, Entry>();
  private readonly flights = new Map<string, Promise<Token>>();

  constructor(
    private readonly fetchToken: (key: TokenKey) => Promise<Token>,
    private readonly renewBefore = 60,
    private readonly clock: Clock = monotonic,
  ) {}

  /** A fresh token for `key`: the cached one, or one new request shared by all who ask now. */
  get(key: TokenKey): Promise<Token> {
    const entry = this.entries.get(key.id);
    if (entry && this.clock() < entry.renewAt) return Promise.resolve(entry.token);
    let flight = this.flights.get(key.id);
    if (!flight) {
      flight = this.obtain(key).finally(() => this.flights.delete(key.id));
      this.flights.set(key.id, flight);
    }
    return flight;
  }

  private async obtain(key: TokenKey): Promise<Token> {
    const requestedAt = this.clock();
    const token = await this.fetchToken(key);
    const lifetime = Math.max(0, token.expiresIn);
    this.entries.set(key.id, { token, renewAt: requestedAt + lifetime - Math.min(this.renewBefore, lifetime / 5) });
    return token;
  }

  /**
   * Forgets the token of `key` — only if it is still `accessToken`, so callers that saw the same
   * refused token drop it once and then share the replacement.
   */
  invalidate(key: TokenKey, accessToken?: string): void {
    const entry = this.entries.get(key.id);
    if (entry && (accessToken === undefined || entry.token.accessToken === accessToken)) this.entries.delete(key.id);
  }

  /** Forgets every token (the credentials changed). */
  clear(): void {
    this.entries.clear();
  }
}
