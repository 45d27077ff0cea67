/**
 * What the client waited for, as Effect `Metric`s: every time a call could not go at once, one wait is counted and
 * its length recorded, labelled with the reason. A progress line, a dashboard or a test reads these instead of
 * guessing waits from the rate-limit window the client last saw.
 *
 * The metrics live in Effect's global registry (one per process, whatever the number of clients): read the
 * difference between two points in time to learn what one run waited.
 *
 * @since 0.2.0
 */
import { Effect, Metric, MetricBoundaries, MetricLabel } from "effect"

/**
 * Why a call waited:
 * - `window`: the rate-limit window Intercom reported (or the local count of it) was spent; held until its reset;
 * - `retry-after`: a 429 asked to wait (the call's own retry, and the other calls the gate held meanwhile);
 * - `shared`: the app's shared budget (`SharedBudget`): its turn, or a window another worker reported spent;
 * - `budget`: the client-side budget of `IntercomConfig`'s `rateLimit.budget`;
 * - `retry`: the backoff before retrying another failure (a 5xx, a timeout, the network);
 * - `concurrency`: every place under `maxConcurrency` was taken (or the first request was still learning the window).
 *
 * @since 0.2.0
 * @category models
 */
export type WaitReason = "window" | "retry-after" | "shared" | "budget" | "retry" | "concurrency"

/**
 * Every reason, in a fixed order.
 *
 * @since 0.2.0
 * @category models
 */
export const reasons: ReadonlyArray<WaitReason> = ["window", "retry-after", "shared", "budget", "retry", "concurrency"]

/**
 * The reasons that are about Intercom's rate limits (all but `retry` and `concurrency`).
 *
 * @since 0.2.0
 * @category models
 */
export const rateLimitReasons: ReadonlyArray<WaitReason> = ["window", "retry-after", "shared", "budget"]

/**
 * Waits, counted once each, labelled `reason`.
 *
 * @since 0.2.0
 * @category metrics
 */
export const waits: Metric.Metric.Counter<number> = Metric.counter("intercom_client_waits", {
  description: "Calls of the Intercom client that waited before going, by reason"
})

/**
 * How long each wait lasted, in milliseconds, labelled `reason`. From 1 ms to about 65 s in powers of two.
 *
 * @since 0.2.0
 * @category metrics
 */
export const waitMillis: Metric.Metric.Histogram<number> = Metric.histogram(
  "intercom_client_wait_millis",
  MetricBoundaries.exponential({ start: 1, factor: 2, count: 17 }),
  "How long calls of the Intercom client waited before going, in milliseconds, by reason"
)

/**
 * The waits of one reason so far (in this process).
 *
 * @since 0.2.0
 * @category models
 */
export interface WaitTotals {
  readonly count: number
  readonly millis: number
}

const byReason = <A>(f: (reason: WaitReason) => A): Readonly<Record<WaitReason, A>> => {
  const record = {} as Record<WaitReason, A>
  for (const reason of reasons) record[reason] = f(reason)
  return record
}

// The label of each reason, made once: recording runs on the path of every call that waits.
const labels = byReason((reason): ReadonlyArray<MetricLabel.MetricLabel> => [MetricLabel.make("reason", reason)])

/**
 * Records one wait. Synchronous: the client's gate calls it from code that already runs once per event.
 *
 * @since 0.2.0
 * @category recording
 */
export const unsafeRecord = (reason: WaitReason, millis: number): void => {
  const tags = labels[reason]
  waits.unsafeUpdate(1, tags)
  waitMillis.unsafeUpdate(Math.max(0, millis), tags)
}

/**
 * The totals of every reason so far, read from the metrics.
 *
 * @since 0.2.0
 * @category reading
 */
export const totals: Effect.Effect<Readonly<Record<WaitReason, WaitTotals>>> = Effect.sync(() =>
  byReason((reason) => ({
    count: waits.unsafeValue(labels[reason]).count,
    millis: waitMillis.unsafeValue(labels[reason]).sum
  }))
)

/**
 * The waits about rate limits (see {@link rateLimitReasons}) between two readings of {@link totals}.
 *
 * @since 0.2.0
 * @category reading
 */
export const rateLimitWaitsBetween = (
  before: Readonly<Record<WaitReason, WaitTotals>>,
  after: Readonly<Record<WaitReason, WaitTotals>>
): WaitTotals =>
  rateLimitReasons.reduce(
    (sum, reason) => ({
      count: sum.count + after[reason].count - before[reason].count,
      millis: sum.millis + after[reason].millis - before[reason].millis
    }),
    { count: 0, millis: 0 }
  )
