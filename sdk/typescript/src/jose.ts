/** The JOSE pieces the client signs with (client assertions, DPoP proofs): keys, JWK thumbprints, compact JWS, on WebCrypto. */
import { ConfigurationError } from "./errors.js";
import { base64urlBytes, subtleCrypto } from "./verify/encoding.js";

/** The algorithms the client signs with: EC P-256, Ed25519, RSA (PKCS#1 v1.5 or PSS). */
export type SigningAlgorithm = "ES256" | "EdDSA" | "RS256" | "PS256";

const PARAMS: Record<SigningAlgorithm, { kty: string; importParams: RsaHashedImportParams | EcKeyImportParams | Algorithm; signParams: AlgorithmIdentifier | EcdsaParams | RsaPssParams }> = {
  ES256: { kty: "EC", importParams: { name: "ECDSA", namedCurve: "P-256" }, signParams: { name: "ECDSA", hash: "SHA-256" } },
  EdDSA: { kty: "OKP", importParams: { name: "Ed25519" }, signParams: { name: "Ed25519" } },
  RS256: { kty: "RSA", importParams: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, signParams: { name: "RSASSA-PKCS1-v1_5" } },
  PS256: { kty: "RSA", importParams: { name: "RSA-PSS", hash: "SHA-256" }, signParams: { name: "RSA-PSS", saltLength: 32 } as RsaPssParams },
};

/** The default algorithm of a key type. */
const DEFAULT_ALGORITHM: Record<string, SigningAlgorithm> = { EC: "ES256", OKP: "EdDSA", RSA: "RS256" };

/** A private key as the client accepts one: PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`), a private JWK, or a WebCrypto key. */
export type PrivateKeyInput = string | JsonWebKey | CryptoKey;

/** A private key ready to sign with, its algorithm and its public JWK (required members only). */
export interface SigningKey {
  algorithm: SigningAlgorithm;
  privateKey: CryptoKey;
  publicJwk: JsonWebKey;
}

/** base64url of bytes, without padding. */
export function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

const utf8 = (text: string) => new TextEncoder().encode(text);

/** base64url(SHA-256(text)): a DPoP proof's `ath`. */
export async function sha256(text: string): Promise<string> {
  return base64url(new Uint8Array(await (await subtleCrypto()).digest("SHA-256", utf8(text))));
}

/** The public members RFC 7638 hashes, per key type. */
const REQUIRED: Record<string, readonly (keyof JsonWebKey)[]> = { EC: ["crv", "kty", "x", "y"], OKP: ["crv", "kty", "x"], RSA: ["e", "kty", "n"] };

/** The public JWK of a (public or private) JWK: its required members only. */
export function publicPart(jwk: JsonWebKey): JsonWebKey {
  const members = REQUIRED[jwk.kty ?? ""];
  if (!members) throw new ConfigurationError(`unsupported key type ${jwk.kty}: use EC P-256, Ed25519 or RSA`);
  const result: JsonWebKey = {};
  for (const name of members) (result as Record<string, unknown>)[name] = jwk[name];
  return result;
}

/** The RFC 7638 SHA-256 thumbprint of a public JWK (what a DPoP-bound token's `cnf.jkt` holds). */
export async function thumbprint(jwk: JsonWebKey): Promise<string> {
  const members = REQUIRED[jwk.kty ?? ""]!;
  const canonical = "{" + members.map((name) => `${JSON.stringify(name)}:${JSON.stringify(jwk[name])}`).join(",") + "}";
  return sha256(canonical);
}

function algorithmFor(kty: string | undefined, requested: SigningAlgorithm | undefined): SigningAlgorithm {
  const fallback = DEFAULT_ALGORITHM[kty ?? ""];
  if (!fallback) throw new ConfigurationError(`unsupported key type ${kty}: use EC P-256, Ed25519 or RSA`);
  const algorithm = requested ?? fallback;
  if (PARAMS[algorithm]?.kty !== kty) throw new ConfigurationError(`a ${kty} key does not sign with ${algorithm}`);
  return algorithm;
}

function pemBody(pem: string): Uint8Array {
  const match = /-----BEGIN PRIVATE KEY-----([\s\S]+?)-----END PRIVATE KEY-----/.exec(pem);
  if (!match) {
    throw new ConfigurationError("the private key must be PKCS#8 PEM (-----BEGIN PRIVATE KEY-----); convert with `openssl pkcs8 -topk8 -nocrypt`");
  }
  const body = match[1]!.replace(/\s+/g, "");
  return base64urlBytes(body.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, ""));
}

