/** `client.authorizedFetch()` sends a fresh agent token with every request and re-authenticates once on a 401. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { AuthenticationError, MachineAuthClient, authorizedFetch } from "../dist/index.js";
import { CountingFetch } from "./support/counting.js";
import { MAIN, rejection, serve } from "./support/fixtures.js";

const API = "https://api.example.com";

describe("authorizedFetch", () => {
  const running = serve(MAIN);

  test("sends the agent's token", async () => {
    const created = await running.newAgent();
    const api = running.clientOf(created).authorizedFetch();
    for (let index = 0; index < 3; index++) {
      const answer = await api(`${running.server.base}/api/agents/me`);
      assert.equal(answer.status, 200);
      assert.equal(((await answer.json()) as { agent: { id: string } }).agent.id, created.agent.id);
    }
    const posted = await api(new Request(`${running.server.base}/api/verify`, { method: "POST", body: new URLSearchParams({ x: "1" }) }));
    assert.equal(posted.status, 200);
    assert.equal((await running.admin.admin.agents.get(created.agent.id)).tokenCount, 1);
  });

  test("re-authenticates once after a rotation, resending the body", async () => {
    const created = await running.newAgent();
    const vault = { secret: created.clientSecret };
    const counting = new CountingFetch();
    const client = new MachineAuthClient(running.server.base, { clientId: created.clientId, clientSecret: () => vault.secret });
    const api = authorizedFetch(client, {}, counting.fetch);
    assert.equal((await api(`${running.server.base}/oauth/userinfo`, { method: "POST", body: "" })).status, 200);
    vault.secret = (await running.admin.admin.agents.rotate(created.agent.id)).clientSecret;
    counting.clear();
    const answer = await api(`${running.server.base}/oauth/userinfo`, { method: "POST", body: "" });
    assert.equal(answer.status, 200);
    assert.deepEqual(counting.log, [["POST /oauth/userinfo", 401], ["POST /oauth/userinfo", 200]]);
  });

  test("returns a second 401 as it is", async () => {
    const created = await running.newAgent({ allowedAudiences: [API] });
    const counting = new CountingFetch();
    const api = authorizedFetch(running.clientOf(created), { resource: API }, counting.fetch);
    const answer = await api(`${running.server.base}/api/agents/me`); // MachineAuth refuses tokens for another audience
    assert.equal(answer.status, 401);
    assert.match(answer.headers.get("WWW-Authenticate") ?? "", /error="invalid_token"/);
    assert.equal(counting.count("GET /api/agents/me"), 2);
    assert.equal((await running.admin.admin.agents.get(created.agent.id)).tokenCount, 2);
  });

  test("a refused re-authentication is thrown", async () => {
    const created = await running.newAgent();
    const api = running.clientOf(created).authorizedFetch({ scope: "read" });
    const answers = await Promise.all(Array.from({ length: 20 }, () => api(`${running.server.base}/oauth/userinfo`)));
    assert.deepEqual(new Set(await Promise.all(answers.map(async (a) => ((await a.json()) as { scope: string }).scope))), new Set(["read"]));
    await running.admin.admin.agents.rotate(created.agent.id);
    assert.equal((await rejection(api(`${running.server.base}/oauth/userinfo`), AuthenticationError)).error, "invalid_client");
  });
});
