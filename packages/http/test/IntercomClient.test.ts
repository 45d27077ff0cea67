import { assert, describe, it } from "@effect/vitest"
import { Cause, Duration, Effect, Either, Exit, Fiber, Option, Schedule, Schema, Stream, TestClock } from "effect"
import { IntercomClient, type IntercomError } from "../src/index.js"
import { clientLayer, errorList, jsonResponse, token } from "./utils/fake.js"

const Admin = Schema.Struct({ type: Schema.Literal("admin"), id: Schema.String, email: Schema.String })
const admin = { type: "admin", id: "991", email: "ops@example.com" } as const
const Message = Schema.Struct({ type: Schema.String, id: Schema.String })
const CreateMessage = Schema.Struct({ message_type: Schema.Literal("email", "inapp"), body: Schema.String })

const me = IntercomClient.IntercomClient.pipe(
  Effect.flatMap((client) => client.request({ method: "GET", path: "/me", response: Admin }))
)
/** POST /messages, a create, with `extra` request options. */
const createMessageWith = (extra: Partial<IntercomClient.RequestOptions> = {}) =>
  IntercomClient.IntercomClient.pipe(
    Effect.flatMap((client) =>
      client.request({
        method: "POST",
        path: "/messages",
        body: IntercomClient.jsonBody(CreateMessage, { message_type: "inapp", body: "hi" }),
        response: Message,
        ...extra
      })
    )
  )
const createMessage = createMessageWith()
const search = IntercomClient.IntercomClient.pipe(
  Effect.flatMap((client) =>
    client.request({
      method: "POST",
      path: "/contacts/search",
      body: IntercomClient.jsonBody(Schema.Struct({ query: Schema.Unknown }), {
        query: { field: "id", operator: "=", value: "1" }
      }),
      response: Schema.Struct({ type: Schema.String }),
      idempotent: true
    })
  )
)

/**
 * Lets the forked fiber reach its next sleep. The in-memory transport still reads bodies through real promises,
 * and TestClock only wakes sleeps that are registered when it moves; this waits on the event loop, not on time.
 */
const settle = Effect.promise(() => new Promise<void>((resolve) => setTimeout(resolve, 5))).pipe(Effect.repeatN(3))

/** Forks `effect` with `layer`, moves the clock in steps and records how many calls were made at each step. */
const runTimeline = <A, E>(
  effect: Effect.Effect<A, E, IntercomClient.IntercomClient>,
  setup: ReturnType<typeof clientLayer>,
  steps: ReadonlyArray<Duration.DurationInput>
) =>
  Effect.gen(function* () {
    const fiber = yield* Effect.fork(Effect.provide(effect, setup.layer))
    const counts: Array<number> = []
    for (const step of steps) {
      yield* settle
      yield* TestClock.adjust(step)
      yield* settle
      counts.push(setup.seen.length)
    }
    const exit = yield* Fiber.await(fiber)
    return { counts, exit }
  })

