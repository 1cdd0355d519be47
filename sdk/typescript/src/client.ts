/** `MachineAuthClient`: the whole API for agents, administrators and resource servers. */
import { Admin } from "./api/admin.js";
import { SelfService } from "./api/selfService.js";
import { type Form, scopeText } from "./call.js";
import { type AgentCredentials, ClientCredentials, ClientState, type SecretSource } from "./credentials.js";
import { DPoPKey, isBound } from "./dpop.js";
import { type AssertionProvider, WorkloadIdentity } from "./federation.js";
import type { PrivateKeyInput, SigningAlgorithm } from "./jose.js";
import { PrivateKeyCredentials } from "./privateKey.js";
import { type Environment, settingsFromEnv } from "./env.js";
import { ConfigurationError } from "./errors.js";
import { authorizedFetch } from "./fetchAuth.js";
import type { JSONObject } from "./json.js";
import { type Introspection, type Token, parseIntrospection, parseToken } from "./models/tokens.js";
import {
  type Readiness, type RemoteVerification, type ServerMetadata, type ServiceInfo, parseReadiness, parseRemoteVerification,
  parseServerMetadata, parseServiceInfo,
} from "./models/service.js";
import { type TokenRequest, grant, tokenKey } from "./tokenKey.js";
import { type Fetch, Transport, type TransportOptions } from "./transport.js";
import type { VerifiedToken } from "./verify/result.js";
import { TokenVerifier, type VerifierOptions, type VerifyOptions } from "./verify/verifier.js";

export interface ClientOptions extends TransportOptions {
  /** The agent's client id; goes with `clientSecret`, or with `privateKey` and `keyId`. */
  clientId?: string;
  /** The agent's secret, or a function returning the current one (see `SecretSource`). */
  clientSecret?: SecretSource;
  /**
   * Instead of a secret (`private_key_jwt`): the agent's private key — PKCS#8 PEM, a private JWK or an
   * extractable `CryptoKey`; every request signs a fresh assertion (see `PrivateKeyCredentials`).
   */
  privateKey?: PrivateKeyInput;
  /** The `kid` of the agent's registered public key; goes with `privateKey`. */
  keyId?: string;
  /** The assertions' algorithm (default the key type's: ES256, EdDSA, RS256; or PS256). */
  keyAlgorithm?: SigningAlgorithm;
  /**
   * Workload identity federation, instead of client credentials: the path of a platform token file
   * (a Kubernetes projected service-account token), read anew for every token request.
   */
  assertionFile?: string;
  /** Workload identity federation: a function returning the current platform token (`githubActionsToken(…)`). */
  assertionProvider?: AssertionProvider;
  /**
   * DPoP (RFC 9449): a `DPoPKey`, or its private key (PKCS#8 PEM, private JWK, extractable `CryptoKey`).
   * Token requests carry a fresh proof, so tokens come bound to the key (`tokenType: "DPoP"`), and
   * calls to MachineAuth's API present them as `Authorization: DPoP` with a proof.
   */
  dpopKey?: DPoPKey | PrivateKeyInput;
  /** The proofs' algorithm when `dpopKey` is a bare key (default the key type's). */
  dpopAlgorithm?: SigningAlgorithm;
  /** An admin session token for the admin API (`admin.login()` sets one too). */
  adminToken?: string;
  /** An organization `sk_` API key for the admin API. */
  apiKey?: string;
  /** The `iss` of tokens, for `verifyToken`; default from the server's metadata. */
  issuer?: string;
}

const document = (data: JSONObject): JSONObject => data;

/**
 * A MachineAuth client for an agent, an administrator, or both.
 *
 * ```ts
 * const client = new MachineAuthClient("https://auth.example.com", { clientId: "cid_…", clientSecret: "cs_…" });
 * await client.getToken({ scope: "read" });        // cached, renewed before it expires
 * await client.agent.me();                         // the agent's own API, with its token
 * await client.admin.login("admin@example.com", "…");
 * ```
 */
