/**
 * Intercom's rate limit: a number of calls per fixed window (10 seconds at Intercom, aligned to the clock), reported
 * on every authenticated response as `X-RateLimit-Limit`, `X-RateLimit-Remaining` and `X-RateLimit-Reset` (unix
 * seconds), and a 429 once the window is spent. Requests answered 429 do not count against the window.
 *
 * @since 0.1.0
 */
import { Duration } from "effect"

/**
 * The limit: `limit` calls per `window`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly limit: number
  readonly window: Duration.Duration
}

/**
 * Intercom's default for a private app: 10,000 calls a minute, enforced as 1,666 per 10-second window.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaults: Options = { limit: 1666, window: Duration.seconds(10) }

/**
 * The answer to "may this request go?".
 *
 * @since 0.1.0
 * @category models
 */
export interface Decision {
  readonly allowed: boolean
  readonly limit: number
  /** Calls left in the window after this one. */
  readonly remaining: number
  /**
   * The window's end in unix seconds, rounded up: a window shorter than a second, or not aligned to one, never
   * tells a client to come back before it has ended.
   */
  readonly reset: number
  /** Epoch milliseconds of the window's start. */
  readonly windowStart: number
}

/**
 * A window counter.
 *
 * @since 0.1.0
 * @category models
 */
export interface RateLimiter {
  readonly options: Options
  /** Counts one request at `nowMillis` if the window allows it. */
  readonly unsafeTake: (nowMillis: number) => Decision
  /** The window at `nowMillis`, without counting anything. */
  readonly unsafePeek: (nowMillis: number) => Decision
}

/**
 * A window counter for `options`. Windows are aligned to multiples of the window length since the epoch, as
 * Intercom's are to the clock.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options): RateLimiter => {
  const length = Math.max(1, Duration.toMillis(options.window))
  const limit = Math.max(1, Math.floor(options.limit))
  let start = -1
  let used = 0
  const roll = (now: number) => {
    const current = Math.floor(now / length) * length
    if (current !== start) {
      start = current
      used = 0
    }
  }
  const decision = (allowed: boolean): Decision => ({
    allowed,
    limit,
    remaining: Math.max(0, limit - used),
    reset: Math.ceil((start + length) / 1000),
    windowStart: start
  })
  return {
    options: { limit, window: Duration.millis(length) },
    unsafeTake: (now) => {
      roll(now)
      if (used >= limit) return decision(false)
      used++
      return decision(true)
    },
    unsafePeek: (now) => {
      roll(now)
      return decision(used < limit)
    }
  }
}

/**
 * The three headers Intercom sends with every authenticated response.
 *
 * @since 0.1.0
 * @category headers
 */
export const headers = (decision: Decision): Record<string, string> => ({
  "x-ratelimit-limit": String(decision.limit),
  "x-ratelimit-remaining": String(decision.remaining),
  "x-ratelimit-reset": String(decision.reset)
})
