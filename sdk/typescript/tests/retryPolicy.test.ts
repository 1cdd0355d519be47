/** The retry policy alone (no server can be made to answer 503 on demand with JSON storage). */
import assert from "node:assert/strict";
import { test } from "node:test";
import { defaultRetryPolicy } from "../dist/index.js";
import { retryDelay } from "../dist/retry.js";

const answer = (status: number, retryAfter?: string) => new Response(null, { status, headers: retryAfter ? { "Retry-After": retryAfter } : {} });

test("Retry-After in seconds and as a date, bounded by maxDelay and maxRetries", () => {
  const policy = defaultRetryPolicy;
  assert.equal(retryDelay(policy, answer(503, "2"), 0), 2);
  const wait = retryDelay(policy, answer(429, new Date(Date.now() + 20_000).toUTCString()), 1);
  assert.ok(wait !== undefined && wait > 15 && wait <= 20);
  assert.equal(retryDelay(policy, answer(503, "31"), 0), undefined); // beyond maxDelay
  assert.equal(retryDelay(policy, answer(503, "1"), 2), undefined); // retries used up
  assert.equal(retryDelay(policy, answer(500, "1"), 0), undefined); // not a retried status
  const backoff = retryDelay(policy, answer(503), 1);
  assert.ok(backoff !== undefined && backoff >= 0.5 && backoff <= 1); // 0.5 s × 2¹, with jitter down to half
});
