/**
 * Local verification on WebCrypto: RS256, ES256 and EdDSA tokens of real servers, and the rejection of
 * expired, wrong-audience, revoked (by introspection), under-scoped and forged tokens; the JWKS cache
 * and its rate-limited refetch on an unknown key id.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { MachineAuthClient, MachineAuthError, TokenVerificationError, TokenVerifier, verifyToken } from "../dist/index.js";
import { CountingFetch } from "./support/counting.js";
import { MAIN, SHORT, claimsOf, headerOf, rejection, serve, signing, sleep } from "./support/fixtures.js";
import { ADMIN_EMAIL, ADMIN_PASSWORD } from "./support/server.js";

const API = "https://api.example.com";
const JWKS = "GET /.well-known/jwks.json";

const encode = (value: unknown) => btoa(JSON.stringify(value)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

/** `token` with its header changed (and so its signature no longer matching). */
function withHeader(token: string, changes: Record<string, unknown>): string {
  const [, payload, signature] = token.split(".");
  return `${encode({ ...headerOf(token), ...changes })}.${payload}.${signature}`;
}

const rejected = (promise: Promise<unknown>) => rejection(promise, TokenVerificationError);

describe("verification", () => {
  const main = serve(MAIN);
  const es256 = serve(signing("ES256"));
  const eddsa = serve(signing("EdDSA"));
  const short = serve(SHORT);

  for (const [algorithm, running] of [["RS256", main], ["ES256", es256], ["EdDSA", eddsa]] as const) {
    test(`${algorithm} tokens verify`, async () => {
      const created = await running.admin.admin.agents.create({ name: `verified-${algorithm}`, scopes: ["read", "write"] });
      const client = running.clientOf(created);
      const token = (await client.getToken({ scope: "read write" })).accessToken;
      assert.equal(headerOf(token).alg, algorithm);
      const claims = await client.verifyToken(token, { scopes: ["read"] });
      assert.deepEqual([claims.clientId, claims.agentId, claims.subject], [created.clientId, created.agent.id, created.clientId]);
      assert.deepEqual([claims.issuer, claims.audience, claims.scopes], [running.server.base, [running.server.base], ["read", "write"]]);
      assert.ok(claims.expiresAt && claims.jti && claims.hasScopes("read", "write"));
      assert.equal((await verifyToken(token, { issuer: running.server.base, scopes: ["write"] })).agentId, created.agent.id);
      assert.match((await rejected(client.verifyToken(withHeader(token, { x: 1 })))).description, /signature/);
    });
  }

  test("wrong audience is rejected", async () => {
    const client = main.clientOf(await main.newAgent({ allowedAudiences: [API] }));
    const token = (await client.getToken({ resource: API })).accessToken;
    const refused = await rejected(client.verifyToken(token)); // default audience: the issuer
    assert.deepEqual([refused.error, refused.status], ["invalid_token", 401]);
    assert.match(refused.description, /audience/);
    assert.deepEqual((await client.verifyToken(token, { audience: API })).audience, [API]);
    assert.deepEqual((await client.verifyToken(token, { audience: ["https://other.example.com", API] })).audience, [API]);
    assert.match((await rejected(client.verifyToken((await client.getToken()).accessToken, { audience: API }))).description, /audience/);
  });

  test("expired tokens are rejected", async () => {
    const created = await short.admin.admin.agents.create({ name: "expiring", scopes: ["read"] });
    const client = short.clientOf(created);
    const token = (await client.requestToken()).accessToken;
    assert.equal((await client.verifyToken(token)).clientId, created.clientId);
    await sleep(3.2);
    assert.match((await rejected(client.verifyToken(token))).description, /expired/);
    assert.equal((await new TokenVerifier({ issuer: short.server.base, leeway: 30 }).verify(token)).clientId, created.clientId);
  });

  test("revoked tokens are rejected in introspection mode", async () => {
    const created = await main.newAgent();
    const client = main.clientOf(created);
    const token = (await client.requestToken()).accessToken;
    assert.equal((await main.admin.verifyToken(token, { introspect: true })).agentId, created.agent.id);
    await client.revoke(token);
    assert.equal((await main.admin.verifyToken(token)).agentId, created.agent.id); // the signature still holds locally
    const refused = await rejected(main.admin.verifyToken(token, { introspect: true }));
    assert.equal(refused.error, "invalid_token");
    assert.match(refused.description, /not active/);
    assert.match((await rejected(client.verifyToken(token, { introspect: true }))).description, /not active/);
    const other = (await client.requestToken()).accessToken;
    await main.admin.admin.agents.deactivate(created.agent.id);
    assert.match((await rejected(main.admin.verifyToken(other, { introspect: true }))).description, /not active/);
  });

  test("missing scopes are insufficient_scope", async () => {
    const client = main.clientOf(await main.newAgent());
    const refused = await rejected(client.verifyToken((await client.getToken({ scope: "read" })).accessToken, { scopes: ["read", "write"] }));
    assert.deepEqual([refused.error, refused.status, refused.requiredScopes], ["insufficient_scope", 403, ["read", "write"]]);
    assert.equal(refused.wwwAuthenticate("api"),
      'Bearer realm="api", error="insufficient_scope", error_description="the token lacks the scope write", scope="read write"');
  });

  test("forged and foreign tokens are rejected", async () => {
    const client = main.clientOf(await main.newAgent());
    const token = (await client.getToken()).accessToken;
    const [head, payload, signature] = token.split(".") as [string, string, string];
    assert.match((await rejected(client.verifyToken(`${head}.${payload}.${signature.slice(0, -4)}AAAA`))).description, /signature/);
    const unsigned = `${encode({ alg: "none", kid: headerOf(token).kid, typ: "at+jwt" })}.${payload}.`;
    assert.match((await rejected(client.verifyToken(unsigned))).description, /algorithm/);
    const hmac = `${encode({ alg: "HS256", kid: "key-1", typ: "at+jwt" })}.${payload}.${signature}`;
    assert.match((await rejected(client.verifyToken(hmac))).description, /algorithm/);
    assert.match((await rejected(client.verifyToken("not-a-token"))).description, /not a JWT/);
    const sessionToken = (await new MachineAuthClient(main.server.base).admin.login(ADMIN_EMAIL, ADMIN_PASSWORD)).token;
    assert.match((await rejected(client.verifyToken(sessionToken))).description, /not an access token/);
    assert.equal(claimsOf(token).iss, main.server.base);
    const verifier = new TokenVerifier({ issuer: main.server.base });
    const foreignES = (await es256.clientOf(await es256.admin.admin.agents.create({ name: "foreign" })).getToken()).accessToken;
    assert.match((await rejected(verifier.verify(foreignES, { audience: es256.server.base }))).description, /is for RS256, the token says ES256/);
    const foreignRS = (await short.clientOf(await short.admin.admin.agents.create({ name: "foreign" })).getToken()).accessToken;
    assert.match((await rejected(verifier.verify(foreignRS, { audience: short.server.base }))).description, /signature/);
  });

  test("the JWKS is cached and refetched at most once per interval", async () => {
    const counting = new CountingFetch();
    const verifier = new TokenVerifier({ issuer: main.server.base, fetch: counting.fetch, minRefetchInterval: 0.5 });
    const client = main.clientOf(await main.newAgent());
    for (let index = 0; index < 5; index++) await verifier.verify((await client.requestToken()).accessToken);
    assert.equal(counting.count(JWKS), 1);
    const forged = withHeader((await client.getToken()).accessToken, { kid: "made-up" });
    assert.match((await rejected(verifier.verify(forged))).description, /unknown key/);
    assert.equal(counting.count(JWKS), 1); // within the interval of the first fetch
    await sleep(0.6);
    await Promise.all(Array.from({ length: 5 }, () => rejected(verifier.verify(forged))));
    assert.equal(counting.count(JWKS), 2); // one refetch for five unknown kids
    const rotated = await main.admin.admin.keys.rotate();
    client.invalidateToken();
    const fresh = (await client.getToken()).accessToken;
    assert.equal(headerOf(fresh).kid, rotated.activeKid);
    await sleep(0.6);
    assert.equal((await verifier.verify(fresh)).clientId, client.credentials?.clientId);
    assert.equal(counting.count(JWKS), 3);
  });

  test("a stale JWKS is revalidated with its ETag", async () => {
    const counting = new CountingFetch();
    const verifier = new TokenVerifier({ issuer: main.server.base, fetch: counting.fetch, cacheTtl: 0.2, minRefetchInterval: 0 });
    const token = (await main.clientOf(await main.newAgent()).getToken()).accessToken;
    await verifier.verify(token);
    await sleep(0.3);
    await verifier.verify(token);
    assert.deepEqual(counting.log.filter(([line]) => line === JWKS).map(([, status]) => status), [200, 304]);
  });

  test("concurrent verifications share one JWKS fetch", async () => {
    const counting = new CountingFetch();
    const verifier = new TokenVerifier({ issuer: eddsa.server.base, fetch: counting.fetch });
    const client = eddsa.clientOf(await eddsa.admin.admin.agents.create({ name: "concurrent", scopes: ["read"] }));
    const tokens = await Promise.all(Array.from({ length: 3 }, () => client.requestToken()));
    const verified = await Promise.all(Array.from({ length: 21 }, (_, index) => verifier.verify(tokens[index % 3]!.accessToken, { scopes: ["read"] })));
    assert.ok(verified.every((claims) => claims.clientId === client.credentials?.clientId));
    assert.equal(counting.count(JWKS), 1);
  });

  test("no keys at all is jwks_unavailable, not the token's fault", async () => {
    const verifier = new TokenVerifier({ issuer: main.server.base, jwksUri: `${main.server.base}/no-such-jwks` });
    const token = (await main.clientOf(await main.newAgent()).getToken()).accessToken;
    const error = await rejection(verifier.verify(token), MachineAuthError);
    assert.equal(error.error, "jwks_unavailable");
    assert.ok(!(error instanceof TokenVerificationError));
  });
});
