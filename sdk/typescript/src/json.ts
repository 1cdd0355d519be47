/**
 * Typed readers for the server's JSON: each takes a field, or its default when it is missing or of
 * another type, so a newer server with more (or fewer optional) fields never breaks a client.
 */

/** A decoded JSON object. */
export type JSONObject = Record<string, unknown>;

export function isObject(value: unknown): value is JSONObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The string at `key`. */
export const text = (data: JSONObject, key: string, fallback = ""): string =>
  typeof data[key] === "string" ? (data[key] as string) : fallback;

/** The string at `key`, or `null` (for fields the server sends as `null`). */
export const optionalText = (data: JSONObject, key: string): string | null =>
  typeof data[key] === "string" ? (data[key] as string) : null;

/** The number at `key`. */
export const num = (data: JSONObject, key: string, fallback = 0): number =>
  typeof data[key] === "number" ? (data[key] as number) : fallback;

/** The number at `key`, or `null`. */
export const optionalNum = (data: JSONObject, key: string): number | null =>
  typeof data[key] === "number" ? (data[key] as number) : null;

/** The boolean at `key`. */
export const bool = (data: JSONObject, key: string, fallback = false): boolean =>
  typeof data[key] === "boolean" ? (data[key] as boolean) : fallback;

/** The strings at `key` (a single string counts as a list of one: `aud`). */
export function strings(data: JSONObject, key: string): string[] {
  const value = data[key];
  if (typeof value === "string") return [value];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

/** The object at `key`, or an empty one. */
export const obj = (data: JSONObject, key: string): JSONObject => (isObject(data[key]) ? (data[key] as JSONObject) : {});

/** The objects of the list at `key`. */
export function objects(data: JSONObject, key: string): JSONObject[] {
  const value = data[key];
  return Array.isArray(value) ? value.filter(isObject) : [];
}

/** The string-to-string object at `key` (agent `metadata`). */
export function stringMap(data: JSONObject, key: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(obj(data, key))) if (typeof value === "string") result[name] = value;
  return result;
}

/** The RFC 3339 timestamp at `key`, or `null` when it is missing, `null` or unreadable. */
export function optionalDate(data: JSONObject, key: string): Date | null {
  const value = data[key];
  if (typeof value !== "string") return null;
  const parsed = new Date(value);
  return Number.isNaN(parsed.getTime()) ? null : parsed;
}

/** The timestamp at `key` (the Unix epoch when it is missing). */
export const date = (data: JSONObject, key: string): Date => optionalDate(data, key) ?? new Date(0);

/** The Unix time (seconds) at `key` as a `Date` (JWT `exp`, `iat`). */
export function epochDate(data: JSONObject, key: string): Date | null {
  const value = optionalNum(data, key);
  return value === null ? null : new Date(value * 1000);
}
