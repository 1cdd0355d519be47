/** Public endpoints: identity, health, metadata, JWKS, OpenAPI, metrics, /api/verify; and fromEnv. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { AuthenticationError, ConfigurationError, MachineAuthClient } from "../dist/index.js";
import { MAIN, rejection, serve } from "./support/fixtures.js";

describe("service", () => {
  const running = serve(MAIN);

  test("public endpoints", async () => {
    const client = new MachineAuthClient(running.server.base);
    const base = running.server.base;
    const info = await client.info();
    assert.deepEqual([info.service, info.issuer], ["MachineAuth", base]);
    assert.ok(info.version);
    assert.equal(await client.health(), true);
    const ready = await client.ready();
    assert.deepEqual([ready.status, ready.storage], ["ready", "json"]);
    const metadata = await client.metadata();
    assert.deepEqual([metadata.issuer, metadata.tokenEndpoint, metadata.signingAlgorithms], [base, `${base}/oauth/token`, ["RS256"]]);
    assert.ok(metadata.grantTypesSupported.includes("client_credentials"));
    assert.equal((await client.openidConfiguration()).issuer, base);
    const resource = await client.protectedResource();
    assert.deepEqual([resource.resource, resource.authorization_servers], [base, [base]]);
    assert.equal((await client.protectedResource("v1/reports")).resource, base); // matched by host
    assert.equal(((await client.jwks()).keys as { alg: string }[])[0]!.alg, "RS256");
    assert.match(String((await client.openapi()).openapi), /^3\.1/);
    assert.match(await client.metrics(), /# TYPE/);
    assert.equal(await client.issuer(), base);
  });

  test("verifyRemote", async () => {
    const created = await running.newAgent();
    const client = running.clientOf(created);
    const token = await client.getToken({ scope: "read" });
    const described = await client.verifyRemote(token.accessToken);
    assert.deepEqual([described.valid, described.tokenType, described.scopes], [true, "access_token", ["read"]]);
    assert.equal(described.agent?.id, created.agent.id);
    assert.equal(described.claims.client_id, created.clientId);
    await client.revoke(token.accessToken);
    assert.equal((await rejection(client.verifyRemote(token.accessToken), AuthenticationError)).error, "invalid_token");
  });

  test("fromEnv", async () => {
    const created = await running.newAgent();
    const env = { MACHINEAUTH_URL: running.server.base, MACHINEAUTH_CLIENT_ID: created.clientId, MACHINEAUTH_CLIENT_SECRET: created.clientSecret };
    assert.equal((await MachineAuthClient.fromEnv(env).agent.me()).id, created.agent.id);
    assert.throws(() => MachineAuthClient.fromEnv({}), ConfigurationError);
    assert.throws(() => MachineAuthClient.fromEnv({ MACHINEAUTH_URL: running.server.base, MACHINEAUTH_CLIENT_ID: "cid_x" }),
      (error: unknown) => error instanceof ConfigurationError && error.description.includes("MACHINEAUTH_CLIENT_SECRET"));
    const anonymous = MachineAuthClient.fromEnv({ MACHINEAUTH_URL: running.server.base });
    assert.equal(anonymous.credentials, null);
    assert.ok(await anonymous.health());
    process.env.MACHINEAUTH_URL = running.server.base;
    assert.equal(MachineAuthClient.fromEnv().baseUrl, running.server.base); // process.env by default
  });
});
