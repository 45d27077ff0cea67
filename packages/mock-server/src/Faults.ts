/**
 * Misbehaviour on request, drawn deterministically from the seed: server errors, bursts of 429, added latency,
 * connections reset halfway through a body, and JSON bodies cut short. Draws happen in the order requests arrive,
 * so a sequential client meets the same faults on every run with the same seed.
 *
 * When a fault strikes matters for what a client may safely do about it:
 * - 500 and 503 are answered **before** the request is handled: nothing changed, a retry is safe.
 * - 429 bursts are answered before the request is handled, like the window limit.
 * - 502, a reset and a truncated body strike **after** the request was handled: the change was made and only the
 *   answer was lost, as when a proxy drops an upstream's response. A client that retries a create on those makes a
 *   duplicate, which `Counters` reports.
 *
 * @since 0.1.0
 */
import { Duration } from "effect"
import * as Prng from "./internal/prng.js"

/**
 * Fault rates, each a probability per request in [0, 1].
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** 500, 502 or 503 (a third each). */
  readonly serverError?: number | undefined
  /** A burst of 429 answers starts. */
  readonly rateLimited?: number | undefined
  /** Requests answered 429 in one burst; defaults to 3. */
  readonly burstLength?: number | undefined
  /** The connection is reset after half of the body was sent. */
  readonly reset?: number | undefined
  /** A complete response whose JSON body is cut short. */
  readonly truncate?: number | undefined
  /** Extra time before each answer, uniform between `min` and `max` (or exactly that long). */
  readonly latency?:
    | Duration.DurationInput
    | { readonly min: Duration.DurationInput; readonly max: Duration.DurationInput }
    | undefined
}

/**
 * What happens to one request.
 *
 * @since 0.1.0
 * @category models
 */
export type Fault =
  | { readonly _tag: "None" }
  | { readonly _tag: "ServerError"; readonly status: 500 | 503 }
  | { readonly _tag: "RateLimited" }
  | { readonly _tag: "BadGateway" }
  | { readonly _tag: "Reset" }
  | { readonly _tag: "Truncate" }

/**
 * The fault for one request and the latency added to it.
 *
 * @since 0.1.0
 * @category models
 */
export interface Draw {
  readonly fault: Fault
  readonly latency: Duration.Duration
}

/**
 * A fault plan.
 *
 * @since 0.1.0
 * @category models
 */
export interface Faults {
  readonly options: Options
  /** Whether any fault can happen at all. */
  readonly active: boolean
  /** The draw for the next request. */
  readonly unsafeNext: () => Draw
}

const none: Draw = { fault: { _tag: "None" }, latency: Duration.zero }

const clamp = (p: number | undefined) => Math.min(1, Math.max(0, p ?? 0))

/**
 * A fault plan from the seed.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (seed: number | string, options: Options = {}): Faults => {
  const serverError = clamp(options.serverError)
  const rateLimited = clamp(options.rateLimited)
  const reset = clamp(options.reset)
  const truncate = clamp(options.truncate)
  const burstLength = Math.max(1, Math.floor(options.burstLength ?? 3))
  const latency: readonly [number, number] | undefined =
    options.latency === undefined
      ? undefined
      : typeof options.latency === "object" && options.latency !== null && "min" in options.latency
        ? [Duration.toMillis(options.latency.min), Duration.toMillis(options.latency.max)]
        : [Duration.toMillis(options.latency), Duration.toMillis(options.latency)]
  const active = serverError + rateLimited + reset + truncate > 0 || (latency !== undefined && latency[1] > 0)
  // Separate streams: turning latency on does not move the faults.
  const faultRng = Prng.make(seed, "faults")
  const latencyRng = Prng.make(seed, "latency")
  let burst = 0
  const fault = (): Fault => {
    if (burst > 0) {
      burst--
      return { _tag: "RateLimited" }
    }
    let roll = faultRng.next()
    if (roll < serverError) {
      const which = faultRng.int(0, 2)
      return which === 1 ? { _tag: "BadGateway" } : { _tag: "ServerError", status: which === 0 ? 500 : 503 }
    }
    roll -= serverError
    if (roll < rateLimited) {
      burst = burstLength - 1
      return { _tag: "RateLimited" }
    }
    roll -= rateLimited
    if (roll < reset) return { _tag: "Reset" }
    roll -= reset
    if (roll < truncate) return { _tag: "Truncate" }
    return { _tag: "None" }
  }
  return {
    options,
    active,
    unsafeNext: () => {
      if (!active) return none
      const f = fault()
      const ms = latency === undefined ? 0 : latency[0] + latencyRng.next() * (latency[1] - latency[0])
      return { fault: f, latency: Duration.millis(Math.round(ms)) }
    }
  }
}
