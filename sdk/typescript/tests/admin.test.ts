/**
 * The admin API, every call: sessions, users, agents, organizations, teams, API keys, webhooks and
 * deliveries, the audit log, figures and the signing keys.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  AuthenticationError, BadRequestError, ConfigurationError, ConflictError, MachineAuthClient, NotFoundError, PermissionDeniedError,
} from "../dist/index.js";
import { MAIN, rejection, serve, sleep } from "./support/fixtures.js";
import { Receiver } from "./support/receiver.js";
import { ADMIN_EMAIL, ADMIN_PASSWORD, unique } from "./support/server.js";

describe("admin API", () => {
  const running = serve(MAIN);

  test("sessions", async () => {
    const client = new MachineAuthClient(running.server.base);
    await rejection(client.admin.me(), ConfigurationError);
    const session = await client.admin.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    assert.deepEqual([session.user.role, session.tokenType], ["owner", "Bearer"]);
    assert.ok(session.csrfToken);
    const me = await client.admin.me();
    assert.equal(me.user.email, ADMIN_EMAIL);
    assert.ok(me.expiresAt > new Date());
    const organization = await client.admin.organizations.create({ name: "Switch", slug: unique("switch") });
    assert.equal((await client.admin.switchOrganization(organization.id)).currentOrganizationId, organization.id);
    assert.equal((await client.admin.me()).currentOrganizationId, organization.id);
    assert.ok(await client.admin.logout());
    await rejection(client.admin.me(), ConfigurationError);
    const wrong = await rejection(new MachineAuthClient(running.server.base).admin.login(ADMIN_EMAIL, "not-the-password"), AuthenticationError);
    assert.equal(wrong.status, 401);
  });

  test("sign-up creates an administrator and an organization", async () => {
    const client = new MachineAuthClient(running.server.base);
    const email = `${unique("founder")}@example.com`;
    const session = await client.admin.signup({
      email, password: "a-long-enough-password", organizationName: "Founders", name: "Founder", organizationSlug: unique("founders"),
    });
    assert.deepEqual([session.user.email, session.user.role], [email, "admin"]);
    assert.ok(session.currentOrganizationId);
    assert.deepEqual((await client.admin.me()).organizations.map((org) => org.name), ["Founders"]);
    await rejection(new MachineAuthClient(running.server.base).admin.signup({ email, password: "a-long-enough-password", organizationName: "Again" }), ConflictError);
  });

  test("users", async () => {
    const owner = running.admin.admin;
    const organization = await owner.organizations.create({ name: "Users", slug: unique("users") });
    const email = `${unique("viewer")}@example.com`;
    const user = await owner.users.create({ email, password: "viewer-password-1", name: "Viewer", role: "viewer", organizationIds: [organization.id] });
    assert.deepEqual([user.email, user.role, user.organizationIds], [email, "viewer", [organization.id]]);
    assert.ok((await owner.users.list()).some((listed) => listed.email === email));
    const viewer = new MachineAuthClient(running.server.base);
    await viewer.admin.login(email, "viewer-password-1");
    assert.ok((await viewer.admin.agents.list()).pagination);
    await rejection(viewer.admin.agents.create({ name: "not-allowed" }), PermissionDeniedError);
    const updated = await owner.users.update(user.id, { name: "Renamed", role: "admin", password: "another-password-2" });
    assert.deepEqual([updated.name, updated.role], ["Renamed", "admin"]);
    await rejection(viewer.admin.me(), AuthenticationError); // the new password ended the session
    assert.equal((await owner.users.delete(user.id)).id, user.id);
  });

  test("agents", async () => {
    const agents = running.admin.admin.agents;
    const name = unique("managed");
    const expiry = new Date(Date.now() + 86_400_000);
    const created = await agents.create({
      name, description: "does things", scopes: ["read"], tags: ["a", "b"], metadata: { owner: "search" },
      grantTypes: ["client_credentials"], allowedAudiences: ["https://api.example.com"], expiresAt: expiry,
    });
    const agent = created.agent;
    assert.match(created.clientSecret, /^cs_/);
    assert.deepEqual([agent.name, agent.description, agent.scopes, agent.tags, agent.metadata], [name, "does things", ["read"], ["a", "b"], { owner: "search" }]);
    assert.deepEqual([agent.grantTypes, agent.allowedAudiences], [["client_credentials"], ["https://api.example.com"]]);
    assert.ok(agent.expiresAt && Math.abs(agent.expiresAt.getTime() - expiry.getTime()) < 2000);
    assert.equal((await agents.get(agent.id)).clientId, agent.clientId);
    const listed = await agents.list({ q: name, scope: "read", status: "active", limit: 5 });
    assert.deepEqual(listed.items.map((found) => found.id), [agent.id]);
    assert.equal(listed.pagination?.limit, 5);
    const updated = await agents.update(agent.id, { description: "does more", scopes: ["read", "write"], expiresAt: null });
    assert.deepEqual([updated.description, updated.scopes, updated.expiresAt], ["does more", ["read", "write"], null]);
    assert.ok((await agents.update(agent.id, { expiresIn: 3600 })).expiresAt);
    assert.equal((await agents.update(agent.id, { name: `${name}-x` })).name, `${name}-x`);
    const rotated = await agents.rotate(agent.id, { gracePeriodSeconds: 30 });
    assert.notEqual(rotated.clientSecret, created.clientSecret);
    assert.ok(rotated.previousSecretExpiresAt);
    assert.equal((await agents.deactivate(agent.id)).deactivatedBy, "administrator");
    assert.equal((await agents.reactivate(agent.id)).status, "active");
    assert.ok((await running.clientOf(created).getToken({ resource: "https://api.example.com" })).accessToken); // the grace period
    assert.equal((await agents.delete(agent.id)).id, agent.id);
    assert.equal((await rejection(agents.get(agent.id), NotFoundError)).status, 404);
  });

  test("validation errors name the field", async () => {
    const invalid = await rejection(running.admin.admin.agents.create({ name: "x".repeat(300) }), BadRequestError);
    assert.deepEqual([invalid.field, invalid.error], ["name", "invalid_request"]);
  });

  test("pages", async () => {
    const prefix = unique("paged");
    for (let index = 0; index < 3; index++) await running.admin.admin.agents.create({ name: `${prefix}-${index}` });
    const first = await running.admin.admin.agents.list({ q: prefix, limit: 2, page: 1 });
    const second = await running.admin.admin.agents.list({ q: prefix, limit: 2, page: 2 });
    assert.deepEqual([first.items.length, first.hasNext, second.items.length, second.hasNext], [2, true, 1, false]);
    assert.deepEqual([first.pagination?.total, first.pagination?.totalPages], [3, 2]);
  });

  test("organizations and their agents", async () => {
    const organizations = running.admin.admin.organizations;
    const slug = unique("acme");
    const organization = await organizations.create({ name: "Acme", slug, ownerEmail: "owner@acme.example" });
    assert.deepEqual([organization.name, organization.slug, organization.ownerEmail], ["Acme", slug, "owner@acme.example"]);
    assert.equal((await organizations.get(organization.id)).slug, slug);
    assert.ok((await organizations.list({ limit: 500 })).items.some((listed) => listed.id === organization.id));
    const updated = await organizations.update(organization.id, { name: "Acme Inc", ownerEmail: null });
    assert.deepEqual([updated.name, updated.ownerEmail], ["Acme Inc", null]);
    const member = await organizations.createAgent(organization.id, { name: unique("member"), scopes: ["read"] });
    assert.equal(member.agent.organizationId, organization.id);
    assert.deepEqual((await organizations.listAgents(organization.id)).items.map((agent) => agent.id), [member.agent.id]);
    assert.deepEqual((await running.admin.admin.agents.list({ organizationId: organization.id })).items.map((agent) => agent.id), [member.agent.id]);
    await rejection(organizations.create({ name: "Again", slug }), ConflictError);
    const deleted = await organizations.delete(organization.id, { cascade: true });
    assert.deepEqual([deleted.id, deleted.agentsDeleted], [organization.id, 1]);
  });

  test("teams", async () => {
    const { organizations, teams, agents } = running.admin.admin;
    const organization = await organizations.create({ name: "Teams", slug: unique("teams") });
    const team = await teams.create(organization.id, { name: "Search", description: "finds things" });
    assert.deepEqual([team.name, team.description, team.organizationId], ["Search", "finds things", organization.id]);
    assert.equal((await teams.get(organization.id, team.id)).name, "Search");
    assert.deepEqual((await teams.list(organization.id)).map((listed) => listed.id), [team.id]);
    assert.equal((await teams.update(organization.id, team.id, { name: "Discovery" })).name, "Discovery");
    const member = await organizations.createAgent(organization.id, { name: unique("teammate"), teamId: team.id });
    assert.equal(member.agent.teamId, team.id);
    assert.deepEqual((await agents.list({ teamId: team.id })).items.map((agent) => agent.id), [member.agent.id]);
    assert.equal((await agents.update(member.agent.id, { teamId: null })).teamId, null);
    assert.equal((await teams.delete(organization.id, team.id)).id, team.id);
    assert.deepEqual(await teams.list(organization.id), []);
  });

  test("API keys act for their organization", async () => {
    const { organizations, apiKeys } = running.admin.admin;
    const organization = await organizations.create({ name: "Keys", slug: unique("keys") });
    const created = await apiKeys.create(organization.id, { name: "ci", expiresIn: 3600 });
    assert.match(created.key, /^sk_/);
    assert.equal(created.apiKey.status, "active");
    assert.ok(created.apiKey.expiresAt && created.key.startsWith(created.apiKey.prefix));
    assert.deepEqual((await apiKeys.list(organization.id)).map((key) => key.id), [created.apiKey.id]);
    const keyed = new MachineAuthClient(running.server.base, { apiKey: created.key });
    const agent = await keyed.admin.agents.create({ name: unique("by-key"), scopes: ["read"] });
    assert.equal(agent.agent.organizationId, organization.id);
    assert.deepEqual((await keyed.admin.agents.list()).items.map((found) => found.id), [agent.agent.id]);
    await rejection(keyed.admin.auditLogs(), PermissionDeniedError);
    assert.equal((await apiKeys.revoke(organization.id, created.apiKey.id)).status, "revoked");
    await rejection(keyed.admin.agents.list(), AuthenticationError);
  });

  test("webhooks and deliveries", async () => {
    const webhooks = running.admin.admin.webhooks;
    const receiver = await Receiver.start();
    try {
      assert.ok((await webhooks.eventTypes()).some((event) => event.type === "agent.created"));
      const created = await webhooks.create({ url: receiver.url, events: ["agent.*"], name: "sdk", maxRetries: 2, retryBackoffBase: 2 });
      const webhook = created.webhook;
      assert.match(created.secret, /^whsec_/);
      assert.deepEqual([webhook.events, webhook.maxRetries], [["agent.*"], 2]);
      assert.equal((await webhooks.get(webhook.id)).url, receiver.url);
      assert.ok((await webhooks.list()).some((listed) => listed.id === webhook.id));
      const delivery = await webhooks.test(webhook.id, { message: "hello" });
      assert.deepEqual([delivery.status, delivery.event], ["delivered", "webhook.test"]);
      assert.equal(delivery.attemptHistory.at(-1)?.statusCode, 204);
      assert.ok(receiver.received.some(({ body }) => (body as { type?: string } | null)?.type === "webhook.test"));
      assert.ok((await webhooks.deliveries(webhook.id, { status: "delivered" })).items.some((listed) => listed.id === delivery.id));
      const updated = await webhooks.update(webhook.id, { events: ["*"], name: "everything", isActive: false });
      assert.deepEqual([updated.events, updated.isActive, updated.name], [["*"], false, "everything"]);
      const rotated = await webhooks.rotateSecret(webhook.id);
      assert.match(rotated.secret, /^whsec_/);
      assert.notEqual(rotated.secret, created.secret);
      assert.equal((await webhooks.delete(webhook.id)).id, webhook.id);
      await rejection(webhooks.get(webhook.id), NotFoundError);
    } finally {
      await receiver.stop();
    }
  });

  test("audit log, stats and signing keys", async () => {
    const admin = running.admin.admin;
    const created = await admin.agents.create({ name: unique("audited") });
    let records = await admin.auditLogs({ agentId: created.agent.id, action: "agent.*", since: new Date(Date.now() - 300_000), limit: 10 });
    for (let waited = 0; records.items.length === 0 && waited < 10; waited += 0.2) { // the audit notifier writes in batches
      await sleep(0.2);
      records = await admin.auditLogs({ agentId: created.agent.id, action: "agent.*", since: new Date(Date.now() - 300_000), limit: 10 });
    }
    assert.ok(records.items.some((record) => record.action === "agent.created"));
    assert.ok(records.items.every((record) => record.agentId === created.agent.id));
    const stats = await admin.stats();
    assert.ok(stats.agents.total >= 1);
    assert.deepEqual([stats.signing.algorithm, stats.storage], ["RS256", "json"]);
    const ring = await admin.keys.list();
    assert.equal(ring.activeKid, stats.signing.keyId);
    const rotated = await admin.keys.rotate();
    assert.notEqual(rotated.activeKid, ring.activeKid);
    assert.deepEqual(rotated.keys.filter((key) => key.kid === ring.activeKid).map((key) => key.status), ["retired"]);
  });
});
