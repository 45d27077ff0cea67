/**
 * The replay guard: each notification is acted on once. Intercom delivers at least once (a delivery whose answer was
 * lost, or came late, is sent again with the same id), and a captured signed request can be sent again by anybody,
 * since the signature covers no timestamp.
 *
 * {@link Service.admit} decides for a verified notification: `"new"` the first time its id is seen within the window,
 * `"duplicate"` after that, and `"stale"` when it was created before the window. Refusing stale notifications is what
 * makes forgetting safe: an id forgotten once its window has passed belongs to a notification that is stale by then.
 *
 * Memory is bounded twice: ids are remembered for the window (24 hours by default) and at most `capacity` of them
 * (10,000), the oldest forgotten first. Ids are claimed in time order, so one insertion-ordered map serves both
 * bounds: expired ids are always at its front. Only an id pushed out by capacity (more than `capacity`
 * notifications within one window) could be acted on twice.
 *
 * @example
 * ```ts
 * import { ReplayGuard, Webhooks } from "@intercom-effect/webhooks"
 * import { HttpServerResponse } from "@effect/platform"
 * import { Effect } from "effect"
 *
 * const handle = Webhooks.handler((notification) =>
 *   Effect.gen(function* () {
 *     const guard = yield* ReplayGuard.ReplayGuard
 *     const outcome = yield* guard.admit(notification)
 *     // Answer 200 either way: Intercom sends a delivery again when it is not answered 2xx.
 *     if (outcome !== "new") return HttpServerResponse.text(outcome)
 *     yield* Effect.log(`acting on ${notification.topic}`)
 *     return HttpServerResponse.text("accepted")
 *   })
 * )
 * ```
 *
 * @since 0.1.0
 */
import { Clock, Context, Duration, Effect, Layer } from "effect"

/**
 * What the guard says of a notification.
 *
 * @since 0.1.0
 * @category models
 */
export type Outcome = "new" | "duplicate" | "stale"

/**
 * The guard.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** `"new"` the first time a notification is admitted within the window; `"duplicate"` after; `"stale"` if too old. */
  readonly admit: (notification: {
    readonly id: string
    /** Unix seconds, as Intercom sends it. */
    readonly created_at: number
  }) => Effect.Effect<Outcome>
  /** True the first time an id is claimed within the window, false after (no age check: see `admit`). */
  readonly claim: (id: string) => Effect.Effect<boolean>
  /** Ids remembered now. */
  readonly size: Effect.Effect<number>
}

/**
 * The guard as a service.
 *
 * @since 0.1.0
 * @category tags
 */
export class ReplayGuard extends Context.Tag("@intercom-effect/webhooks/ReplayGuard")<ReplayGuard, Service>() {}

/**
 * The guard's bounds.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Most ids remembered; the oldest is forgotten first. */
  readonly capacity: number
  /** How long an id is remembered, and how old a notification may be. */
  readonly window: Duration.DurationInput
}

/**
 * 10,000 ids, 24 hours.
 *
 * @since 0.1.0
 * @category models
 */
export const defaults: Options = { capacity: 10_000, window: Duration.hours(24) }

/**
 * A guard in memory (one process; behind a load balancer, use one per instance with sticky routing, or a shared
 * store of your own behind the same interface).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options = defaults): Effect.Effect<Service> =>
  Effect.sync(() => {
    const windowMillis = Duration.toMillis(options.window)
    // id -> when it was claimed (ms); insertion order is claim order.
    const seen = new Map<string, number>()
    const forgetExpired = (now: number) => {
      for (const [id, at] of seen) {
        if (now - at < windowMillis) break
        seen.delete(id)
      }
    }
    const claimAt = (id: string, now: number): boolean => {
      forgetExpired(now)
      if (seen.has(id)) return false
      seen.set(id, now)
      if (seen.size > options.capacity) seen.delete(seen.keys().next().value!)
      return true
    }
    return {
      admit: (notification) =>
        Effect.map(Clock.currentTimeMillis, (now): Outcome => {
          if (notification.created_at * 1000 < now - windowMillis) return "stale"
          return claimAt(notification.id, now) ? "new" : "duplicate"
        }),
      claim: (id) => Effect.map(Clock.currentTimeMillis, (now) => claimAt(id, now)),
      size: Effect.sync(() => seen.size)
    }
  })

/**
 * A guard with `options` (by default {@link defaults}) as a layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options = defaults): Layer.Layer<ReplayGuard> => Layer.effect(ReplayGuard, make(options))
