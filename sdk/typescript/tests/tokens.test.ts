/** Tokens: the cached getToken with scope / resource / audience, requestToken, refresh, introspection, revocation, errors. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { AuthenticationError, BadRequestError, ConfigurationError, MachineAuthClient } from "../dist/index.js";
import { MAIN, claimsOf, rejection, serve } from "./support/fixtures.js";
import { unique } from "./support/server.js";

const API = "https://api.example.com";
const BILLING = "https://billing.example.com";

describe("tokens", () => {
  const running = serve(MAIN);

  test("getToken is cached per parameters", async () => {
    const created = await running.newAgent();
    const client = running.clientOf(created);
    const read = await client.getToken({ scope: "read" });
    assert.deepEqual(read.scopes, ["read"]);
    assert.equal(read.tokenType, "Bearer");
    assert.equal(read.expiresIn, 3600);
    assert.equal((await client.getToken({ scope: ["read"] })).accessToken, read.accessToken);
    const both = await client.getToken({ scope: "write read" });
    assert.equal((await client.getToken({ scope: ["read", "write"] })).accessToken, both.accessToken);
    assert.notEqual(both.accessToken, read.accessToken);
    assert.deepEqual(new Set((await client.getToken()).scopes), new Set(["read", "write"]));
    assert.equal((await running.admin.admin.agents.get(created.agent.id)).tokenCount, 3);
  });

  test("resource and audience set the token's audience", async () => {
    const client = running.clientOf(await running.newAgent({ allowedAudiences: [API, BILLING] }));
    assert.equal(claimsOf((await client.getToken()).accessToken).aud, running.server.base);
    assert.equal(claimsOf((await client.getToken({ resource: API })).accessToken).aud, API);
    assert.equal(claimsOf((await client.getToken({ audience: BILLING })).accessToken).aud, BILLING);
    const both = claimsOf((await client.getToken({ resource: [BILLING, API] })).accessToken).aud as string[];
    assert.deepEqual([...both].sort(), [API, BILLING]);
  });

  test("requestToken bypasses the cache", async () => {
    const client = running.clientOf(await running.newAgent());
    const first = await client.requestToken({ scope: "read" }), second = await client.requestToken({ scope: "read" });
    assert.notEqual(first.accessToken, second.accessToken);
    assert.ok(![first.accessToken, second.accessToken].includes((await client.getToken({ scope: "read" })).accessToken));
  });

  test("token errors carry the OAuth error", async () => {
    const created = await running.newAgent({ scopes: ["read"] });
    const client = running.clientOf(created);
    const scope = await rejection(client.getToken({ scope: "admin" }), BadRequestError);
    assert.deepEqual([scope.status, scope.error], [400, "invalid_scope"]);
    assert.match(scope.description, /admin/);
    assert.equal((await rejection(client.getToken({ resource: "https://elsewhere.example.com" }), BadRequestError)).error, "invalid_target");
    const wrong = new MachineAuthClient(running.server.base, { clientId: created.clientId, clientSecret: "cs_wrong" });
    const refused = await rejection(wrong.getToken(), AuthenticationError);
    assert.deepEqual([refused.status, refused.error], [401, "invalid_client"]);
    assert.ok(refused.requestId);
    await rejection(new MachineAuthClient(running.server.base).getToken(), ConfigurationError);
  });

  test("refresh rotates and a replay revokes the grant", async () => {
    const client = running.clientOf(await running.newAgent());
    const first = await client.requestToken({ scope: "read" });
    assert.ok(first.refreshToken);
    assert.match(first.refreshToken, /^rt_/);
    const second = await client.refresh(first.refreshToken);
    assert.ok(second.refreshToken);
    assert.notEqual(second.refreshToken, first.refreshToken);
    assert.deepEqual(second.scopes, ["read"]);
    assert.equal((await rejection(client.refresh(first.refreshToken), BadRequestError)).error, "invalid_grant");
    await rejection(client.refresh(second.refreshToken), BadRequestError);
  });

  test("introspection with client credentials and admin credentials", async () => {
    const created = await running.newAgent();
    const client = running.clientOf(created), stranger = running.clientOf(await running.newAgent());
    const token = await client.requestToken({ scope: "read" });
    const own = await client.introspect(token.accessToken);
    assert.ok(own.active && own.expiresAt);
    assert.deepEqual([own.clientId, own.agentId, own.scopes, own.audience, own.tokenType],
      [created.clientId, created.agent.id, ["read"], [running.server.base], "Bearer"]);
    const refresh = await client.introspect(token.refreshToken!, { tokenTypeHint: "refresh_token" });
    assert.ok(refresh.active);
    assert.equal(refresh.tokenType, "refresh_token");
    assert.equal((await stranger.introspect(token.accessToken)).active, false);
    assert.ok((await running.admin.introspect(token.accessToken)).active);
    assert.equal((await running.admin.introspect("not-a-token")).active, false);
  });

  test("revocation of access and refresh tokens", async () => {
    const client = running.clientOf(await running.newAgent());
    const token = await client.requestToken();
    await client.revoke(token.accessToken);
    assert.equal((await client.introspect(token.accessToken)).active, false);
    const other = await client.requestToken();
    await running.admin.revoke(other.refreshToken!, { tokenTypeHint: "refresh_token" });
    assert.equal((await rejection(client.refresh(other.refreshToken!), BadRequestError)).error, "invalid_grant");
    await client.revoke("whatever");
  });

  test("an API key introspects its organization's agents only", async () => {
    const organization = await running.admin.admin.organizations.create({ name: "Introspection", slug: unique("introspection") });
    const key = await running.admin.admin.apiKeys.create(organization.id, { name: "resource-server" });
    const member = running.clientOf(await running.admin.admin.organizations.createAgent(organization.id, { name: unique("member"), scopes: ["read"] }));
    const resource = new MachineAuthClient(running.server.base, { apiKey: key.key });
    assert.ok((await resource.introspect((await member.getToken()).accessToken)).active);
    const outsider = running.clientOf(await running.newAgent());
    assert.equal((await resource.introspect((await outsider.getToken()).accessToken)).active, false);
  });
});