describe("retries (TestClock, in-memory transport)", () => {
  it.effect("retries a 429 after Retry-After seconds", () =>
    Effect.gen(function* () {
      const setup = clientLayer((_, i) =>
        Effect.succeed(
          i === 0
            ? jsonResponse(429, errorList("rate_limit_exceeded", "slow down"), { "retry-after": "7" })
            : jsonResponse(200, admin)
        )
      )
      const { counts, exit } = yield* runTimeline(me, setup, ["6900 millis", "200 millis", "1 second"])
      assert.deepStrictEqual(counts, [1, 2, 2])
      assert.deepStrictEqual(exit, Exit.succeed(admin))
    })
  )

  it.effect("retries a 429 after an HTTP-date Retry-After", () =>
    Effect.gen(function* () {
      const setup = clientLayer((_, i) =>
        Effect.gen(function* () {
          const now = yield* TestClock.currentTimeMillis
          return i === 0
            ? jsonResponse(429, errorList("rate_limit_exceeded", "x"), {
                "retry-after": new Date(now + 3000).toUTCString()
              })
            : jsonResponse(200, admin)
        })
      )
      const { counts, exit } = yield* runTimeline(me, setup, ["2900 millis", "200 millis"])
      assert.deepStrictEqual(counts, [1, 2])
      assert.isTrue(Exit.isSuccess(exit))
    })
  )

  it.effect("retries a 429 at X-RateLimit-Reset when there is no Retry-After", () =>
    Effect.gen(function* () {
      const setup = clientLayer((_, i) =>
        Effect.gen(function* () {
          const now = yield* TestClock.currentTimeMillis
          const reset = String(Math.floor(now / 1000) + 5)
          return i === 0
            ? jsonResponse(429, errorList("rate_limit_exceeded", "x"), {
                "x-ratelimit-limit": "10",
                "x-ratelimit-remaining": "0",
                "x-ratelimit-reset": reset
              })
            : jsonResponse(200, admin, {
                "x-ratelimit-limit": "10",
                "x-ratelimit-remaining": "9",
                "x-ratelimit-reset": reset
              })
        })
      )
      // The gate holds until the reset plus its 50 ms margin.
      const { counts, exit } = yield* runTimeline(me, setup, ["4900 millis", "200 millis"])
      assert.deepStrictEqual(counts, [1, 2])
      assert.isTrue(Exit.isSuccess(exit))
    })
  )

  it.effect("gives up on a 429 once the attempts are spent, with the typed error", () =>
    Effect.gen(function* () {
      const setup = clientLayer(
        () => Effect.succeed(jsonResponse(429, errorList("rate_limit_exceeded", "x"), { "retry-after": "1" })),
        {
          retry: { maxRetries: 2, jitter: 0 }
        }
      )
      const { exit } = yield* runTimeline(Effect.flip(me), setup, ["10 seconds"])
      assert.strictEqual(setup.seen.length, 3)
      assert.isTrue(Exit.isSuccess(exit))
      if (Exit.isSuccess(exit)) {
        assert.strictEqual(exit.value._tag, "RateLimited")
      }
    })
  )

  it.effect("does not retry a create-POST after a 503", () =>
    Effect.gen(function* () {
      const setup = clientLayer(() => Effect.succeed(jsonResponse(503, errorList("service_unavailable", "x"))))
      const { exit } = yield* runTimeline(Effect.flip(createMessage), setup, ["5 minutes"])
      assert.strictEqual(setup.seen.length, 1)
      assert.isTrue(Exit.isSuccess(exit) && exit.value._tag === "ServerError")
    })
  )

  it.effect("retries a search-POST after a 503", () =>
    Effect.gen(function* () {
      const setup = clientLayer((_, i) =>
        Effect.succeed(
          i < 2 ? jsonResponse(503, errorList("service_unavailable", "x")) : jsonResponse(200, { type: "list" })
        )
      )
      const { counts, exit } = yield* runTimeline(search, setup, ["499 millis", "1 millis", "1 second"])
      // Backoff without jitter: 500 ms, then 1000 ms.
      assert.deepStrictEqual(counts, [1, 2, 3])
      assert.deepStrictEqual(exit, Exit.succeed({ type: "list" }))
    })
  )

  it.effect("does not retry a create-POST after a timeout, but retries a search-POST", () =>
    Effect.gen(function* () {
      const hang = clientLayer(() => Effect.never, { timeout: "10 seconds" })
      const created = yield* runTimeline(Effect.flip(createMessage), hang, ["10 seconds", "5 minutes"])
      assert.strictEqual(hang.seen.length, 1)
      assert.isTrue(Exit.isSuccess(created.exit) && created.exit.value._tag === "TimeoutError")

      const hangSearch = clientLayer(
        (_, i) => (i === 0 ? Effect.never : Effect.succeed(jsonResponse(200, { type: "list" }))),
        {
          timeout: "10 seconds"
        }
      )
      const searched = yield* runTimeline(search, hangSearch, ["10 seconds", "1 second"])
      assert.deepStrictEqual(searched.counts, [1, 2])
      assert.isTrue(Exit.isSuccess(searched.exit))
    })
  )

  it.effect("fails at once on the pending-export-job 429", () =>
    Effect.gen(function* () {
      const setup = clientLayer(() =>
        Effect.succeed(
          jsonResponse(
            429,
            errorList("rate_limit_exceeded", "Exceeded rate limit of 1 pending message data export jobs"),
            {
              "retry-after": "1"
            }
          )
        )
      )
      const exportJob = IntercomClient.IntercomClient.pipe(
        Effect.flatMap((client) =>
          client.request({
            method: "POST",
            path: "/export/content/data",
            body: IntercomClient.jsonBody(
              Schema.Struct({ created_at_after: Schema.Number, created_at_before: Schema.Number }),
              {
                created_at_after: 1,
                created_at_before: 2
              }
            ),
            response: Schema.Struct({ job_identifier: Schema.String })
          })
        ),
        Effect.flip
      )
      const { counts, exit } = yield* runTimeline(exportJob, setup, ["0 millis", "1 minute"])
      assert.deepStrictEqual(counts, [1, 1])
      assert.isTrue(Exit.isSuccess(exit) && exit.value._tag === "RateLimited" && !exit.value.transient)
    })
  )

  it.effect("reads the final-429 rule from the operation the call carries, whatever the path or the message", () =>
    Effect.gen(function* () {
      // A 429 with a message that names no rule, then a success.
      const setup = () =>
        clientLayer((_, i) =>
          Effect.succeed(
            i === 0
              ? jsonResponse(429, errorList("rate_limit_exceeded", "Slow down"), { "retry-after": "1" })
              : jsonResponse(200, {})
          )
        )
      const send = (operation: IntercomClient.Operation) =>
        Effect.flatMap(IntercomClient.IntercomClient, (client) =>
          client.requestVoid({ method: "POST", path: "/anything", operation })
        )
      const final = yield* runTimeline(send({ name: "Things.start", finalRateLimit: true }), setup(), [
        "0 millis",
        "1 minute"
      ])
      assert.deepStrictEqual(final.counts, [1, 1])
      assert.isTrue(
        Exit.isFailure(final.exit) &&
          Option.exists(Cause.failureOption(final.exit.cause), (e) => e._tag === "RateLimited" && !e.transient)
      )
      // The same answer without the rule is a spent window: retried after the wait.
      const again = yield* runTimeline(send({ name: "Things.start" }), setup(), ["0 millis", "1 minute"])
      assert.deepStrictEqual(again.counts, [1, 2])
      assert.isTrue(Exit.isSuccess(again.exit))
    })
  )

  it.effect("uses a user-supplied Schedule instead of the built-in policy", () =>
    Effect.gen(function* () {
      const setup = clientLayer(() => Effect.succeed(jsonResponse(503, errorList("service_unavailable", "x"))), {
        // The user knows this POST is safe to repeat once.
        retrySchedule: () => Schedule.recurs(1)
      })
      yield* runTimeline(Effect.flip(createMessage), setup, ["1 second"])
      assert.strictEqual(setup.seen.length, 2)
    })
  )
})