export class MachineAuthClient {
  /** What the agent does with its own token. */
  readonly agent: SelfService;
  /** The admin API (a session from `admin.login()`, or `adminToken` / `apiKey`). */
  readonly admin: Admin;
  private readonly transport: Transport;
  private issuerValue: string | undefined;
  private defaultVerifier: Promise<TokenVerifier> | undefined;

  constructor(baseUrl: string, options: ClientOptions = {}) {
    const workload = workloadOf(options);
    const credentials = workload ? null : credentialsOf(options);
    const dpop = options.dpopKey === undefined ? null : DPoPKey.from(options.dpopKey, options.dpopAlgorithm);
    dpop?.catch(() => undefined); // reported by the first request that needs the key
    const state = new ClientState(credentials, options.adminToken ?? options.apiKey ?? null, workload, dpop, options.issuer);
    this.transport = new Transport(baseUrl, state, options);
    this.agent = new SelfService(this.transport);
    this.admin = new Admin(this.transport);
    this.issuerValue = options.issuer;
  }

  /** A client from `MACHINEAUTH_URL`, `MACHINEAUTH_CLIENT_ID` and `MACHINEAUTH_CLIENT_SECRET` (`process.env` or `Deno.env`). */
  static fromEnv(env?: Environment, options: Omit<ClientOptions, "clientId" | "clientSecret" | "privateKey" | "keyId" | "assertionFile" | "assertionProvider"> = {}): MachineAuthClient {
    const { url, ...credentials } = settingsFromEnv(env);
    return new MachineAuthClient(url, { ...options, ...credentials });
  }

  get baseUrl(): string {
    return this.transport.baseUrl;
  }

  /** The agent's credentials (with the new secret after `agent.rotateSecret()`). */
  get credentials(): AgentCredentials | null {
    return this.transport.state.credentials;
  }

  /** The DPoP key every token request proves possession of (`null`: bearer tokens). */
  async dpopKey(): Promise<DPoPKey | null> {
    return this.transport.state.dpop;
  }

  /** A fresh DPoP proof for `method` `url` (with `ath` when `accessToken` is given), signed with the client's `dpopKey`. */
  async dpopProof(method: string, url: string, options: { accessToken?: string; nonce?: string } = {}): Promise<string> {
    return (await requireKey(this.transport.state.dpop)).proof(method, url, options);
  }

  /**
   * The headers for one request of yours to a resource server: the agent's token (`token`, else
   * `getToken(request)`) as `Authorization: DPoP` and a fresh proof for `method` `url` with its
   * `ath`. A `Token` the server did not bind (`tokenType: "Bearer"`) gets `Authorization: Bearer` alone.
   *
   * ```ts
   * await fetch(url, { headers: await client.dpopHeaders("GET", url, { resource: "https://api.example.com" }) });
   * ```
   */
  async dpopHeaders(method: string, url: string, options: TokenRequest & { token?: Token | string; nonce?: string } = {}): Promise<Record<string, string>> {
    const key = await requireKey(this.transport.state.dpop);
    const { token, nonce, ...request } = options;
    const presented = token ?? (await this.getToken(request));
    if (typeof presented !== "string" && !isBound(presented)) return { Authorization: `Bearer ${presented.accessToken}` };
    return key.headers(method, url, typeof presented === "string" ? presented : presented.accessToken, nonce);
  }


  /**
   * A valid access token from the cache, asking the server only when there is none or it is due for
   * renewal; concurrent callers share one request. See `requestToken` for an uncached one.
   */
  getToken(request: TokenRequest = {}): Promise<Token> {
    return this.transport.token(tokenKey(request));
  }

