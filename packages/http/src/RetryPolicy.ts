/**
 * When a failed call is tried again, and after how long.
 *
 * - 429 is always retried (Intercom did not process the request), after the server's hint when it gave one,
 *   except a non-transient 429 such as the one-pending-data-export-job rule, which fails at once.
 * - 408, 5xx, timeouts and transport failures are retried only for idempotent calls: a POST that creates
 *   something may already have been processed, and Intercom has no idempotency keys to make a repeat safe.
 * - Delays grow exponentially with jitter, each capped, with a bounded number of retries and a bounded total time.
 *
 * @since 0.1.0
 */
import { Duration, Effect, Option, Random, Schedule, ScheduleDecision, ScheduleInterval } from "effect"
import type { RetryContext, RetryOptions } from "./IntercomConfig.js"
import type { IntercomError } from "./IntercomError.js"

/**
 * Whether an error may be retried at all for a call of the given idempotency.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isRetryable = (error: IntercomError, idempotent: boolean): boolean => {
  switch (error._tag) {
    case "RateLimited":
      return error.transient
    case "ServerError":
    case "TimeoutError":
    case "TransportError":
      return idempotent
    default:
      return false
  }
}

/**
 * The wait the server asked for with this error, if any.
 *
 * @since 0.1.0
 * @category getters
 */
export const serverDelay = (error: IntercomError): Option.Option<Duration.Duration> =>
  (error._tag === "RateLimited" || error._tag === "ServerError") && error.retryAfterMillis !== null
    ? Option.some(Duration.millis(error.retryAfterMillis))
    : Option.none()

/**
 * The backoff delay before retry number `retry` (0-based), given a uniform random number in [0, 1):
 * `baseDelay · 2^retry`, scaled by a factor in [1 − jitter, 1 + jitter], and capped at `maxDelay`.
 *
 * @since 0.1.0
 * @category delays
 */
export const backoffDelay = (options: RetryOptions, retry: number, random: number): Duration.Duration => {
  const base = Duration.toMillis(options.baseDelay) * 2 ** retry
  const factor = 1 - options.jitter + 2 * options.jitter * random
  return Duration.millis(Math.min(Duration.toMillis(options.maxDelay), base * factor))
}

/**
 * The delay before retry number `retry` for this error: the server's hint when it gave one (never shorter than the
 * backoff for 5xx, which is about load rather than a window), else the backoff; always capped at `maxDelay`.
 *
 * @since 0.1.0
 * @category delays
 */
export const delayFor = (
  options: RetryOptions,
  error: IntercomError,
  retry: number,
  random: number
): Duration.Duration => {
  const backoff = backoffDelay(options, retry, random)
  const delay = Option.match(serverDelay(error), {
    onNone: () => backoff,
    onSome: (hint) => (error._tag === "ServerError" ? Duration.max(hint, backoff) : hint)
  })
  return Duration.min(delay, options.maxDelay)
}

/**
 * The built-in retry policy as a `Schedule` over the errors of one call. It stops when the error is not
 * retryable, after `maxRetries` retries, or when the next delay would end past `maxElapsed` after the first
 * failure. Its output is the number of retries so far.
 *
 * @since 0.1.0
 * @category constructors
 */
export const schedule = (options: RetryOptions, context: RetryContext): Schedule.Schedule<number, IntercomError> =>
  Schedule.makeWithState<{ readonly retries: number; readonly startMillis: number | null }, IntercomError, number>(
    { retries: 0, startMillis: null },
    (now, error, state) =>
      Effect.gen(function* () {
        const startMillis = state.startMillis ?? now
        const stop = [state, state.retries, ScheduleDecision.done] as const
        if (!isRetryable(error, context.idempotent) || state.retries >= options.maxRetries) return stop
        const delay = Duration.toMillis(delayFor(options, error, state.retries, yield* Random.next))
        if (now - startMillis + delay > Duration.toMillis(options.maxElapsed)) return stop
        const next = { retries: state.retries + 1, startMillis }
        return [next, next.retries, ScheduleDecision.continueWith(ScheduleInterval.after(now + delay))] as const
      })
  )
