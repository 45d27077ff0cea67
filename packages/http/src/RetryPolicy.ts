/**
 * When a failed call is tried again, and after how long.
 *
 * - 429 is always retried (Intercom did not process the request), after the server's hint when it gave one,
 *   except a non-transient 429 such as the one-pending-data-export-job rule, which fails at once.
 * - 408, 5xx, timeouts, transport failures and 2xx answers whose body did not arrive whole are retried only for
 *   idempotent calls: a POST that creates something may already have been processed, and Intercom has no
 *   idempotency keys to make a repeat safe.
 * - Delays grow exponentially with jitter, each capped, with a bounded number of retries and a bounded total time.
 *   A 5xx waits at least the backoff, longer only when it carries `Retry-After`.
 *
 * @since 0.1.0
 */
import type { Duration, Option, Schedule } from "effect"
import type { RetryContext, RetryOptions } from "./IntercomConfig.js"
import type { IntercomError } from "./IntercomError.js"
import * as internal from "./internal/retryPolicy.js"

/**
 * Whether an error may be retried at all for a call of the given idempotency.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isRetryable: (error: IntercomError, idempotent: boolean) => boolean = internal.isRetryable

/**
 * The wait the server asked for with this error, if any.
 *
 * @since 0.1.0
 * @category getters
 */
export const serverDelay: (error: IntercomError) => Option.Option<Duration.Duration> = internal.serverDelay

/**
 * The backoff delay before retry number `retry` (0-based), given a uniform random number in [0, 1):
 * `baseDelay · 2^retry`, scaled by a factor in [1 − jitter, 1 + jitter], and capped at `maxDelay`.
 *
 * @since 0.1.0
 * @category delays
 */
export const backoffDelay: (options: RetryOptions, retry: number, random: number) => Duration.Duration =
  internal.backoffDelay

/**
 * The delay before retry number `retry` for this error: the server's hint when it gave one (never shorter than the
 * backoff for 5xx, which is about load rather than a window), else the backoff; always capped at `maxDelay`.
 *
 * @since 0.1.0
 * @category delays
 */
export const delayFor: (
  options: RetryOptions,
  error: IntercomError,
  retry: number,
  random: number
) => Duration.Duration = internal.delayFor

/**
 * The built-in retry policy as a `Schedule` over the errors of one call. It stops when the error is not
 * retryable, after `maxRetries` retries, or when the next delay would end past `maxElapsed` after the first
 * failure. Its output is the number of retries so far.
 *
 * @since 0.1.0
 * @category constructors
 */
export const schedule: (options: RetryOptions, context: RetryContext) => Schedule.Schedule<number, IntercomError> =
  internal.schedule
