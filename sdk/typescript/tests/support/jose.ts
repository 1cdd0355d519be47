/** JOSE for the tests, on node:crypto (not the SDK's WebCrypto code): key pairs, thumbprints, signed JWTs. */
import { type KeyObject, createHash, generateKeyPairSync, sign } from "node:crypto";

export const b64url = (bytes: Uint8Array): string => {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
};

const utf8 = (text: string) => new TextEncoder().encode(text);

export interface TestKey {
  algorithm: "ES256" | "EdDSA" | "RS256";
  privateKey: KeyObject;
  /** PKCS#8 PEM. */
  pem: string;
  /** The public JWK's required members. */
  publicJwk: Record<string, string>;
}

export function testKey(algorithm: "ES256" | "EdDSA" | "RS256"): TestKey {
  const pair = algorithm === "ES256" ? generateKeyPairSync("ec", { namedCurve: "P-256" })
    : algorithm === "EdDSA" ? generateKeyPairSync("ed25519") : generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = pair.publicKey.export({ format: "jwk" }) as Record<string, string>;
  const members = jwk.kty === "EC" ? ["crv", "kty", "x", "y"] : jwk.kty === "OKP" ? ["crv", "kty", "x"] : ["e", "kty", "n"];
  const publicJwk: Record<string, string> = {};
  for (const name of members) publicJwk[name] = jwk[name]!;
  return { algorithm, privateKey: pair.privateKey, pem: pair.privateKey.export({ type: "pkcs8", format: "pem" }), publicJwk };
}

/** RFC 7638 thumbprint, computed here independently of the SDK. */
export function jwkThumbprint(jwk: Record<string, string>): string {
  const canonical = JSON.stringify(Object.fromEntries(Object.keys(jwk).sort().map((name) => [name, jwk[name]])));
  return b64url(createHash("sha256").update(canonical).digest());
}

export function signJWT(key: TestKey, header: Record<string, unknown>, claims: Record<string, unknown>): string {
  const input = `${b64url(utf8(JSON.stringify({ ...header, alg: key.algorithm })))}.${b64url(utf8(JSON.stringify(claims)))}`;
  const digest = key.algorithm === "EdDSA" ? null : "sha256";
  const signature = sign(digest, utf8(input), key.algorithm === "ES256" ? { key: key.privateKey, dsaEncoding: "ieee-p1363" } : key.privateKey);
  return `${input}.${b64url(signature)}`;
}
