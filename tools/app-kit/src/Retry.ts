/**
 * The SDK's retry policy, telling the user once when Intercom cannot be reached. An unreachable host is retried for
 * up to two minutes by default; without a word that looks like a hang. The first transport failure or timeout that
 * is going to be retried prints one line ("... failed in transport ...; retrying for up to 2 minutes"); later ones
 * stay quiet, and the final failure, if it comes, is the run's one-line failure.
 */
import { IntercomConfig, type IntercomError, RetryPolicy } from "@intercom-effect/http"
import { Duration, Effect, Schedule } from "effect"

const unreachable = (error: IntercomError.IntercomError): boolean =>
  error._tag === "TransportError" || error._tag === "TimeoutError"

/**
 * A retry schedule for `IntercomConfig`'s `retrySchedule`: the built-in policy with `retry` (the SDK's defaults
 * unless given), which calls `say` with one line the first time a call to an unreachable Intercom is retried.
 * Each call of this function has its own "once".
 */
export const announcing = (
  say: (line: string) => Effect.Effect<void>,
  retry: IntercomConfig.RetryOptions = IntercomConfig.defaultRetry
): IntercomConfig.RetrySchedule => {
  let said = false
  return (context) =>
    RetryPolicy.schedule(retry, context).pipe(
      Schedule.tapInput((error: IntercomError.IntercomError) => {
        if (
          said ||
          retry.maxRetries === 0 ||
          !unreachable(error) ||
          !RetryPolicy.isRetryable(error, context.idempotent)
        )
          return Effect.void
        said = true
        return say(`${error.message}; retrying for up to ${Duration.format(retry.maxElapsed)}`)
      })
    )
}
