/** What a cached token is for, and the request that obtains one. */
import { type Call, type Form, scopeText, stringList } from "./call.js";
import { type Token, parseToken } from "./models/tokens.js";

/** What a token is asked for: scopes, RFC 8707 resource indicators, an audience. */
export interface TokenRequest {
  /** Scopes to ask for (space-separated or a list); none asks for all the agent's. */
  scope?: string | readonly string[];
  /** Resource indicator(s): whom the token is for (its `aud`); one of the agent's `allowed_audiences`. */
  resource?: string | readonly string[];
  /** The audience, for servers that name it so. */
  audience?: string;
}

/**
 * The normalized parameters a token was asked with; tokens are cached per `id`, so `"read write"`
 * and `["write", "read"]` share one.
 */
export interface TokenKey {
  id: string;
  scope: string | undefined;
  resources: string[];
  audience: string | undefined;
}

export function tokenKey(request: TokenRequest = {}): TokenKey {
  const words = scopeText(request.scope);
  const scope = words ? [...new Set(words.split(" "))].sort().join(" ") : undefined;
  const resources = [...new Set(stringList(request.resource))].sort();
  const audience = request.audience || undefined;
  return { id: JSON.stringify([scope ?? null, resources, audience ?? null]), scope, resources, audience };
}

/** The key of the token for MachineAuth's own API: no scope asked (all the agent's), default audience. */
export const defaultKey = tokenKey();

/** The `client_credentials` request for a token of `key`. */
export function grant(key: TokenKey): Call<Token> {
  const form: Form = { grant_type: "client_credentials" };
  if (key.scope) form.scope = key.scope;
  if (key.resources.length > 0) form.resource = key.resources;
  if (key.audience) form.audience = key.audience;
  return { method: "POST", path: "/oauth/token", parse: parseToken, auth: "client", form };
}
