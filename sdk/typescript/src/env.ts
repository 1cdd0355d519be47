/** Client settings from the environment (`fromEnv`), on Node, Bun and Deno. */
import { ConfigurationError } from "./errors.js";

export const URL_VARIABLE = "MACHINEAUTH_URL";
export const CLIENT_ID_VARIABLE = "MACHINEAUTH_CLIENT_ID";
export const CLIENT_SECRET_VARIABLE = "MACHINEAUTH_CLIENT_SECRET";

export type Environment = Record<string, string | undefined>;

/** The process environment: `process.env` (Node, Bun) or `Deno.env` (Deno); empty elsewhere. */
export function processEnvironment(): Environment {
  const runtime = globalThis as { process?: { env?: Environment }; Deno?: { env: { toObject(): Environment } } };
  if (runtime.process?.env) return runtime.process.env;
  try {
    return runtime.Deno?.env.toObject() ?? {};
  } catch {
    return {};
  }
}

/**
 * `{ url, clientId, clientSecret }` from `MACHINEAUTH_URL`, `MACHINEAUTH_CLIENT_ID` and
 * `MACHINEAUTH_CLIENT_SECRET`. The URL is required; the id and the secret come together or not at all.
 */
export function settingsFromEnv(env: Environment = processEnvironment()): { url: string; clientId?: string; clientSecret?: string } {
  const read = (name: string) => env[name]?.trim() || undefined;
  const url = read(URL_VARIABLE);
  if (!url) throw new ConfigurationError(`${URL_VARIABLE} is not set`);
  const clientId = read(CLIENT_ID_VARIABLE), clientSecret = read(CLIENT_SECRET_VARIABLE);
  if ((clientId === undefined) !== (clientSecret === undefined)) {
    const [missing, other] = clientId === undefined ? [CLIENT_ID_VARIABLE, CLIENT_SECRET_VARIABLE] : [CLIENT_SECRET_VARIABLE, CLIENT_ID_VARIABLE];
    throw new ConfigurationError(`${missing} is not set (it goes with ${other})`);
  }
  return clientId && clientSecret ? { url, clientId, clientSecret } : { url };
}
