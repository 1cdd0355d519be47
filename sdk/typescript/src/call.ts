/**
 * A request to the server as a value: what to send, how to authenticate and how to read the answer.
 * Every API method builds a `Call` and hands it to the `Transport`.
 */
import type { JSONObject } from "./json.js";

/**
 * How a call authenticates: the agent's cached token (`agent`, re-authenticated once on a 401), an
 * admin session token or API key (`admin`), the agent's client id and secret (`client`), or admin
 * credentials when there are some (they see every token) and the client's otherwise (`adminOrClient`).
 */
export type Auth = "none" | "agent" | "admin" | "client" | "adminOrClient";

/** Form parameters; a list repeats the parameter (`resource`). */
export type Form = Record<string, string | string[]>;

export interface Call<T> {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  parse: (data: JSONObject) => T;
  auth: Auth;
  query?: Record<string, string> | undefined;
  json?: JSONObject | undefined;
  form?: Form | undefined;
  /** Read the answer as text (`/metrics`): `parse` receives `{ text }`. */
  text?: boolean;
  /** Updates the client with the result (a login keeps the session, a self-rotation the new secret). */
  after?: ((result: T) => void) | undefined;
}

/** A path with each interpolated part percent-encoded: ``path`/api/agents/${id}` ``. */
export function path(template: TemplateStringsArray, ...parts: string[]): string {
  return template.reduce((built, piece, index) => built + piece + (index < parts.length ? encodeURIComponent(parts[index]!) : ""), "");
}

/** An RFC 3339 timestamp as the server reads it (seconds precision, UTC). */
export function timestamp(value: Date | string): string {
  return typeof value === "string" ? value : value.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * A JSON body of the given fields: `undefined` is left out, `null` is sent (it clears nullable
 * fields such as `expiresAt` or `teamId`), dates become RFC 3339 strings.
 */
export function fields(values: Record<string, unknown>): JSONObject {
  const body: JSONObject = {};
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) continue;
    body[key] = value instanceof Date ? timestamp(value) : value;
  }
  return body;
}

/** Query parameters, leaving out `undefined`; booleans as `true`/`false`, dates as RFC 3339. */
export function query(values: Record<string, string | number | boolean | Date | undefined>): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) continue;
    params[key] = value instanceof Date ? timestamp(value) : String(value);
  }
  return params;
}

/** Scopes as the space-separated string OAuth sends (`undefined` for none). */
export function scopeText(scope: string | readonly string[] | undefined): string | undefined {
  if (scope === undefined) return undefined;
  const words = (typeof scope === "string" ? [scope] : [...scope]).flatMap((item) => item.split(/\s+/)).filter(Boolean);
  return words.length > 0 ? words.join(" ") : undefined;
}

/** One string or several as a list. */
export const stringList = (value: string | readonly string[] | undefined): string[] =>
  value === undefined ? [] : typeof value === "string" ? [value] : [...value];
