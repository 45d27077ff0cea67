/**
 * Patience: work that keeps trying while Intercom is down, instead of failing a long run for one bad page.
 *
 * The client retries each call on its own for a couple of minutes at most. A walk is worth waiting for much longer:
 * its progress is stored page by page, so trying again means fetching again the page that failed, nothing more. Work
 * given patience is run again each time it fails with a transient error, after a growing pause, until it has made no
 * progress for `patience`; progress made meanwhile starts the count anew. Each pause is announced, so the user sees
 * that it waits and why. A sync's pages and an export's walks both wait this way.
 *
 * @since 0.1.0
 */
import { IntercomError, RetryPolicy } from "@intercom-effect/http"
import { Clock, Duration, Effect } from "effect"

/**
 * A pause before the work is tried again.
 *
 * @since 0.1.0
 * @category models
 */
export interface Wait<E> {
  /** What failed. */
  readonly error: E
  /** Tries so far without progress (1 for the first failure). */
  readonly failures: number
  /** How long the work has gone without progress, up to this failure. */
  readonly waited: Duration.Duration
  /** The pause before the next try. */
  readonly delay: Duration.Duration
  /** What is left of the patience after this pause. */
  readonly left: Duration.Duration
}

/**
 * How long to wait, for what, and whom to tell.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options<E> {
  /** How long the work may go without progress before it fails. 0 fails at the first error. */
  readonly patience: Duration.DurationInput
  /** The errors worth waiting out (a 503, a timeout, a network failure), as opposed to a wrong token. */
  readonly isTransient: (error: E) => boolean
  /**
   * Pages (or anything) done so far: when it grew since the last failure, the count starts anew from that failure.
   * Omitted, the work is one unit (a page) that makes no progress of its own, and the count runs from the first try.
   */
  readonly progress?: Effect.Effect<number> | undefined
  /** Told before each pause. */
  readonly onWait: (wait: Wait<E>) => Effect.Effect<void>
  /** The first pause; each next one doubles, up to `maxDelay`. Defaults: 5 s and 1 minute. */
  readonly baseDelay?: Duration.DurationInput | undefined
  readonly maxDelay?: Duration.DurationInput | undefined
}

/**
 * Sensible defaults for an export: ten minutes without a stored page before giving up.
 *
 * @since 0.1.0
 * @category defaults
 */
export const defaultPatience: Duration.Duration = Duration.minutes(10)

/**
 * A transient failure: one that waiting may cure (the server or the network, or a rate limit that resets). Every
 * failure the client would retry for an idempotent call, and the one open scroll per app that a scroll whose first
 * answer was lost keeps until it idles out (a minute). Anything that is not an Intercom error is not transient.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isTransient = (error: unknown): boolean =>
  IntercomError.isIntercomError(error) &&
  (RetryPolicy.isRetryable(error, true) ||
    (error._tag === "BadRequest" && error.errors.some((e) => e.code === "scroll_exists")))

/**
 * Runs `attempt` until it succeeds, fails with an error that is not transient, or fails transiently with no progress
 * for longer than the patience. `attempt` must carry on from where the last try stopped (a walk from its stored
 * position, a page from its position). The last error is the one the result fails with.
 *
 * @since 0.1.0
 * @category combinators
 */
export const retry = <A, E, R>(attempt: Effect.Effect<A, E, R>, options: Options<E>): Effect.Effect<A, E, R> =>
  Effect.gen(function* () {
    const patience = Duration.toMillis(options.patience)
    const base = Duration.toMillis(options.baseDelay ?? "5 seconds")
    const max = Duration.toMillis(options.maxDelay ?? "1 minute")
    const progress = options.progress ?? Effect.succeed(0)
    let seen = yield* progress
    // When progress was last known to be made: before the first try, then at the failure that found it had grown.
    let since = yield* Clock.currentTimeMillis
    let failures = 0
    while (true) {
      const result = yield* Effect.either(attempt)
      if (result._tag === "Right") return result.right
      const error = result.left
      const now = yield* Clock.currentTimeMillis
      const done = yield* progress
      if (done > seen) {
        since = now
        failures = 0
      }
      seen = done
      failures++
      const delay = Math.min(max, base * 2 ** (failures - 1))
      const waited = now - since
      const left = patience - waited - delay
      if (!options.isTransient(error) || left < 0) return yield* Effect.fail(error)
      yield* options.onWait({
        error,
        failures,
        waited: Duration.millis(waited),
        delay: Duration.millis(delay),
        left: Duration.millis(left)
      })
      yield* Effect.sleep(Duration.millis(delay))
    }
  })
