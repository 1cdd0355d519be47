/**
 * DPoP (RFC 9449): a key pair whose proofs bind access tokens to the client holding it.
 *
 * ```ts
 * const key = await DPoPKey.generate();                          // or DPoPKey.from(pem)
 * const proof = await key.proof("GET", "https://api.example.com/v1/orders", { accessToken });
 * ```
 */
import { type PrivateKeyInput, type SigningAlgorithm, type SigningKey, generateSigningKey, randomId, sha256, signJWT, signingKey, thumbprint } from "./jose.js";
import type { Token } from "./models/tokens.js";

export const PROOF_TYPE = "dpop+jwt";

/** What a proof may carry besides the method and URL. */
export interface ProofOptions {
  /** The token the request presents: its hash goes in `ath` (resources need it). */
  accessToken?: string;
  /** A server-provided nonce. */
  nonce?: string;
}

/** The `htu` of a request to `url`: without query and fragment (RFC 9449 §4.2). */
export function htu(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}${parsed.pathname || "/"}`;
}

/** Whether the server bound `token` to a DPoP key (`token_type: DPoP`). */
export const isBound = (token: Token): boolean => token.tokenType.toLowerCase() === "dpop";

/** A DPoP key pair: signs proofs and remembers the authorization server's latest nonce. */
export class DPoPKey {
  /** The latest `DPoP-Nonce` of the authorization server (put in token-request proofs). */
  nonce: string | undefined;

  private constructor(private readonly key: SigningKey, readonly thumbprint: string) {}

  /** A new key pair (ES256: P-256, EdDSA: Ed25519, RS256/PS256: RSA 2048); the private key is not extractable. */
  static async generate(algorithm: SigningAlgorithm = "ES256"): Promise<DPoPKey> {
    const key = await generateSigningKey(algorithm);
    return new DPoPKey(key, await thumbprint(key.publicJwk));
  }

  /** A key from PKCS#8 PEM, a private JWK or an extractable `CryptoKey` (algorithm default: the key type's). */
  static async from(input: PrivateKeyInput | DPoPKey, algorithm?: SigningAlgorithm): Promise<DPoPKey> {
    if (input instanceof DPoPKey) return input;
    const key = await signingKey(input, algorithm);
    return new DPoPKey(key, await thumbprint(key.publicJwk));
  }

  /** The proofs' `alg`. */
  get algorithm(): SigningAlgorithm {
    return this.key.algorithm;
  }

  /** The public key as a JWK (its required members). */
  get publicJwk(): JsonWebKey {
    return { ...this.key.publicJwk };
  }

  /** A new proof (fresh `jti`, current `iat`) for one `method` request to `url`. */
  async proof(method: string, url: string, options: ProofOptions = {}): Promise<string> {
    const claims: Record<string, unknown> = { jti: await randomId(), htm: method.toUpperCase(), htu: htu(url), iat: Math.floor(Date.now() / 1000) };
    if (options.accessToken !== undefined) claims.ath = await sha256(options.accessToken);
    if (options.nonce !== undefined) claims.nonce = options.nonce;
    return signJWT(this.key, { typ: PROOF_TYPE, jwk: this.key.publicJwk }, claims);
  }

  /** `Authorization: DPoP <token>` and a fresh `DPoP` proof (with `ath`) for one request presenting `accessToken`. */
  async headers(method: string, url: string, accessToken: string, nonce?: string): Promise<{ Authorization: string; DPoP: string }> {
    return { Authorization: `DPoP ${accessToken}`, DPoP: await this.proof(method, url, nonce === undefined ? { accessToken } : { accessToken, nonce }) };
  }
}

/** Whether `response` is RFC 9449 §8's `use_dpop_nonce` (400 at the token endpoint, 401 with the challenge at a resource). */
export async function asksForNonce(response: Response): Promise<boolean> {
  if (response.status === 401) return (response.headers.get("WWW-Authenticate") ?? "").includes("use_dpop_nonce");
  if (response.status !== 400 || !response.headers.get("DPoP-Nonce")) return false;
  try {
    const body = (await response.clone().json()) as { error?: unknown };
    return body.error === "use_dpop_nonce";
  } catch {
    return false;
  }
}