describe("input and output (in-memory transport)", () => {
  it.effect("rejects an invalid body with InvalidRequest and sends nothing", () =>
    Effect.gen(function* () {
      const setup = clientLayer(() => Effect.succeed(jsonResponse(200, { type: "x", id: "1" })))
      const error = yield* IntercomClient.IntercomClient.pipe(
        Effect.flatMap((client) =>
          client.request({
            method: "POST",
            path: "/messages",
            // A value that escaped the type checker (from JSON, say): wrong enum value and an unknown key.
            body: IntercomClient.jsonBody(
              CreateMessage,
              JSON.parse('{"message_type":"in_app","body":"hi","bcc":"x"}') as typeof CreateMessage.Type
            ),
            response: Message
          })
        ),
        Effect.flip,
        Effect.provide(setup.layer)
      )
      assert.strictEqual(error._tag, "InvalidRequest")
      assert.include(error.message, "message_type")
      assert.include(error.message, "bcc")
      assert.strictEqual(setup.seen.length, 0)
    })
  )

  it.effect("exposes the last response's request id and rate-limit window", () =>
    Effect.gen(function* () {
      const setup = clientLayer(() =>
        Effect.succeed(
          jsonResponse(200, admin, {
            "x-request-id": "req-abc",
            "x-ratelimit-limit": "166",
            "x-ratelimit-remaining": "165",
            "x-ratelimit-reset": "1700000010"
          })
        )
      )
      const result = yield* Effect.gen(function* () {
        const client = yield* IntercomClient.IntercomClient
        const { meta } = yield* client.requestWithMeta({ method: "GET", path: "/me", response: Admin })
        return { meta, last: yield* client.lastResponse, window: yield* client.rateLimit }
      }).pipe(Effect.provide(setup.layer))
      assert.strictEqual(result.meta.requestId, "req-abc")
      assert.deepStrictEqual(
        result.meta.rateLimit,
        Option.some({ limit: 166, remaining: 165, resetAtMillis: 1_700_000_010_000 })
      )
      assert.deepStrictEqual(
        Option.map(result.last, (m) => m.requestId),
        Option.some("req-abc")
      )
      assert.deepStrictEqual(result.window, result.meta.rateLimit)
    })
  )

  it.effect("never puts the token in an error, even when the server echoes it", () =>
    Effect.gen(function* () {
      const setup = clientLayer((request) =>
        Effect.succeed(
          new Response(`<html>bad gateway for ${request.headers["authorization"]}</html>`, { status: 502 })
        )
      )
      const error = yield* Effect.flip(createMessage).pipe(Effect.provide(setup.layer))
      assert.strictEqual(error._tag, "ServerError")
      assert.notInclude(JSON.stringify(error), token)
      assert.notInclude(error.message, token)
      assert.notInclude(String(error), token)
      assert.include(error.message, "[redacted]")
    })
  )
})

