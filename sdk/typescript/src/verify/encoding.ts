/** base64url and WebCrypto access that work on Node ≥ 18, Deno, Bun, browsers and edge runtimes. */

/** The bytes of a base64url string (JWS segments); throws on characters outside the alphabet. */
export function base64urlBytes(segment: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(segment)) throw new Error("not base64url");
  const padded = segment.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((segment.length + 3) % 4);
  const binary = atob(padded);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

/** The JSON object a base64url segment holds (a JWT header or payload). */
export function base64urlJSON(segment: string): unknown {
  return JSON.parse(new TextDecoder().decode(base64urlBytes(segment)));
}

let subtle: SubtleCrypto | undefined;

/**
 * The runtime's `SubtleCrypto`: `globalThis.crypto.subtle` everywhere but Node 18, where it is
 * `node:crypto`'s `webcrypto` (imported only there, by a specifier bundlers leave alone).
 */
export async function subtleCrypto(): Promise<SubtleCrypto> {
  if (subtle) return subtle;
  const global = (globalThis as { crypto?: Crypto }).crypto;
  if (global?.subtle) return (subtle = global.subtle);
  const specifier = "node:crypto";
  const module = (await import(/* webpackIgnore: true */ /* @vite-ignore */ specifier)) as { webcrypto: Crypto };
  return (subtle = module.webcrypto.subtle);
}
