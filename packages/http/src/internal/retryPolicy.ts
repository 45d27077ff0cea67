import { Duration, Effect, Option, Random, Schedule, ScheduleDecision, ScheduleInterval } from "effect"
import type { RetryContext, RetryOptions } from "../IntercomConfig.js"
import type { IntercomError } from "../IntercomError.js"

/** @internal */
export const isRetryable = (error: IntercomError, idempotent: boolean): boolean => {
  switch (error._tag) {
    case "RateLimited":
      return error.transient
    case "ServerError":
    case "TimeoutError":
    case "TransportError":
    case "IncompleteResponse":
      return idempotent
    default:
      return false
  }
}

/** @internal */
export const serverDelay = (error: IntercomError): Option.Option<Duration.Duration> =>
  (error._tag === "RateLimited" || error._tag === "ServerError") && error.retryAfterMillis !== null
    ? Option.some(Duration.millis(error.retryAfterMillis))
    : Option.none()

/** @internal */
export const backoffDelay = (options: RetryOptions, retry: number, random: number): Duration.Duration => {
  const base = Duration.toMillis(options.baseDelay) * 2 ** retry
  const factor = 1 - options.jitter + 2 * options.jitter * random
  return Duration.millis(Math.min(Duration.toMillis(options.maxDelay), base * factor))
}

/** @internal */
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

/** @internal */
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
