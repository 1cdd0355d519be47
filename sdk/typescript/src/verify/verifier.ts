/** `TokenVerifier`: local verification of MachineAuth access tokens for resource servers. */
import { stringList } from "../call.js";
import type { Introspection } from "../models/tokens.js";
import type { Fetch } from "../transport.js";
import { checkActive, checkToken, invalid, parseToken } from "./checks.js";
import { JWKSCache } from "./jwks.js";
import type { VerifiedToken } from "./result.js";

export interface VerifierOptions {
  /** The `iss` tokens must carry (MachineAuth's `ISSUER`). */
  issuer: string;
  /** Where the keys are; default `{issuer}/.well-known/jwks.json`. */
  jwksUri?: string;
  /** The audience(s) accepted when `verify` is not given one; default the issuer. */
  audience?: string | readonly string[];
  /** Seconds of clock skew tolerated on `exp`, `nbf` and `iat` (default 0). */
  leeway?: number;
  /** Refuse tokens whose `typ` is not `at+jwt` (admin sessions, ID tokens); default true. */
  requireTyp?: boolean;
  /** Upper bound, in seconds, on how long a fetched JWKS is used (default 300). */
  cacheTtl?: number;
  /** No two JWKS fetches within this many seconds (default 10). */
  minRefetchInterval?: number;
  fetch?: Fetch;
  /** Asks the server whether a token is still active (`client.introspect`), for `introspect: true`. */
  introspect?: (token: string) => Promise<Introspection>;
}

export interface VerifyOptions {
  /** Accepted audience(s); default the verifier's. */
  audience?: string | readonly string[];
  /** Scopes the token must grant. */
  scopes?: readonly string[];
  /** Also ask the server that the token was not revoked since it was issued. */
  introspect?: boolean;
}

/**
 * Verifies access tokens against the issuer's JWKS (RS256, ES256, EdDSA on WebCrypto), fetched and
 * cached as `JWKSCache` says.
 *
 * ```ts
 * const verifier = new TokenVerifier({ issuer: "https://auth.example.com", audience: "https://api.example.com" });
 * const claims = await verifier.verify(bearer, { scopes: ["orders:read"] });
 * ```
 */
export class TokenVerifier {
  readonly issuer: string;
  readonly keys: JWKSCache;
  private readonly audiences: string[];

  constructor(private readonly options: VerifierOptions) {
    this.issuer = options.issuer;
    this.audiences = stringList(options.audience);
    if (this.audiences.length === 0) this.audiences = [options.issuer];
    const jwksUri = options.jwksUri ?? `${options.issuer.replace(/\/+$/, "")}/.well-known/jwks.json`;
    const fetch: Fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.keys = new JWKSCache(jwksUri, fetch, { ttl: options.cacheTtl ?? 300, minInterval: options.minRefetchInterval ?? 10 });
  }

  /**
   * The token's claims once signature, issuer, audience, lifetime and scopes check out. Throws
   * `TokenVerificationError` (`invalid_token` 401, `insufficient_scope` 403), or `MachineAuthError`
   * `jwks_unavailable` when no keys could ever be fetched.
   */
  async verify(token: string, options: VerifyOptions = {}): Promise<VerifiedToken> {
    const parsed = parseToken(token, this.options.requireTyp ?? true);
    const key = await this.keys.key(parsed.kid);
    if (!key) throw invalid(`the token is signed with an unknown key (${parsed.kid})`);
    const audiences = stringList(options.audience);
    const verified = await checkToken(parsed, key, {
      issuer: this.issuer, audiences: audiences.length > 0 ? audiences : this.audiences, scopes: options.scopes ?? [],
      leeway: this.options.leeway ?? 0,
    });
    if (options.introspect) {
      if (!this.options.introspect) throw new TypeError("introspect: true needs a verifier made with introspect (client.verifier())");
      checkActive(await this.options.introspect(token));
    }
    return verified;
  }
}

const verifiers = new Map<string, TokenVerifier>();

/**
 * Verifies `token` with a module-wide `TokenVerifier` per issuer (so its JWKS is fetched once and
 * cached). For leeway, introspection or a custom `fetch`, make a `TokenVerifier`.
 */
export function verifyToken(token: string, options: VerifyOptions & { issuer: string; jwksUri?: string }): Promise<VerifiedToken> {
  const id = `${options.issuer} ${options.jwksUri ?? ""}`;
  let verifier = verifiers.get(id);
  if (!verifier) {
    verifier = new TokenVerifier({ issuer: options.issuer, ...(options.jwksUri ? { jwksUri: options.jwksUri } : {}) });
    verifiers.set(id, verifier);
  }
  return verifier.verify(token, options);
}
