/**
 * A 401 makes the client re-authenticate once: after a secret rotation it picks up the new secret
 * from its secret source; with no new secret the refusal is thrown, not looped on.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { AuthenticationError, ClientCredentials, MachineAuthClient } from "../dist/index.js";
import { CountingFetch } from "./support/counting.js";
import { MAIN, rejection, serve } from "./support/fixtures.js";

const TOKEN = "POST /oauth/token", ME = "GET /api/agents/me";

describe("re-authentication", () => {
  const running = serve(MAIN);

  test("a rotation elsewhere is picked up from the secret source", async () => {
    const created = await running.newAgent();
    const vault = { secret: created.clientSecret };
    const counting = new CountingFetch();
    const client = new MachineAuthClient(running.server.base, { clientId: created.clientId, clientSecret: () => vault.secret, fetch: counting.fetch });
    await client.agent.me();
    vault.secret = (await running.admin.admin.agents.rotate(created.agent.id, { gracePeriodSeconds: 0 })).clientSecret;
    counting.clear();
    assert.equal((await client.agent.me()).id, created.agent.id);
    assert.deepEqual(counting.log, [[ME, 401], [TOKEN, 200], [ME, 200]]);
  });

  test("an asynchronous secret source works the same", async () => {
    const created = await running.newAgent();
    let secret = created.clientSecret;
    const client = new MachineAuthClient(running.server.base, { clientId: created.clientId, clientSecret: async () => secret });
    await client.agent.me();
    secret = (await running.admin.admin.agents.rotate(created.agent.id)).clientSecret;
    const results = await Promise.all(Array.from({ length: 10 }, () => client.agent.me()));
    assert.ok(results.every((agent) => agent.id === created.agent.id));
    assert.equal((await running.admin.admin.agents.get(created.agent.id)).tokenCount, 2);
  });

  test("without a new secret the refusal is thrown after one attempt", async () => {
    const created = await running.newAgent();
    const counting = new CountingFetch();
    const client = running.clientOf(created, { fetch: counting.fetch });
    await client.agent.me();
    await running.admin.admin.agents.rotate(created.agent.id, { gracePeriodSeconds: 0 });
    counting.clear();
    const refused = await rejection(client.agent.me(), AuthenticationError);
    assert.deepEqual([refused.status, refused.error], [401, "invalid_client"]);
    assert.deepEqual(counting.log, [[ME, 401], [TOKEN, 401]]);
  });

  test("a deactivated agent gets the error, and works again once reactivated", async () => {
    const created = await running.newAgent();
    const client = running.clientOf(created);
    await client.agent.me();
    await running.admin.admin.agents.deactivate(created.agent.id);
    assert.equal((await rejection(client.agent.me(), AuthenticationError)).error, "invalid_client");
    await running.admin.admin.agents.reactivate(created.agent.id);
    assert.equal((await client.agent.me()).status, "active");
  });

  test("a self-rotation switches the client to the new secret", async () => {
    const created = await running.newAgent();
    const counting = new CountingFetch();
    const client = running.clientOf(created, { fetch: counting.fetch });
    const rotated = await client.agent.rotateSecret();
    assert.notEqual(rotated.clientSecret, created.clientSecret);
    assert.equal(rotated.gracePeriodSeconds, 0);
    const credentials = client.credentials;
    assert.ok(credentials instanceof ClientCredentials);
    assert.equal(await credentials.currentSecret(), rotated.clientSecret);
    counting.clear();
    assert.equal((await client.agent.me()).id, created.agent.id);
    assert.deepEqual(counting.log, [[TOKEN, 200], [ME, 200]]);
    await rejection(running.clientOf(created).getToken(), AuthenticationError);
  });

  test("a grace period keeps the old secret working", async () => {
    const created = await running.newAgent();
    const rotated = await running.clientOf(created).agent.rotateSecret({ gracePeriodSeconds: 60 });
    assert.equal(rotated.gracePeriodSeconds, 60);
    assert.ok(rotated.previousSecretExpiresAt);
    assert.ok((await running.clientOf(created).getToken()).accessToken);
  });
});
