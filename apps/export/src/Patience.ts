/**
 * Patience: a walk that keeps trying while Intercom is down, instead of failing a long export for one bad page.
 *
 * The client retries each call on its own for a couple of minutes at most. A walk is worth waiting for much longer:
 * its progress is stored page by page, so trying again means fetching again the page that failed, nothing more. A
 * walk given patience is run again (it resumes from its stored position) each time it fails with a transient error,
 * after a growing pause, until it has made no progress for `patience`; a page stored meanwhile starts the count anew.
 * Each pause is announced, so the user sees it waits and why.
 */
import { Clock, Duration, Effect } from "effect"

/** A pause before the walk is tried again. */
export interface Wait<E> {
  /** What failed. */
  readonly error: E
  /** Tries so far without progress (1 for the first failure). */
  readonly failures: number
  /** The pause before the next try. */
  readonly delay: Duration.Duration
  /** What is left of the patience after this pause. */
  readonly left: Duration.Duration
}

/** How long to wait, for what, and whom to tell. */
export interface Options<E> {
  /** How long a walk may go without storing a page before it fails. 0 fails at the first error. */
  readonly patience: Duration.DurationInput
  /** The errors worth waiting out (a 503, a timeout, a network failure), as opposed to a wrong token. */
  readonly isTransient: (error: E) => boolean
  /** Pages (or anything) done so far: the count of failures starts anew when it grew since the last failure. */
  readonly progress: Effect.Effect<number>
  /** Told before each pause. */
  readonly onWait: (wait: Wait<E>) => Effect.Effect<void>
  /** The first pause; each next one doubles, up to `maxDelay`. Defaults: 5 s and 1 minute. */
  readonly baseDelay?: Duration.DurationInput | undefined
  readonly maxDelay?: Duration.DurationInput | undefined
}

/** Sensible defaults for an export: ten minutes without a stored page before giving up. */
export const defaultPatience: Duration.Duration = Duration.minutes(10)

/**
 * Runs `attempt` until it succeeds, fails with an error that is not transient, or fails transiently with no progress
 * for longer than the patience. `attempt` must carry on from where the last try stopped (a walk from its stored
 * position). The last error is the one the result fails with.
 */
export const retry = <A, E, R>(attempt: Effect.Effect<A, E, R>, options: Options<E>): Effect.Effect<A, E, R> =>
  Effect.gen(function* () {
    const patience = Duration.toMillis(options.patience)
    const base = Duration.toMillis(options.baseDelay ?? "5 seconds")
    const max = Duration.toMillis(options.maxDelay ?? "1 minute")
    let failingSince: number | undefined
    let failures = 0
    let seen = yield* options.progress
    while (true) {
      const result = yield* Effect.either(attempt)
      if (result._tag === "Right") return result.right
      const error = result.left
      const now = yield* Clock.currentTimeMillis
      const done = yield* options.progress
      if (done > seen || failingSince === undefined) {
        failingSince = now
        failures = 0
      }
      seen = done
      failures++
      const delay = Math.min(max, base * 2 ** (failures - 1))
      const left = patience - (now - failingSince) - delay
      if (!options.isTransient(error) || left < 0) return yield* Effect.fail(error)
      yield* options.onWait({ error, failures, delay: Duration.millis(delay), left: Duration.millis(left) })
      yield* Effect.sleep(Duration.millis(delay))
    }
  })