describe("rate-limit gate (TestClock, in-memory transport)", () => {
  it.effect("counts requests still in flight across a reset against the new window", () =>
    Effect.gen(function* () {
      // Calls 1 and 2 reach the server 15 s late (a slow network), so Intercom counts them in the next window;
      // later calls take 1 s, so nothing answers between the reset and the next calls going out.
      const counts = new Map<number, number>()
      const statuses: Array<number> = []
      const setup = clientLayer(
        (_, i) =>
          Effect.gen(function* () {
            if (i === 1 || i === 2) yield* Effect.sleep("15 seconds")
            else if (i > 2) yield* Effect.sleep("1 second")
            const now = yield* TestClock.currentTimeMillis
            const window = Math.floor(now / 10_000)
            const used = (counts.get(window) ?? 0) + 1
            counts.set(window, used)
            const headers = {
              "x-ratelimit-limit": "3",
              "x-ratelimit-remaining": String(Math.max(0, 3 - used)),
              "x-ratelimit-reset": String((window + 1) * 10)
            }
            const status = used > 3 ? 429 : 200
            statuses.push(status)
            return status === 429
              ? jsonResponse(429, errorList("rate_limit_exceeded", "x"), headers)
              : jsonResponse(200, admin, headers)
          }),
        { timeout: "1 minute" }
      )
      const all = Effect.forEach(Array.from({ length: 5 }), () => me, { concurrency: "unbounded" })
      const { counts: calls, exit } = yield* runTimeline(all, setup, [
        "0 millis",
        "11 seconds",
        "10 seconds",
        "1 minute"
      ])
      // At the first reset two calls are still in flight, so only one of the three new tokens is left to spend.
      assert.deepStrictEqual(calls, [3, 4, 5, 5])
      assert.isTrue(Exit.isSuccess(exit))
      assert.deepStrictEqual(
        statuses.filter((s) => s === 429),
        []
      )
    })
  )

  it.effect("holds requests past the window's budget until the reset instead of drawing a 429", () =>
    Effect.gen(function* () {
      let used = 0
      const setup = clientLayer(() =>
        Effect.gen(function* () {
          const now = yield* TestClock.currentTimeMillis
          const window = Math.floor(now / 10_000)
          used = window === lastWindow ? used + 1 : 1
          lastWindow = window
          const headers = {
            "x-ratelimit-limit": "3",
            "x-ratelimit-remaining": String(Math.max(0, 3 - used)),
            "x-ratelimit-reset": String((window + 1) * 10)
          }
          return used > 3
            ? jsonResponse(429, errorList("rate_limit_exceeded", "x"), headers)
            : jsonResponse(200, admin, headers)
        })
      )
      let lastWindow = -1
      const statuses: Array<number> = []
      const all = Effect.forEach(Array.from({ length: 7 }), () => me, { concurrency: "unbounded" })
      const { counts, exit } = yield* runTimeline(all, setup, ["0 millis", "9 seconds", "1100 millis", "10 seconds"])
      void statuses
      // 3 in the first window, 3 after the first reset, the last one after the second reset.
      assert.deepStrictEqual(counts, [3, 3, 6, 7])
      assert.isTrue(Exit.isSuccess(exit))
    })
  )
})

