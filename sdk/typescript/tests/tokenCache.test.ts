/** The token cache: fifty concurrent callers ask the server once, a failure is shared, tokens are renewed before expiry. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { AuthenticationError, MachineAuthClient } from "../dist/index.js";
import { CountingFetch } from "./support/counting.js";
import { MAIN, SHORT, serve, sleep } from "./support/fixtures.js";

const CALLERS = 50;
const TOKEN = "POST /oauth/token";

describe("token cache", () => {
  const running = serve(MAIN);
  const short = serve(SHORT);

  test("fifty concurrent callers share one token request", async () => {
    const created = await running.newAgent();
    const counting = new CountingFetch();
    const client = running.clientOf(created, { fetch: counting.fetch });
    const tokens = await Promise.all(Array.from({ length: CALLERS }, () => client.getToken({ scope: "read" })));
    assert.equal(new Set(tokens.map((token) => token.accessToken)).size, 1);
    assert.equal(counting.count(TOKEN), 1);
    assert.equal((await running.admin.admin.agents.get(created.agent.id)).tokenCount, 1);
  });

  test("a refused request is shared, not repeated", async () => {
    const created = await running.newAgent();
    const counting = new CountingFetch();
    const client = new MachineAuthClient(running.server.base, { clientId: created.clientId, clientSecret: "cs_wrong", fetch: counting.fetch });
    const outcomes = await Promise.allSettled(Array.from({ length: CALLERS }, () => client.getToken()));
    assert.ok(outcomes.every((outcome) => outcome.status === "rejected" && outcome.reason instanceof AuthenticationError
      && outcome.reason.error === "invalid_client"));
    assert.equal(counting.count(TOKEN), 1);
    assert.equal((await running.admin.admin.agents.get(created.agent.id)).failedAuthCount, 1);
  });

  test("tokens are renewed before they expire", async () => {
    const created = await short.admin.admin.agents.create({ name: "short-lived", scopes: ["read"] });
    const counting = new CountingFetch();
    const client = short.clientOf(created, { fetch: counting.fetch });
    const first = await client.getToken();
    assert.equal(first.expiresIn, 3);
    assert.equal((await client.getToken()).accessToken, first.accessToken);
    await sleep(2.5); // past four fifths of its life, still before it expires
    assert.ok((await client.introspect(first.accessToken)).active);
    const second = await client.getToken();
    assert.notEqual(second.accessToken, first.accessToken);
    assert.equal((await client.agent.me()).clientId, created.clientId);
    assert.equal(counting.count(TOKEN), 2);
  });

  test("renewBefore sets how early", async () => {
    const created = await short.admin.admin.agents.create({ name: "renew-before", scopes: ["read"] });
    const client = short.clientOf(created, { renewBefore: 0.3 });
    const first = await client.getToken();
    await sleep(2.5); // within a fifth of its life, but more than 0.3 s before expiry
    assert.equal((await client.getToken()).accessToken, first.accessToken);
    await sleep(0.4);
    assert.notEqual((await client.getToken()).accessToken, first.accessToken);
  });
});
