/**
 * Intercom's rate-limit headers, read into values. Intercom counts calls per app in short windows and reports the
 * window on every authenticated response (`X-RateLimit-Limit`, `X-RateLimit-Remaining`, `X-RateLimit-Reset` in
 * unix seconds); a 429 may also carry `Retry-After` (seconds or an HTTP date).
 *
 * @since 0.1.0
 */
import type { Headers } from "@effect/platform"
import { Option } from "effect"

/**
 * The window reported by one response.
 *
 * @since 0.1.0
 * @category models
 */
export interface RateLimitSnapshot {
  /** Calls allowed in the window. */
  readonly limit: number
  /** Calls left in the window when the server answered. */
  readonly remaining: number
  /** When the window resets, in epoch milliseconds (the header carries seconds). */
  readonly resetAtMillis: number
}

const header = (headers: Headers.Headers, name: string): Option.Option<string> => {
  const value = headers[name]
  return value === undefined || value.trim() === "" ? Option.none() : Option.some(value.trim())
}

const integer = (value: string): Option.Option<number> =>
  /^-?\d+$/.test(value) ? Option.some(Number.parseInt(value, 10)) : Option.none()

/**
 * Reads the three X-RateLimit headers; `None` when any is missing or not an integer (unauthenticated responses and
 * most proxies' error pages have none).
 *
 * @since 0.1.0
 * @category parsing
 */
export const fromHeaders = (headers: Headers.Headers): Option.Option<RateLimitSnapshot> =>
  Option.all({
    limit: Option.flatMap(header(headers, "x-ratelimit-limit"), integer),
    remaining: Option.flatMap(header(headers, "x-ratelimit-remaining"), integer),
    reset: Option.flatMap(header(headers, "x-ratelimit-reset"), integer)
  }).pipe(
    Option.map(({ limit, remaining, reset }) => ({
      limit,
      remaining: Math.max(0, remaining),
      resetAtMillis: reset * 1000
    }))
  )

/**
 * Parses `Retry-After`: either delay seconds or an HTTP date. Returns the wait in milliseconds from `nowMillis`
 * (never negative).
 *
 * @since 0.1.0
 * @category parsing
 */
export const parseRetryAfter = (value: string, nowMillis: number): Option.Option<number> => {
  const trimmed = value.trim()
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Option.some(Math.max(0, Number.parseFloat(trimmed) * 1000))
  // Only accept real HTTP dates; Date.parse is lenient and would read "7" as a year.
  if (!/[a-z]/i.test(trimmed)) return Option.none()
  const at = Date.parse(trimmed)
  return Number.isNaN(at) ? Option.none() : Option.some(Math.max(0, at - nowMillis))
}

/**
 * The wait the server asked for, in milliseconds: `Retry-After` first (it is the explicit answer), else the
 * distance to `X-RateLimit-Reset`. `None` when the response says neither.
 *
 * @since 0.1.0
 * @category parsing
 */
export const serverDelayMillis = (headers: Headers.Headers, nowMillis: number): Option.Option<number> =>
  Option.flatMap(header(headers, "retry-after"), (value) => parseRetryAfter(value, nowMillis)).pipe(
    Option.orElse(() =>
      Option.flatMap(header(headers, "x-ratelimit-reset"), integer).pipe(
        Option.map((reset) => Math.max(0, reset * 1000 - nowMillis))
      )
    )
  )