describe("concurrency cap and client-side budget (TestClock, in-memory transport)", () => {
  it.effect("keeps at most maxConcurrency requests in flight", () =>
    Effect.gen(function* () {
      const setup = clientLayer(
        () => Effect.as(Effect.sleep("1 second"), jsonResponse(200, admin)),
        // The gate is off here so that its first-request probe does not blur what the cap does.
        { rateLimit: { enabled: false, maxConcurrency: 2 } }
      )
      const all = Effect.forEach(Array.from({ length: 5 }), () => me, { concurrency: "unbounded" })
      const { counts, exit } = yield* runTimeline(all, setup, ["0 millis", "1 second", "1 second", "1 second"])
      assert.deepStrictEqual(counts, [2, 4, 5, 5])
      assert.isTrue(Exit.isSuccess(exit))
    })
  )

  it.effect("spends an optional budget through RateLimiter, waiting instead of exceeding it", () =>
    Effect.gen(function* () {
      const setup = clientLayer(() => Effect.succeed(jsonResponse(200, admin)), {
        rateLimit: { budget: { limit: 2, window: "10 seconds" } }
      })
      const all = Effect.forEach(Array.from({ length: 5 }), () => me, { concurrency: "unbounded" })
      const { counts, exit } = yield* runTimeline(all, setup, ["0 millis", "9 seconds", "1 second", "10 seconds"])
      assert.deepStrictEqual(counts, [2, 2, 4, 5])
      assert.isTrue(Exit.isSuccess(exit))
    })
  )
})

describe("per-call timeout and retry (TestClock, in-memory transport)", () => {
  const hang = () => clientLayer(() => Effect.never, { timeout: "10 seconds", retry: { maxRetries: 0 } })
  const get = (options: Partial<IntercomClient.RequestOptions> = {}) =>
    IntercomClient.IntercomClient.pipe(
      Effect.flatMap((client) => client.request({ method: "GET", path: "/me", response: Admin, ...options }))
    )

  /** Forks `effect`, checks it is still running just before `millis`, and returns its error at `millis`. */
  const timesOutAt = <A>(
    effect: Effect.Effect<A, IntercomError.IntercomError, IntercomClient.IntercomClient>,
    millis: number
  ) =>
    Effect.gen(function* () {
      const fiber = yield* Effect.fork(Effect.flip(Effect.provide(effect, hang().layer)))
      yield* settle
      yield* TestClock.adjust(millis - 1)
      yield* settle
      assert.isTrue(Option.isNone(yield* Fiber.poll(fiber)), `finished before ${millis} ms`)
      yield* TestClock.adjust(1)
      const error = yield* Fiber.join(fiber)
      assert.isTrue(error._tag === "TimeoutError" && error.timeoutMillis === millis, error.message)
    })

  it.effect("withTimeout gives the calls in its scope their own timeout", () =>
    timesOutAt(get().pipe(IntercomClient.withTimeout("1 second")), 1000)
  )

  it.effect("RequestOptions.timeout sets it for one call, and a scoped withTimeout wins over it", () =>
    Effect.gen(function* () {
      yield* timesOutAt(get({ timeout: "2 seconds" }), 2000)
      yield* timesOutAt(get({ timeout: "2 seconds" }).pipe(IntercomClient.withTimeout("500 millis")), 500)
    })
  )

  const unavailable = () => clientLayer(() => Effect.succeed(jsonResponse(503, errorList("service_unavailable", "x"))))

  it.effect("withRetry({ maxRetries: 0 }) turns the configured retries off for the calls in its scope", () =>
    Effect.gen(function* () {
      const setup = unavailable()
      yield* runTimeline(Effect.flip(me.pipe(IntercomClient.withRetry({ maxRetries: 0 }))), setup, ["1 minute"])
      assert.strictEqual(setup.seen.length, 1)
      // Without it, the same call is retried 4 times.
      const control = unavailable()
      yield* runTimeline(Effect.flip(me), control, ["1 minute"])
      assert.strictEqual(control.seen.length, 5)
    })
  )

  it.effect("RequestOptions.retry takes settings over the configured ones, or a schedule of its own", () =>
    Effect.gen(function* () {
      const settings = unavailable()
      const once = yield* runTimeline(
        Effect.flip(get({ retry: { maxRetries: 1, baseDelay: "2 seconds" } })),
        settings,
        ["1999 millis", "1 millis"]
      )
      assert.deepStrictEqual(once.counts, [1, 2])

      // A create the caller knows is safe to repeat here (say, it checks for duplicates itself).
      const own = unavailable()
      const create = createMessageWith({ retry: () => Schedule.recurs(2) })
      yield* runTimeline(Effect.flip(create), own, ["1 second"])
      assert.strictEqual(own.seen.length, 3)
    })
  )

  it.effect("a stream reads the scoped timeout through Stream.provideService", () =>
    Effect.gen(function* () {
      const download = IntercomClient.IntercomClient.pipe(
        Effect.map((client) => client.stream({ method: "GET", path: "/download/content/data/x" })),
        Stream.unwrap,
        Stream.provideService(IntercomClient.CurrentTimeout, Option.some(Duration.seconds(3))),
        Stream.runDrain
      )
      yield* timesOutAt(download, 3000)
    })
  )
})

