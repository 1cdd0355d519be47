/** The cached JSON Web Key Set of a verifier, as WebCrypto keys, and when it may be fetched again. */
import { MachineAuthError } from "../errors.js";
import { type JSONObject, isObject } from "../json.js";
import { type Clock, monotonic } from "../tokenCache.js";
import type { Fetch } from "../transport.js";
import { subtleCrypto } from "./encoding.js";

/** The signing algorithms MachineAuth uses; a token or key with any other is refused. */
export const ALGORITHMS = ["RS256", "ES256", "EdDSA"] as const;
export type JoseAlgorithm = (typeof ALGORITHMS)[number];

/** WebCrypto parameters per JOSE algorithm: how to import the key and how to verify with it. */
export const WEBCRYPTO: Record<JoseAlgorithm, {
  kty: string;
  importParams: RsaHashedImportParams | EcKeyImportParams | Algorithm;
  verifyParams: AlgorithmIdentifier | EcdsaParams;
}> = {
  RS256: { kty: "RSA", importParams: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, verifyParams: "RSASSA-PKCS1-v1_5" },
  ES256: { kty: "EC", importParams: { name: "ECDSA", namedCurve: "P-256" }, verifyParams: { name: "ECDSA", hash: "SHA-256" } },
  EdDSA: { kty: "OKP", importParams: { name: "Ed25519" }, verifyParams: "Ed25519" },
};

/** A public key ready to verify with, and the one algorithm it may be used with. */
export interface VerificationKey {
  algorithm: JoseAlgorithm;
  key: CryptoKey;
}

/**
 * The usable signing keys of a JWKS document by `kid` (keys of other algorithms or uses, or that do
 * not import, are skipped).
 */
export async function importJWKS(document: unknown): Promise<Map<string, VerificationKey>> {
  const subtle = await subtleCrypto();
  const keys = new Map<string, VerificationKey>();
  const entries = isObject(document) && Array.isArray(document.keys) ? document.keys.filter(isObject) : [];
  for (const entry of entries) {
    const algorithm = entry.alg as JoseAlgorithm;
    if (typeof entry.kid !== "string" || !ALGORITHMS.includes(algorithm) || (entry.use ?? "sig") !== "sig") continue;
    const params = WEBCRYPTO[algorithm];
    if (entry.kty !== params.kty) continue;
    try {
      keys.set(entry.kid, { algorithm, key: await subtle.importKey("jwk", publicPart(entry), params.importParams, false, ["verify"]) });
    } catch {
      continue;
    }
  }
  return keys;
}

/** Only the public members of a JWK (no `alg`/`use`, which some runtimes are strict about). */
function publicPart(entry: JSONObject): JsonWebKey {
  const jwk: JsonWebKey = { kty: entry.kty as string };
  for (const name of ["n", "e", "crv", "x", "y"] as const) if (typeof entry[name] === "string") jwk[name] = entry[name] as string;
  return jwk;
}

export interface JWKSCacheOptions {
  /** Upper bound, in seconds, on how long a fetched set is used (the server's `max-age` when lower). */
  ttl?: number;
  /** No two fetches within this many seconds (so made-up key ids cannot make it hammer the server). */
  minInterval?: number;
  clock?: Clock;
}

/**
 * The keys last fetched and the fetching rules: the set is fetched again when older than the
 * server's `max-age` (at most `ttl`); a token with an unknown `kid` (a new signing key) triggers a
 * fetch at once — but no fetch happens within `minInterval` of the previous one; when a fetch
 * fails the keys already known stay in use. One fetch at a time, shared by concurrent verifications.
 */
export class JWKSCache {
  keys: Map<string, VerificationKey> | null = null;
  fetches = 0;
  private expiresAt = 0;
  private lastAttempt: number | null = null;
  private etag: string | null = null;
  private pending: Promise<void> | null = null;
  private readonly ttl: number;
  private readonly minInterval: number;
  private readonly clock: Clock;

  constructor(private readonly uri: string, private readonly fetch: Fetch, options: JWKSCacheOptions = {}) {
    this.ttl = options.ttl ?? 300;
    this.minInterval = options.minInterval ?? 10;
    this.clock = options.clock ?? monotonic;
  }

  /** The key of `kid`, fetching the set when it is stale or does not know `kid` (within the rules). */
  async key(kid: string): Promise<VerificationKey | undefined> {
    if ((this.keys === null || this.clock() >= this.expiresAt) && this.mayFetch()) await this.refresh();
    if (!this.keys?.has(kid) && this.mayFetch()) await this.refresh();
    if (this.keys === null) throw new MachineAuthError("jwks_unavailable", "cannot verify tokens: no signing keys could be fetched yet");
    return this.keys.get(kid);
  }

  private mayFetch(): boolean {
    return this.pending !== null || this.lastAttempt === null || this.clock() - this.lastAttempt >= this.minInterval;
  }

  private refresh(): Promise<void> {
    this.pending ??= this.fetchOnce().finally(() => { this.pending = null; });
    return this.pending;
  }

  private async fetchOnce(): Promise<void> {
    this.lastAttempt = this.clock();
    this.fetches++;
    const headers: Record<string, string> = { Accept: "application/jwk-set+json, application/json" };
    if (this.etag && this.keys) headers["If-None-Match"] = this.etag;
    let response: Response;
    try {
      response = await this.fetch(this.uri, { headers });
    } catch (error) {
      return this.failed(`${(error as Error).name}: ${(error as Error).message}`);
    }
    if (response.status === 200) {
      try {
        this.keys = await importJWKS(await response.json());
      } catch (error) {
        return this.failed(`the JWKS is not JSON: ${(error as Error).message}`);
      }
      this.etag = response.headers.get("ETag");
    } else {
      await response.body?.cancel();
      if (response.status !== 304 || this.keys === null) return this.failed(`the JWKS answered ${response.status}`);
    }
    const maxAge = /max-age=(\d+)/.exec(response.headers.get("Cache-Control") ?? "");
    this.expiresAt = this.clock() + (maxAge ? Math.min(Number(maxAge[1]), this.ttl) : this.ttl);
  }

  private failed(reason: string): void {
    if (this.keys === null) throw new MachineAuthError("jwks_unavailable", `cannot verify tokens: ${reason}`);
  }
}
