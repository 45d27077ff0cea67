/**
 * What the mock saw, for tests to assert on: requests, responses by status, creates and duplicate creates, and the
 * requests served in each rate-limit window. A test reads a `snapshot`; the server records through the `unsafe*`
 * methods, which are synchronous because they run once per request on the hot path.
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer } from "effect"

/**
 * One rate-limit window.
 *
 * @since 0.1.0
 * @category models
 */
export interface Window {
  /** Epoch milliseconds of the window's start. */
  readonly start: number
  /** Requests the window limit let through. */
  readonly served: number
  /** Requests answered 429 because the window was spent. */
  readonly limited: number
}

/**
 * Faults injected so far, by kind.
 *
 * @since 0.1.0
 * @category models
 */
export interface FaultCounts {
  /** 500 and 503 answered before the request was handled. */
  readonly serverErrors: number
  /** 502 answered after the request was handled (the work was done, the answer lost). */
  readonly badGateways: number
  /** 429 answered by an injected burst (not by the window limit). */
  readonly rateLimited: number
  /** Connections reset after half the body. */
  readonly resets: number
  /** JSON bodies cut short behind a complete response. */
  readonly truncated: number
  /** Requests given extra latency. */
  readonly delayed: number
}

/**
 * Everything counted since the start (or the last `reset`).
 *
 * @since 0.1.0
 * @category models
 */
export interface Snapshot {
  /** Every request received, whatever its answer. */
  readonly requests: number
  /** Responses by status code; an answer reset or cut short counts under the status it was sent with. */
  readonly responses: Readonly<Record<number, number>>
  /** Create calls that were carried out (their 2xx answer may still have been lost to a fault). */
  readonly creates: number
  /** Creates whose method, path and body had been carried out before: what a retried create leaves behind. */
  readonly duplicateCreates: number
  /** The most requests served in any one window. */
  readonly maxPerWindow: number
  /** Every window that saw an authenticated request, oldest first. */
  readonly windows: ReadonlyArray<Window>
  /** Requests sent without an `Intercom-Version` header (served with the default version). */
  readonly missingVersion: number
  readonly faults: FaultCounts
}

/**
 * The counters service.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  readonly snapshot: Effect.Effect<Snapshot>
  /** Starts counting afresh. */
  readonly reset: Effect.Effect<void>
  /** Records a request; returns its 1-based number. */
  readonly unsafeRequest: () => number
  readonly unsafeResponse: (status: number) => void
  /** Records a create carried out; returns true when the same create had been carried out before. */
  readonly unsafeCreate: (method: string, path: string, body: string) => boolean
  readonly unsafeWindow: (start: number, served: boolean) => void
  readonly unsafeMissingVersion: () => void
  readonly unsafeFault: (kind: keyof FaultCounts) => void
}

/**
 * The counters tag.
 *
 * @since 0.1.0
 * @category tags
 */
export class Counters extends Context.Tag("@intercom-effect/mock-server/Counters")<Counters, Service>() {}

const noFaults = (): { -readonly [K in keyof FaultCounts]: number } => ({
  serverErrors: 0,
  badGateways: 0,
  rateLimited: 0,
  resets: 0,
  truncated: 0,
  delayed: 0
})

/**
 * Fresh counters.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (): Service => {
  let requests = 0
  let responses = new Map<number, number>()
  let creates = 0
  let duplicateCreates = 0
  let seen = new Set<string>()
  let windows = new Map<number, { served: number; limited: number }>()
  let missingVersion = 0
  let faults = noFaults()
  return {
    snapshot: Effect.sync(() => {
      const list = [...windows].sort(([a], [b]) => a - b).map(([start, w]) => ({ start, ...w }))
      return {
        requests,
        responses: Object.fromEntries(responses),
        creates,
        duplicateCreates,
        maxPerWindow: list.reduce((max, w) => Math.max(max, w.served), 0),
        windows: list,
        missingVersion,
        faults: { ...faults }
      }
    }),
    reset: Effect.sync(() => {
      requests = 0
      responses = new Map()
      creates = 0
      duplicateCreates = 0
      seen = new Set()
      windows = new Map()
      missingVersion = 0
      faults = noFaults()
    }),
    unsafeRequest: () => ++requests,
    unsafeResponse: (status) => {
      responses.set(status, (responses.get(status) ?? 0) + 1)
    },
    unsafeCreate: (method, path, body) => {
      creates++
      const key = `${method} ${path}\n${body}`
      const duplicate = seen.has(key)
      if (duplicate) duplicateCreates++
      else seen.add(key)
      return duplicate
    },
    unsafeWindow: (start, served) => {
      const w = windows.get(start) ?? { served: 0, limited: 0 }
      if (served) w.served++
      else w.limited++
      windows.set(start, w)
    },
    unsafeMissingVersion: () => {
      missingVersion++
    },
    unsafeFault: (kind) => {
      faults[kind]++
    }
  }
}

/**
 * Fresh counters as a layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Counters> = Layer.sync(Counters, make)