/** Which key type a PKCS#8 key is, from its algorithm OID (EC, Ed25519 or RSA). */
function pkcs8Type(der: Uint8Array): string {
  const hex = Array.from(der.slice(0, 40), (byte) => byte.toString(16).padStart(2, "0")).join("");
  if (hex.includes("2a8648ce3d0201")) return "EC";        // id-ecPublicKey
  if (hex.includes("06032b6570")) return "OKP";           // id-Ed25519
  if (hex.includes("2a864886f70d010101") || hex.includes("2a864886f70d01010a")) return "RSA";
  throw new ConfigurationError("unsupported private key: use EC P-256, Ed25519 or RSA");
}

/** A `SigningKey` of `input` (its algorithm: `algorithm`, else the key type's default: ES256, EdDSA, RS256). */
export async function signingKey(input: PrivateKeyInput, algorithm?: SigningAlgorithm): Promise<SigningKey> {
  const subtle = await subtleCrypto();
  if (typeof input === "string") {
    const der = pemBody(input);
    const chosen = algorithmFor(pkcs8Type(der), algorithm);
    const extractable = await subtle.importKey("pkcs8", der, PARAMS[chosen].importParams, true, ["sign"]);
    const publicJwk = publicPart(await subtle.exportKey("jwk", extractable));
    const privateKey = await subtle.importKey("pkcs8", der, PARAMS[chosen].importParams, false, ["sign"]);
    return { algorithm: chosen, privateKey, publicJwk };
  }
  if (isCryptoKey(input)) {
    if (!input.extractable) throw new ConfigurationError("pass the CryptoKeyPair (or an extractable private key) so the public key is known");
    const jwk = await subtle.exportKey("jwk", input);
    return { algorithm: algorithmFor(jwk.kty, algorithm), privateKey: input, publicJwk: publicPart(jwk) };
  }
  const chosen = algorithmFor(input.kty, algorithm);
  if (!input.d) throw new ConfigurationError("the JWK has no private part (d)");
  const { alg: _alg, key_ops: _ops, use: _use, ...bare } = input;
  const privateKey = await subtle.importKey("jwk", bare, PARAMS[chosen].importParams, false, ["sign"]);
  return { algorithm: chosen, privateKey, publicJwk: publicPart(input) };
}

/** A key pair made here (non-extractable private key). */
export async function generateSigningKey(algorithm: SigningAlgorithm = "ES256"): Promise<SigningKey> {
  const subtle = await subtleCrypto();
  const params = algorithm === "ES256" || algorithm === "EdDSA" ? PARAMS[algorithm].importParams
    : { ...PARAMS[algorithm].importParams, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) };
  const pair = (await subtle.generateKey(params as EcKeyGenParams, false, ["sign", "verify"])) as CryptoKeyPair;
  return { algorithm, privateKey: pair.privateKey, publicJwk: publicPart(await subtle.exportKey("jwk", pair.publicKey)) };
}

function isCryptoKey(value: unknown): value is CryptoKey {
  return typeof value === "object" && value !== null && "algorithm" in value && "extractable" in value && "usages" in value;
}

/** A compact JWS of `claims` with `header` (its `alg` set from the key). */
export async function signJWT(key: SigningKey, header: Record<string, unknown>, claims: Record<string, unknown>): Promise<string> {
  const input = `${base64url(utf8(JSON.stringify({ ...header, alg: key.algorithm })))}.${base64url(utf8(JSON.stringify(claims)))}`;
  const signature = await (await subtleCrypto()).sign(PARAMS[key.algorithm].signParams, key.privateKey, utf8(input));
  return `${input}.${base64url(new Uint8Array(signature))}`;
}

/** A random identifier for `jti` (128 bits). */
export async function randomId(): Promise<string> {
  const bytes = new Uint8Array(16);
  const global = (globalThis as { crypto?: Crypto }).crypto;
  if (global?.getRandomValues) global.getRandomValues(bytes);
  else {
    const specifier = "node:crypto";
    const module = (await import(/* webpackIgnore: true */ /* @vite-ignore */ specifier)) as { webcrypto: Crypto };
    module.webcrypto.getRandomValues(bytes);
  }
  return base64url(bytes);
}
