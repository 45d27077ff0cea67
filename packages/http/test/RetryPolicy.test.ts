import { assert, describe, it } from "@effect/vitest"
import { Headers } from "@effect/platform"
import { Duration, Effect, Fiber, Option, Ref, TestClock } from "effect"
import { type IntercomConfig, IntercomError, RateLimit, RetryPolicy } from "../src/index.js"

const options: IntercomConfig.RetryOptions = {
  maxRetries: 4,
  baseDelay: Duration.millis(500),
  maxDelay: Duration.seconds(30),
  maxElapsed: Duration.minutes(2),
  jitter: 0.2
}

const base = { method: "GET", path: "/contacts", requestId: null, errors: [], errorKey: null, body: "" }
const rateLimited = (retryAfterMillis: number | null, transient = true) =>
  new IntercomError.RateLimited({ ...base, status: 429, retryAfterMillis, transient })
const serverError = (retryAfterMillis: number | null = null) =>
  new IntercomError.ServerError({ ...base, status: 503, retryAfterMillis })
const timeout = new IntercomError.TimeoutError({ method: "POST", path: "/messages", timeoutMillis: 100 })
const transport = new IntercomError.TransportError({
  method: "GET",
  path: "/me",
  reason: "Transport",
  detail: "ECONNRESET"
})
const notFound = new IntercomError.NotFound({ ...base, status: 404 })

describe("server hints", () => {
  const now = 1_700_000_000_000

  it("reads Retry-After as seconds", () => {
    assert.deepStrictEqual(RateLimit.parseRetryAfter("7", now), Option.some(7000))
    assert.deepStrictEqual(RateLimit.parseRetryAfter("1.5", now), Option.some(1500))
  })

  it("reads Retry-After as an HTTP date", () => {
    const at = new Date(now + 30_000).toUTCString()
    assert.deepStrictEqual(RateLimit.parseRetryAfter(at, now), Option.some(30_000))
    // A date in the past means "now", never a negative wait.
    assert.deepStrictEqual(RateLimit.parseRetryAfter(new Date(now - 5000).toUTCString(), now), Option.some(0))
  })

  it("rejects values that are neither", () => {
    assert.isTrue(Option.isNone(RateLimit.parseRetryAfter("soon", now)))
    assert.isTrue(Option.isNone(RateLimit.parseRetryAfter("-3", now)))
  })

  it("falls back to X-RateLimit-Reset for a 429, and prefers Retry-After when both are present", () => {
    const reset = String(now / 1000 + 4)
    assert.deepStrictEqual(
      RateLimit.serverDelayMillis(429, Headers.fromInput({ "x-ratelimit-reset": reset }), now),
      Option.some(4000)
    )
    assert.deepStrictEqual(
      RateLimit.serverDelayMillis(429, Headers.fromInput({ "x-ratelimit-reset": reset, "retry-after": "2" }), now),
      Option.some(2000)
    )
    assert.isTrue(Option.isNone(RateLimit.serverDelayMillis(429, Headers.empty, now)))
  })

  it("never takes X-RateLimit-Reset as the hint of a 5xx (Intercom sends it on every response)", () => {
    const window = {
      "x-ratelimit-limit": "166",
      "x-ratelimit-remaining": "120",
      "x-ratelimit-reset": String(now / 1000 + 9)
    }
    for (const status of [500, 502, 503, 504, 408]) {
      assert.isTrue(Option.isNone(RateLimit.serverDelayMillis(status, Headers.fromInput(window), now)), String(status))
      assert.deepStrictEqual(
        RateLimit.serverDelayMillis(status, Headers.fromInput({ ...window, "retry-after": "3" }), now),
        Option.some(3000)
      )
    }
  })

  it("reads the rate-limit window", () => {
    const snapshot = RateLimit.fromHeaders(
      Headers.fromInput({
        "x-ratelimit-limit": "167",
        "x-ratelimit-remaining": "12",
        "x-ratelimit-reset": "1700000010"
      })
    )
    assert.deepStrictEqual(snapshot, Option.some({ limit: 167, remaining: 12, resetAtMillis: 1_700_000_010_000 }))
    assert.isTrue(Option.isNone(RateLimit.fromHeaders(Headers.fromInput({ "x-ratelimit-limit": "167" }))))
  })
})

