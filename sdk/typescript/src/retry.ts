/** When to try a request again: 429 and 503, after the server's `Retry-After`. */

/**
 * Retries of answers 429 (rate limited) and 503 (temporarily unavailable). The wait is the server's
 * `Retry-After` (seconds or an HTTP date), else an exponential backoff with jitter from `backoff`.
 * A wait longer than `maxDelay` seconds is not sat out: the error is thrown at once, with its
 * `retryAfter`, for the caller to decide.
 */
export interface RetryPolicy {
  maxRetries: number;
  maxDelay: number;
  backoff: number;
  statuses: readonly number[];
}

export const defaultRetryPolicy: RetryPolicy = { maxRetries: 2, maxDelay: 30, backoff: 0.5, statuses: [429, 503] };

/** Seconds to wait before attempt `attempt + 1`, or `undefined` to give up and throw. */
export function retryDelay(policy: RetryPolicy, response: Response, attempt: number): number | undefined {
  if (!policy.statuses.includes(response.status) || attempt >= policy.maxRetries) return undefined;
  const wait = retryAfter(response.headers) ?? policy.backoff * 2 ** attempt * (0.5 + Math.random() / 2);
  return wait <= policy.maxDelay ? wait : undefined;
}

/** The `Retry-After` header in seconds (RFC 9110: delay-seconds or an HTTP date). */
export function retryAfter(headers: Headers): number | undefined {
  const value = headers.get("Retry-After")?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value);
  const when = Date.parse(value);
  return Number.isNaN(when) ? undefined : Math.max(0, (when - Date.now()) / 1000);
}

export const sleep = (seconds: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, seconds * 1000));