  /**
   * Drops the cached token of these parameters (only if it is still `token`, when given), say after a
   * resource server refused it; the next `getToken` asks for a new one.
   */
  invalidateToken(token?: Token | string, request: TokenRequest = {}): void {
    this.transport.tokens.invalidate(tokenKey(request), typeof token === "string" ? token : token?.accessToken);
  }

  /** A new token by the `client_credentials` grant, bypassing the cache. */
  requestToken(request: TokenRequest = {}): Promise<Token> {
    return this.transport.send(grant(tokenKey(request)));
  }

  /**
   * A new token for a refresh token. The refresh token rotates: keep the one returned; presenting the
   * old one again revokes the whole grant.
   */
  refresh(refreshToken: string, options: { scope?: string | readonly string[] } = {}): Promise<Token> {
    const form: Form = { grant_type: "refresh_token", refresh_token: refreshToken };
    const scope = scopeText(options.scope);
    if (scope) form.scope = scope;
    return this.transport.send({ method: "POST", path: "/oauth/token", parse: parseToken, auth: "client", form });
  }

  /**
   * RFC 7662 introspection. With admin credentials (a session or an organization API key) any token the
   * caller may see; with client credentials only the agent's own — any other answers `active: false`.
   */
  introspect(token: string, options: { tokenTypeHint?: string } = {}): Promise<Introspection> {
    return this.transport.send({
      method: "POST", path: "/oauth/introspect", parse: parseIntrospection, auth: "adminOrClient", form: tokenForm(token, options),
    });
  }

  /** RFC 7009 revocation: an access token is denylisted until it expires, a refresh token revokes its grant. */
  async revoke(token: string, options: { tokenTypeHint?: string } = {}): Promise<void> {
    await this.transport.send({ method: "POST", path: "/oauth/revoke", parse: () => undefined, auth: "adminOrClient", form: tokenForm(token, options) });
  }

  /** A `fetch` sending this agent's token for `request` with every request, re-authenticating once on a 401. */
  authorizedFetch(request: TokenRequest = {}): Fetch {
    return authorizedFetch(this, request, this.transport.fetch);
  }

  /** Whether this client proves possession of a DPoP key (`authorizedFetch` uses it for bound tokens). */
  get usesDPoP(): boolean {
    return this.transport.state.dpop !== null;
  }

  /** `GET /`: the service name, version and issuer. */
  info(): Promise<ServiceInfo> {
    return this.transport.send({ method: "GET", path: "/", parse: parseServiceInfo, auth: "none" });
  }

  /** `GET /health`: whether the server is alive. */
  health(): Promise<boolean> {
    return this.transport.send({ method: "GET", path: "/health", parse: (data) => data.status === "ok", auth: "none" });
  }

  /** `GET /health/ready`: storage answers (a `ServerError` with 503 when it does not). */
  ready(): Promise<Readiness> {
    return this.transport.send({ method: "GET", path: "/health/ready", parse: parseReadiness, auth: "none" });
  }

  /** RFC 8414 authorization server metadata. */
  metadata(): Promise<ServerMetadata> {
    return this.transport.send({ method: "GET", path: "/.well-known/oauth-authorization-server", parse: parseServerMetadata, auth: "none" });
  }

  /** `/.well-known/openid-configuration`: the metadata with the OpenID Connect fields. */
  openidConfiguration(): Promise<JSONObject> {
    return this.transport.send({ method: "GET", path: "/.well-known/openid-configuration", parse: document, auth: "none" });
  }

  /** RFC 9728 metadata of a protected resource (`resourcePath` for a resource with a path). */
  protectedResource(resourcePath = ""): Promise<JSONObject> {
    const suffix = resourcePath ? `/${resourcePath.replace(/^\/+/, "")}` : "";
    return this.transport.send({ method: "GET", path: `/.well-known/oauth-protected-resource${suffix}`, parse: document, auth: "none" });
  }

  /** The JSON Web Key Set of the signing keys. */
  jwks(): Promise<JSONObject> {
    return this.transport.send({ method: "GET", path: "/.well-known/jwks.json", parse: document, auth: "none" });
  }