describe("delays", () => {
  it("keeps jitter within [d·(1−j), d·(1+j)] and caps at maxDelay", () => {
    for (let retry = 0; retry < 8; retry++) {
      const d = Math.min(500 * 2 ** retry, 30_000)
      for (const random of [0, 0.25, 0.5, 0.75, 0.999999]) {
        const delay = Duration.toMillis(RetryPolicy.backoffDelay(options, retry, random))
        assert.isAtLeast(delay, Math.min(d * 0.8, 30_000))
        assert.isAtMost(delay, Math.min(d * 1.2, 30_000))
      }
    }
    assert.strictEqual(Duration.toMillis(RetryPolicy.backoffDelay(options, 0, 0)), 400)
    assert.strictEqual(Duration.toMillis(RetryPolicy.backoffDelay(options, 20, 0.5)), 30_000)
  })

  it("takes the server's hint for a 429, capped at maxDelay", () => {
    assert.strictEqual(Duration.toMillis(RetryPolicy.delayFor(options, rateLimited(7000), 0, 0.5)), 7000)
    // A hint shorter than the backoff is honoured: the window is what matters for a 429.
    assert.strictEqual(Duration.toMillis(RetryPolicy.delayFor(options, rateLimited(100), 3, 0.5)), 100)
    assert.strictEqual(Duration.toMillis(RetryPolicy.delayFor(options, rateLimited(120_000), 0, 0.5)), 30_000)
    assert.strictEqual(Duration.toMillis(RetryPolicy.delayFor(options, rateLimited(null), 1, 0.5)), 1000)
  })

  it("never waits less than the backoff after a 5xx, even with a shorter hint", () => {
    assert.strictEqual(Duration.toMillis(RetryPolicy.delayFor(options, serverError(100), 2, 0.5)), 2000)
    assert.strictEqual(Duration.toMillis(RetryPolicy.delayFor(options, serverError(9000), 0, 0.5)), 9000)
  })
})

describe("what is retried", () => {
  it("retries 429 always, except a non-transient one", () => {
    assert.isTrue(RetryPolicy.isRetryable(rateLimited(null), false))
    assert.isTrue(RetryPolicy.isRetryable(rateLimited(null), true))
    assert.isFalse(RetryPolicy.isRetryable(rateLimited(1000, false), true))
  })

  it("retries 5xx, timeouts and transport failures only for idempotent calls", () => {
    for (const error of [serverError(), timeout, transport]) {
      assert.isTrue(RetryPolicy.isRetryable(error, true))
      assert.isFalse(RetryPolicy.isRetryable(error, false))
    }
    assert.isFalse(RetryPolicy.isRetryable(notFound, true))
  })
})

/** Runs an always-failing call under the policy and reports the virtual times of its attempts. */
const attemptTimes = (policy: IntercomConfig.RetryOptions, error: IntercomError.IntercomError, idempotent = true) =>
  Effect.gen(function* () {
    const times = yield* Ref.make<Array<number>>([])
    const start = yield* TestClock.currentTimeMillis
    const call = Effect.gen(function* () {
      const now = yield* TestClock.currentTimeMillis
      yield* Ref.update(times, (ts) => [...ts, now - start])
      return yield* Effect.fail(error)
    })
    const fiber = yield* Effect.fork(
      Effect.retry(call, RetryPolicy.schedule(policy, { method: "GET", path: "/x", idempotent }))
    )
    yield* TestClock.adjust(Duration.hours(1))
    const exit = yield* Fiber.await(fiber)
    assert.isTrue(exit._tag === "Failure")
    return yield* Ref.get(times)
  })

describe("the schedule", () => {
  const exact = { ...options, jitter: 0 }

  it.effect("stops after maxRetries retries, doubling the delay", () =>
    Effect.gen(function* () {
      const times = yield* attemptTimes({ ...exact, maxRetries: 3 }, serverError())
      assert.deepStrictEqual(times, [0, 500, 1500, 3500])
    })
  )

  it.effect("stops when the next delay would pass maxElapsed", () =>
    Effect.gen(function* () {
      const times = yield* attemptTimes(
        { ...exact, baseDelay: Duration.seconds(1), maxElapsed: Duration.seconds(5) },
        serverError()
      )
      // Delays 1 s and 2 s fit (ending at 3 s); the next one of 4 s would end at 7 s > 5 s.
      assert.deepStrictEqual(times, [0, 1000, 3000])
    })
  )

  it.effect("waits what the server asked for on a 429", () =>
    Effect.gen(function* () {
      const times = yield* attemptTimes({ ...exact, maxRetries: 2 }, rateLimited(7000), false)
      assert.deepStrictEqual(times, [0, 7000, 14_000])
    })
  )

  it.effect("does not retry a non-idempotent call after a 5xx", () =>
    Effect.gen(function* () {
      assert.deepStrictEqual(yield* attemptTimes(exact, serverError(), false), [0])
      assert.deepStrictEqual(yield* attemptTimes(exact, timeout, false), [0])
    })
  )

  it.effect("fails at once on a non-transient 429", () =>
    Effect.gen(function* () {
      assert.deepStrictEqual(yield* attemptTimes(exact, rateLimited(1000, false)), [0])
    })
  )
})
