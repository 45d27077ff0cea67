/**
 * Intercom's rate-limit headers, read into values. Intercom counts calls per app in short windows and reports the
 * window on every authenticated response (`X-RateLimit-Limit`, `X-RateLimit-Remaining`, `X-RateLimit-Reset` in
 * unix seconds); a 429 may also carry `Retry-After` (seconds or an HTTP date).
 *
 * @since 0.1.0
 */
import type { Headers } from "@effect/platform"
import type { Option } from "effect"
import * as internal from "./internal/rateLimit.js"

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

/**
 * Reads the three X-RateLimit headers; `None` when any is missing or not an integer (unauthenticated responses and
 * most proxies' error pages have none).
 *
 * @since 0.1.0
 * @category parsing
 */
export const fromHeaders: (headers: Headers.Headers) => Option.Option<RateLimitSnapshot> = internal.fromHeaders

/**
 * Parses `Retry-After`: either delay seconds or an HTTP date. Returns the wait in milliseconds from `nowMillis`
 * (never negative).
 *
 * @since 0.1.0
 * @category parsing
 */
export const parseRetryAfter: (value: string, nowMillis: number) => Option.Option<number> = internal.parseRetryAfter

/**
 * The wait a response of this status asks for, in milliseconds. `Retry-After` counts for any status. The distance
 * to `X-RateLimit-Reset` counts for a 429 only: Intercom sends the window's headers on every response, and for a
 * 5xx they say when the window resets, not when the failure will be over. `None` when the response says neither.
 *
 * @since 0.1.0
 * @category parsing
 */
export const serverDelayMillis: (status: number, headers: Headers.Headers, nowMillis: number) => Option.Option<number> =
  internal.serverDelayMillis
