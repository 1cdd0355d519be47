/**
 * 429 and 503 are retried after the server's Retry-After; a wait beyond `maxDelay` is thrown. The
 * server's own rate limit makes the 429, on a server of its own so the failures count against nobody else.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type AgentCreated, AuthenticationError, MachineAuthClient, RateLimitError } from "../dist/index.js";
import { CountingFetch } from "./support/counting.js";
import { type Running, serve } from "./support/fixtures.js";

const TOKEN = "POST /oauth/token";

/** Fails authentication as `created` until the server answers 429; returns its Retry-After. */
async function exhaustAllowance(running: Running, created: AgentCreated): Promise<number> {
  const wrong = new MachineAuthClient(running.server.base, { clientId: created.clientId, clientSecret: "cs_wrong", retry: { maxRetries: 0 } });
  for (let attempt = 0; attempt < 30; attempt++) {
    try {
      await wrong.requestToken();
    } catch (error) {
      if (error instanceof RateLimitError) {
        assert.equal(error.error, "slow_down");
        assert.ok(error.retryAfter !== undefined);
        return error.retryAfter;
      }
      if (!(error instanceof AuthenticationError)) throw error;
    }
  }
  throw new Error("the server never rate limited");
}

describe("retries", () => {
  const running = serve({});

  test("a 429 is retried after Retry-After", async () => {
    const created = await running.newAgent();
    const wait = await exhaustAllowance(running, created);
    const counting = new CountingFetch();
    const started = performance.now();
    assert.ok((await running.clientOf(created, { fetch: counting.fetch }).getToken()).accessToken);
    assert.deepEqual(counting.log[0], [TOKEN, 429]);
    assert.deepEqual(counting.log.at(-1), [TOKEN, 200]);
    assert.ok(performance.now() - started >= wait * 900);
  });

  test("a wait beyond maxDelay is thrown", async () => {
    const created = await running.newAgent();
    await exhaustAllowance(running, created);
    const counting = new CountingFetch();
    const client = running.clientOf(created, { fetch: counting.fetch, retry: { maxDelay: 0.1 } });
    const limited = await (client.getToken().then(() => undefined, (error: unknown) => error));
    assert.ok(limited instanceof RateLimitError && limited.status === 429 && limited.retryAfter);
    assert.equal(counting.count(TOKEN), 1);
  });
});
