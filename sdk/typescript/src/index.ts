/**
 * MachineAuth client: agent tokens that are always fresh, a `fetch` that attaches them, the whole
 * admin API, and local token verification (WebCrypto) for resource servers. Zero dependencies;
 * Node ≥ 18, Deno, Bun, browsers and edge runtimes.
 *
 * ```ts
 * import { MachineAuthClient } from "@machineauth/sdk";
 * const client = MachineAuthClient.fromEnv();
 * const token = await client.getToken({ scope: "read" });
 * ```
 */
export { MachineAuthClient, type ClientOptions } from "./client.js";
export { type AgentCredentials, ClientCredentials, type SecretSource } from "./credentials.js";
export { DPoPKey, type ProofOptions, htu } from "./dpop.js";
export { type AssertionProvider, type GitHubActionsOptions, JWT_BEARER_GRANT, WorkloadIdentity, githubActionsToken } from "./federation.js";
export { type PrivateKeyInput, type SigningAlgorithm, thumbprint } from "./jose.js";
export { ASSERTION_TYPE, PrivateKeyCredentials, type PrivateKeyOptions } from "./privateKey.js";
export {
  APIError, AuthenticationError, BadRequestError, ConfigurationError, ConflictError, MachineAuthError, NotFoundError,
  PermissionDeniedError, RateLimitError, ServerError, TokenVerificationError,
} from "./errors.js";
export { authorizedFetch, type TokenSource } from "./fetchAuth.js";
export type { JSONObject } from "./json.js";
export { type RetryPolicy, defaultRetryPolicy } from "./retry.js";
export { TokenCache } from "./tokenCache.js";
export { type TokenRequest, tokenKey } from "./tokenKey.js";
export type { Fetch, TransportOptions } from "./transport.js";
export { ALGORITHMS, JWKSCache } from "./verify/jwks.js";
export type { VerifiedToken } from "./verify/result.js";
export { TokenVerifier, verifyToken, type VerifierOptions, type VerifyOptions } from "./verify/verifier.js";
export type { AgentFields, AgentFilters } from "./api/agents.js";
export type { AuditFilters } from "./api/admin.js";
export type { WebhookFields } from "./api/webhooks.js";
export type { AdminMe, AuditRecord, KeyRing, Session, SessionUser, SigningKey, Stats, User } from "./models/admin.js";
export type { Agent, AgentCreated, AgentRotated, AgentUsage } from "./models/agents.js";
export type { Deleted, Page, Pagination } from "./models/common.js";
export type { Readiness, RemoteVerification, ServerMetadata, ServiceInfo } from "./models/service.js";
export type { APIKey, APIKeyCreated, Organization, OrganizationDeleted, Team } from "./models/tenancy.js";
export type { Introspection, Token, UserInfo } from "./models/tokens.js";
export type { Webhook, WebhookAttempt, WebhookDelivery, WebhookEventType, WebhookWithSecret } from "./models/webhooks.js";
