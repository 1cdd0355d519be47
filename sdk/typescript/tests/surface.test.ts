/** The TypeScript client offers the calls of the Python one, and every public module stays free of Node APIs. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { MachineAuthClient } from "../dist/index.js";
import { REPO } from "./support/server.js";

/** The methods (not getters) of an object's class. */
function methods(target: object): string[] {
  const prototype = Object.getPrototypeOf(target) as object;
  return Object.getOwnPropertyNames(prototype)
    .filter((name) => name !== "constructor" && typeof Object.getOwnPropertyDescriptor(prototype, name)?.value === "function")
    .sort();
}

test("every namespace offers the API's calls", () => {
  const client = new MachineAuthClient("http://127.0.0.1:9");
  assert.deepEqual(methods(client), [
    "authorizedFetch", "dpopHeaders", "dpopKey", "dpopProof", "getToken", "health", "info", "introspect", "invalidateToken", "issuer", "jwks", "metadata", "metrics", "openapi",
    "openidConfiguration", "protectedResource", "ready", "refresh", "requestToken", "revoke", "verifier", "verifyRemote", "verifyToken",
  ].sort());
  assert.deepEqual(methods(client.agent), ["deactivate", "delete", "me", "reactivate", "rotateSecret", "usage", "userinfo"]);
  assert.deepEqual(methods(client.admin), ["auditLogs", "login", "logout", "me", "signup", "stats", "switchOrganization"]);
  assert.deepEqual(methods(client.admin.agents), ["create", "deactivate", "delete", "get", "list", "reactivate", "rotate", "update"]);
  assert.deepEqual(methods(client.admin.organizations), ["create", "createAgent", "delete", "get", "list", "listAgents", "update"]);
  assert.deepEqual(methods(client.admin.teams), ["create", "delete", "get", "list", "update"]);
  assert.deepEqual(methods(client.admin.apiKeys), ["create", "list", "revoke"]);
  assert.deepEqual(methods(client.admin.webhooks), ["create", "delete", "deliveries", "eventTypes", "get", "list", "rotateSecret", "test", "update"]);
  assert.deepEqual(methods(client.admin.users), ["create", "delete", "list", "update"]);
  assert.deepEqual(methods(client.admin.keys), ["list", "rotate"]);
});

test("the package has no runtime dependencies and imports nothing from Node", () => {
  const manifest = JSON.parse(readFileSync(join(REPO, "sdk", "typescript", "package.json"), "utf8")) as Record<string, unknown>;
  assert.equal(manifest.dependencies, undefined);
  assert.equal(manifest.type, "module");
  const compiled = readFileSync(join(REPO, "sdk", "typescript", "dist", "verify", "encoding.js"), "utf8");
  assert.match(compiled, /globalThis\.crypto/); // node:crypto only as the Node 18 fallback, by a computed specifier
  assert.ok(!/from "node:/.test(readFileSync(join(REPO, "sdk", "typescript", "dist", "index.js"), "utf8")));
});