  /** The OpenAPI 3.1 document of every route. */
  openapi(): Promise<JSONObject> {
    return this.transport.send({ method: "GET", path: "/openapi.json", parse: document, auth: "none" });
  }

  /** The Prometheus metrics text. */
  metrics(): Promise<string> {
    return this.transport.send({ method: "GET", path: "/metrics", parse: (data) => String(data.text), auth: "none", text: true });
  }

  /** Asks the server what a bearer token or API key is (`/api/verify`); sees revocations at once. */
  verifyRemote(token: string): Promise<RemoteVerification> {
    return this.transport.send({ method: "POST", path: "/api/verify", parse: parseRemoteVerification, auth: "none", form: { token } });
  }

  /** The `iss` of this server's tokens (given, or read once from its metadata). */
  async issuer(): Promise<string> {
    this.issuerValue ??= (await this.metadata()).issuer;
    return this.issuerValue;
  }

  /**
   * A `TokenVerifier` for this server's tokens whose `introspect: true` asks this client's `introspect`
   * (give the client admin credentials or an API key to see other agents' tokens).
   */
  async verifier(options: Omit<VerifierOptions, "issuer" | "jwksUri" | "fetch" | "introspect"> = {}): Promise<TokenVerifier> {
    return new TokenVerifier({
      ...options, issuer: await this.issuer(), jwksUri: `${this.baseUrl}/.well-known/jwks.json`, fetch: this.transport.fetch,
      introspect: (token) => this.introspect(token),
    });
  }

  /**
   * Verifies an access token locally with the client's verifier (see `TokenVerifier.verify`); the
   * audience defaults to the issuer, so pass your resource server's identifier.
   */
  async verifyToken(token: string, options: VerifyOptions = {}): Promise<VerifiedToken> {
    this.defaultVerifier ??= this.verifier();
    return (await this.defaultVerifier).verify(token, options);
  }
}

async function requireKey(key: Promise<DPoPKey> | null): Promise<DPoPKey> {
  if (!key) throw new ConfigurationError("this client has no DPoP key: pass dpopKey to the client");
  return key;
}

function workloadOf(options: ClientOptions): WorkloadIdentity | null {
  if (options.assertionFile === undefined && options.assertionProvider === undefined) return null;
  if (options.assertionFile !== undefined && options.assertionProvider !== undefined) throw new TypeError("give assertionFile or assertionProvider, not both");
  if (options.clientId !== undefined || options.clientSecret !== undefined || options.privateKey !== undefined) {
    throw new TypeError("a workload exchanging a platform token (assertionFile, assertionProvider) has no clientId, clientSecret or privateKey: the server's rules name its agent");
  }
  return options.assertionFile !== undefined ? WorkloadIdentity.fromFile(options.assertionFile) : new WorkloadIdentity(options.assertionProvider!);
}

function credentialsOf(options: ClientOptions): AgentCredentials | null {
  if (options.privateKey !== undefined) {
    if (options.clientSecret !== undefined) throw new TypeError("give clientSecret or privateKey, not both");
    if (!options.clientId || !options.keyId) throw new TypeError("privateKey goes with clientId and keyId");
    const keyOptions = options.keyAlgorithm === undefined ? { keyId: options.keyId } : { keyId: options.keyId, algorithm: options.keyAlgorithm };
    return new PrivateKeyCredentials(options.clientId, options.privateKey, keyOptions);
  }
  if ((options.clientId === undefined) !== (options.clientSecret === undefined)) throw new TypeError("clientId and clientSecret go together");
  return options.clientId && options.clientSecret ? new ClientCredentials(options.clientId, options.clientSecret) : null;
}

function tokenForm(token: string, options: { tokenTypeHint?: string }): Form {
  return options.tokenTypeHint ? { token, token_type_hint: options.tokenTypeHint } : { token };
}
