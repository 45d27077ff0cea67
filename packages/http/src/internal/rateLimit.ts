import type { Headers } from "@effect/platform"
import { Option } from "effect"
import type { RateLimitSnapshot } from "../RateLimit.js"

// Runs on every response, so it reads the three headers directly instead of through Option combinators.
const integerHeader = (headers: Headers.Headers, name: string): number | undefined => {
  const value = headers[name]
  if (value === undefined) return undefined
  const trimmed = value.trim()
  return /^-?\d+$/.test(trimmed) ? Number.parseInt(trimmed, 10) : undefined
}

/** @internal */
export const fromHeaders = (headers: Headers.Headers): Option.Option<RateLimitSnapshot> => {
  const limit = integerHeader(headers, "x-ratelimit-limit")
  const remaining = integerHeader(headers, "x-ratelimit-remaining")
  const reset = integerHeader(headers, "x-ratelimit-reset")
  return limit === undefined || remaining === undefined || reset === undefined
    ? Option.none()
    : Option.some({ limit, remaining: Math.max(0, remaining), resetAtMillis: reset * 1000 })
}

/** @internal */
export const parseRetryAfter = (value: string, nowMillis: number): Option.Option<number> => {
  const trimmed = value.trim()
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Option.some(Math.max(0, Number.parseFloat(trimmed) * 1000))
  // Only accept real HTTP dates; Date.parse is lenient and would read "7" as a year.
  if (!/[a-z]/i.test(trimmed)) return Option.none()
  const at = Date.parse(trimmed)
  return Number.isNaN(at) ? Option.none() : Option.some(Math.max(0, at - nowMillis))
}

/** @internal */
export const serverDelayMillis = (
  status: number,
  headers: Headers.Headers,
  nowMillis: number
): Option.Option<number> => {
  const retryAfter = headers["retry-after"]
  const asked = retryAfter === undefined ? Option.none<number>() : parseRetryAfter(retryAfter, nowMillis)
  if (Option.isSome(asked) || status !== 429) return asked
  // Intercom reports its window on every response, 5xx included. Only a 429 is about that window, so only a 429
  // may wait for its reset; a 5xx waiting for it would stall every retry for up to 10 s.
  const reset = integerHeader(headers, "x-ratelimit-reset")
  return reset === undefined ? Option.none() : Option.some(Math.max(0, reset * 1000 - nowMillis))
}
