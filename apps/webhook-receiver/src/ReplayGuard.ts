/**
 * The replay guard: each notification id is handled once. Intercom delivers at least once (a delivery whose answer
 * was lost, or came late, is sent again with the same id), and a captured signed request can be sent again by
 * anybody, since the signature covers no timestamp.
 *
 * Memory is bounded twice: ids are remembered for a window (24 hours by default) and at most `capacity` of them
 * (10,000), the oldest forgotten first. Ids arrive in time order, so one insertion-ordered map serves both bounds:
 * expired ids are always at its front. The receiver also refuses to act on notifications created before the window,
 * so forgetting an id after the window does not reopen a replay; only an id pushed out by capacity (more than
 * `capacity` notifications within one window) could be handled twice.
 */
import { Clock, Context, Duration, Effect, Layer } from "effect"
import { ReceiverConfig } from "./ReceiverConfig.js"

/** The guard. */
export interface Service {
  /** True the first time an id is claimed within the window, false after. */
  readonly claim: (id: string) => Effect.Effect<boolean>
  /** Ids remembered now. */
  readonly size: Effect.Effect<number>
}

/** The guard as a service. */
export class ReplayGuard extends Context.Tag("@intercom-effect/webhook-receiver/ReplayGuard")<ReplayGuard, Service>() {}

/** A guard in memory, bounded by `capacity` ids and a `window`. */
export const make = (options: {
  readonly capacity: number
  readonly window: Duration.DurationInput
}): Effect.Effect<Service> =>
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
    return {
      claim: (id) =>
        Effect.map(Clock.currentTimeMillis, (now) => {
          forgetExpired(now)
          if (seen.has(id)) return false
          seen.set(id, now)
          if (seen.size > options.capacity) seen.delete(seen.keys().next().value!)
          return true
        }),
      size: Effect.sync(() => seen.size)
    }
  })

/** A guard with the bounds of the `ReceiverConfig`. */
export const layer: Layer.Layer<ReplayGuard, never, ReceiverConfig> = Layer.effect(
  ReplayGuard,
  Effect.flatMap(ReceiverConfig, (config) => make({ capacity: config.replayCapacity, window: config.replayWindow }))
)
