/**
 * The checks of a token apart from fetching keys: header, signature, issuer, audience, lifetime
 * and scopes. Every failure is a `TokenVerificationError`.
 */
import { TokenVerificationError } from "../errors.js";
import { type JSONObject, isObject } from "../json.js";
import type { Introspection } from "../models/tokens.js";
import { base64urlBytes, base64urlJSON, subtleCrypto } from "./encoding.js";
import { ALGORITHMS, type JoseAlgorithm, type VerificationKey, WEBCRYPTO } from "./jwks.js";
import { type VerifiedToken, verifiedToken } from "./result.js";

/** RFC 9068 `typ` of access tokens; MachineAuth's admin sessions (`admin+jwt`) are refused. */
export const ACCESS_TOKEN_TYPES = ["at+jwt", "application/at+jwt"];

const REQUIRED_CLAIMS = ["exp", "iat", "iss", "sub", "aud"];

export const invalid = (description: string) => new TokenVerificationError("invalid_token", description);

/** A JWS split into its parts, with the header fields that pick the key. */
export interface ParsedToken {
  algorithm: JoseAlgorithm;
  kid: string;
  signingInput: string;
  payload: string;
  signature: Uint8Array;
}

/**
 * The token's parts, refusing algorithms other than RS256, ES256 and EdDSA (no `none`, no HMAC)
 * and, with `requireTyp`, tokens that are not RFC 9068 access tokens.
 */
export function parseToken(token: string, requireTyp = true): ParsedToken {
  const parts = token.split(".");
  let header: unknown, signature: Uint8Array;
  try {
    if (parts.length !== 3) throw new Error("not three parts");
    header = base64urlJSON(parts[0]!);
    signature = base64urlBytes(parts[2]!);
  } catch {
    throw invalid("the token is not a JWT");
  }
  if (!isObject(header)) throw invalid("the token is not a JWT");
  const { alg, kid, typ } = header;
  if (!ALGORITHMS.includes(alg as JoseAlgorithm)) throw invalid(`the token's algorithm ${JSON.stringify(alg)} is not accepted`);
  if (typeof kid !== "string" || kid === "") throw invalid("the token names no signing key (kid)");
  if (requireTyp && !(typeof typ === "string" && ACCESS_TOKEN_TYPES.includes(typ.toLowerCase()))) {
    throw invalid(`the token is not an access token (typ ${JSON.stringify(typ)})`);
  }
  return { algorithm: alg as JoseAlgorithm, kid, signingInput: `${parts[0]}.${parts[1]}`, payload: parts[1]!, signature };
}

export interface ClaimChecks {
  issuer: string;
  audiences: readonly string[];
  scopes: readonly string[];
  /** Seconds of clock skew tolerated on `exp`, `nbf` and `iat`. */
  leeway: number;
  /** Seconds since the Unix epoch (default: now). */
  now?: number;
}

/**
 * The verified claims: the signature by `key` (whose own algorithm must be the token's), `iss`
 * equal to `issuer`, an `aud` among `audiences`, `exp`/`nbf`/`iat` within `leeway`, then every
 * one of `scopes` granted (else `insufficient_scope`).
 */
export async function checkToken(token: ParsedToken, key: VerificationKey, checks: ClaimChecks): Promise<VerifiedToken> {
  if (key.algorithm !== token.algorithm) throw invalid(`key ${token.kid} is for ${key.algorithm}, the token says ${token.algorithm}`);
  const subtle = await subtleCrypto();
  const signed = new TextEncoder().encode(token.signingInput);
  if (!(await subtle.verify(WEBCRYPTO[token.algorithm].verifyParams, key.key, token.signature, signed))) {
    throw invalid("the token's signature is invalid");
  }
  let claims: unknown;
  try {
    claims = base64urlJSON(token.payload);
  } catch {
    throw invalid("the token's claims are not JSON");
  }
  if (!isObject(claims)) throw invalid("the token's claims are not an object");
  checkClaims(claims, checks);
  const verified = verifiedToken(claims);
  checkScopes(verified, checks.scopes);
  return verified;
}

function checkClaims(claims: JSONObject, checks: ClaimChecks): void {
  for (const name of REQUIRED_CLAIMS) if (claims[name] === undefined) throw invalid(`the token lacks the ${name} claim`);
  const now = checks.now ?? Date.now() / 1000;
  const time = (name: string) => {
    if (typeof claims[name] !== "number") throw invalid(`the token's ${name} is not a number`);
    return claims[name] as number;
  };
  if (time("exp") <= now - checks.leeway) throw invalid("the token has expired");
  if (claims.nbf !== undefined && time("nbf") > now + checks.leeway) throw invalid("the token is not valid yet");
  if (time("iat") > now + checks.leeway) throw invalid("the token is not valid yet");
  if (claims.iss !== checks.issuer) throw invalid("the token is from another issuer");
  const audience = typeof claims.aud === "string" ? [claims.aud] : Array.isArray(claims.aud) ? claims.aud : [];
  if (!audience.some((entry) => checks.audiences.includes(entry as string))) throw invalid("the token is not meant for this audience");
}

/** `insufficient_scope` (403) naming the scopes when the token lacks one of them. */
export function checkScopes(token: VerifiedToken, scopes: readonly string[]): void {
  if (scopes.length === 0 || token.hasScopes(...scopes)) return;
  const missing = scopes.filter((scope) => !token.scopes.includes(scope)).join(" ");
  throw new TokenVerificationError("insufficient_scope", `the token lacks the scope ${missing}`, scopes);
}

/** `invalid_token` when introspection says the token is no longer active (revoked, or its agent gone). */
export function checkActive(introspection: Introspection): void {
  if (!introspection.active) throw invalid("the token is not active (revoked, or its agent is no longer active)");
}
