/** `private_key_jwt` (RFC 7523 §2.2): an agent proves who it is with assertions signed by its own key; no secret exists. */
import { type PrivateKeyInput, type SigningAlgorithm, type SigningKey, randomId, signJWT, signingKey } from "./jose.js";

export const ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

export interface PrivateKeyOptions {
  /** The `kid` of the agent's registered public key. */
  keyId: string;
  /** Default: the key type's (ES256 for EC P-256, EdDSA for Ed25519, RS256 for RSA; PS256 the other RSA choice). */
  algorithm?: SigningAlgorithm;
  /** The assertions' `aud`: the server's issuer identifier or token endpoint URL; default the client's `baseUrl + "/oauth/token"`. */
  audience?: string;
  /** Seconds each assertion is valid (default 60; the server accepts at most its `max_lifetime`, 5 minutes by default). */
  lifetime?: number;
}

/**
 * An agent registered with `token_endpoint_auth_method: private_key_jwt`. A fresh assertion (new
 * `jti`, `iss` = `sub` = the client id) is signed for every request, retries included.
 */
export class PrivateKeyCredentials {
  readonly keyId: string;
  readonly audience: string | undefined;
  readonly lifetime: number;
  /** The imported key: a true private field, so logging the credentials never prints it. */
  readonly #key: Promise<SigningKey>;

  constructor(readonly clientId: string, privateKey: PrivateKeyInput, options: PrivateKeyOptions) {
    this.keyId = options.keyId;
    this.audience = options.audience;
    this.lifetime = options.lifetime ?? 60;
    this.#key = signingKey(privateKey, options.algorithm);
    this.#key.catch(() => undefined); // reported by the first request, not as an unhandled rejection
  }

  /** A new signed client assertion for `tokenEndpoint` (unless `audience` says otherwise). */
  async assertion(tokenEndpoint: string): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const claims = { iss: this.clientId, sub: this.clientId, aud: this.audience ?? tokenEndpoint, iat: now, exp: now + this.lifetime, jti: await randomId() };
    return signJWT(await this.#key, { typ: "JWT", kid: this.keyId }, claims);
  }

  /** The form parameters that authenticate the client (`client_assertion` and its type). */
  async formParameters(tokenEndpoint: string): Promise<Record<string, string>> {
    return { client_assertion_type: ASSERTION_TYPE, client_assertion: await this.assertion(tokenEndpoint) };
  }
}