describe("learning the window (TestClock, in-memory transport)", () => {
  const window = {
    "x-ratelimit-limit": "100",
    "x-ratelimit-remaining": "99",
    "x-ratelimit-reset": "1000"
  }
  /** The first request never gets an answer; every other one is answered after half a second. */
  const slowAfterSilentFirst = () =>
    clientLayer(
      (_, i) => (i === 0 ? Effect.never : Effect.as(Effect.sleep("500 millis"), jsonResponse(200, admin, window))),
      { timeout: "1 second", retry: { maxRetries: 0 } }
    )
  const three = Effect.forEach(Array.from({ length: 3 }), () => Effect.either(me), { concurrency: "unbounded" })

  it.effect("a probe that times out without an answer lets the waiting requests go together", () =>
    Effect.gen(function* () {
      const setup = slowAfterSilentFirst()
      const { counts, exit } = yield* runTimeline(three, setup, ["0 millis", "1 second", "1 second"])
      // Before: the probe alone. When it times out, both others at once (one by one would give [1, 2, 3]).
      assert.deepStrictEqual(counts, [1, 3, 3])
      assert.isTrue(Exit.isSuccess(exit))
    })
  )

  it.effect("a probe interrupted by its caller teaches nothing, so the next request goes alone", () =>
    Effect.gen(function* () {
      const setup = slowAfterSilentFirst()
      const fibers = yield* Effect.gen(function* () {
        const probe = yield* Effect.fork(me)
        yield* settle
        const others = yield* Effect.fork(Effect.all([Effect.either(me), Effect.either(me)], { concurrency: 2 }))
        yield* settle
        return { probe, others }
      }).pipe(Effect.provide(setup.layer))
      assert.strictEqual(setup.seen.length, 1)
      yield* Fiber.interrupt(fibers.probe)
      yield* settle
      assert.strictEqual(setup.seen.length, 2)
      // Only its answer, half a second later, lets the third one go.
      yield* TestClock.adjust("499 millis")
      yield* settle
      assert.strictEqual(setup.seen.length, 2)
      yield* TestClock.adjust("1 millis")
      yield* settle
      assert.strictEqual(setup.seen.length, 3)
      yield* TestClock.adjust("500 millis")
      const [second, third] = yield* Fiber.join(fibers.others)
      assert.isTrue(Either.isRight(second) && Either.isRight(third))
    })
  )
})
