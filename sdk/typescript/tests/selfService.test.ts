/** What an agent does with its own token: profile, usage, userinfo, deactivation, deletion. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { AuthenticationError, PermissionDeniedError } from "../dist/index.js";
import { MAIN, rejection, serve } from "./support/fixtures.js";

describe("self-service", () => {
  const running = serve(MAIN);

  test("profile, usage and userinfo", async () => {
    const created = await running.newAgent({ metadata: { team: "search" }, tags: ["sdk"] });
    const client = running.clientOf(created);
    const me = await client.agent.me();
    assert.deepEqual([me.id, me.name, me.clientId, me.status, me.isActive], [created.agent.id, created.agent.name, created.clientId, "active", true]);
    assert.deepEqual([me.metadata, me.tags, me.scopes], [{ team: "search" }, ["sdk"], ["read", "write"]]);
    const usage = await client.agent.usage();
    assert.equal(usage.agentId, me.id);
    assert.equal(usage.tokenCount, 1);
    assert.ok(usage.lastTokenAt instanceof Date);
    const info = await client.agent.userinfo();
    assert.deepEqual([info.subject, info.clientId, info.name, info.status], [created.clientId, created.clientId, me.name, "active"]);
    assert.deepEqual(new Set(info.scope.split(" ")), new Set(["read", "write"]));
  });

  test("deactivates and reactivates itself", async () => {
    const created = await running.newAgent();
    const client = running.clientOf(created);
    const deactivated = await client.agent.deactivate();
    assert.deepEqual([deactivated.status, deactivated.deactivatedBy], ["inactive", "self"]);
    await rejection(client.agent.me(), AuthenticationError);
    assert.equal((await client.agent.reactivate()).status, "active");
    assert.ok((await client.agent.me()).isActive);
    await running.admin.admin.agents.deactivate(created.agent.id);
    const refused = await rejection(client.agent.reactivate(), PermissionDeniedError);
    assert.deepEqual([refused.status, refused.error], [403, "access_denied"]);
  });

  test("deletes itself", async () => {
    const created = await running.newAgent();
    const client = running.clientOf(created);
    assert.equal((await client.agent.delete()).id, created.agent.id);
    await rejection(client.agent.me(), AuthenticationError);
    const left = await running.admin.admin.agents.list({ q: created.agent.name });
    assert.ok(left.items.every((agent) => agent.id !== created.agent.id));
  });
});
