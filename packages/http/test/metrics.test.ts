/**
 * The client's waits as metrics (`ClientMetrics`): a call that waits counts once under its reason, with how long it
 * waited. Virtual time (`TestClock`) and the in-memory transport; the metrics are global to the process, so every
 * test reads the difference it made.
 */
import { assert, describe, it } from "@effect/vitest"
import { type Duration, Effect, Exit, Fiber, Schema, TestClock } from "effect"
import { ClientMetrics, IntercomClient } from "../src/index.js"
import { clientLayer, errorList, jsonResponse } from "./utils/fake.js"

const Admin = Schema.Struct({ type: Schema.Literal("admin"), id: Schema.String })
const admin = { type: "admin", id: "7" } as const
const me = IntercomClient.IntercomClient.pipe(
  Effect.flatMap((client) => client.request({ method: "GET", path: "/me", response: Admin }))
)

/** Lets fibers woken by the clock run (they resume through the event loop). */
const settle = Effect.promise(() => new Promise<void>((resolve) => setTimeout(resolve, 5))).pipe(Effect.repeatN(3))

/** Runs `calls` GET /me at once over `setup`, moving the clock by `steps`; returns the waits each reason gained. */
const waitsOf = (setup: ReturnType<typeof clientLayer>, calls: number, steps: ReadonlyArray<Duration.DurationInput>) =>
  Effect.gen(function* () {
    const before = yield* ClientMetrics.totals
    const all = Effect.forEach(Array.from({ length: calls }), () => me, { concurrency: "unbounded" })
    const fiber = yield* Effect.fork(Effect.provide(all, setup.layer))
    for (const step of steps) {
      yield* settle
      yield* TestClock.adjust(step)
    }
    yield* settle
    const exit = yield* Fiber.await(fiber)
    assert.isTrue(Exit.isSuccess(exit), String(exit))
    const after = yield* ClientMetrics.totals
    const gained: Record<string, { count: number; millis: number }> = {}
    for (const reason of ClientMetrics.reasons) {
      const count = after[reason].count - before[reason].count
      if (count > 0) gained[reason] = { count, millis: after[reason].millis - before[reason].millis }
    }
    return { gained, rateLimit: ClientMetrics.rateLimitWaitsBetween(before, after) }
  })

/** A server allowing 3 calls per 10 s window of the test clock, announcing each window in its headers. */
const windowOfThree = () => {
  const used = new Map<number, number>()
  return clientLayer(() =>
    Effect.map(TestClock.currentTimeMillis, (now) => {
      const window = Math.floor(now / 10_000)
      const n = (used.get(window) ?? 0) + 1
      used.set(window, n)
      const headers = {
        "x-ratelimit-limit": "3",
        "x-ratelimit-remaining": String(Math.max(0, 3 - n)),
        "x-ratelimit-reset": String((window + 1) * 10)
      }
      return n > 3
        ? jsonResponse(429, errorList("rate_limit_exceeded", "x"), headers)
        : jsonResponse(200, admin, headers)
    })
  )
}

describe("ClientMetrics (TestClock, in-memory transport)", () => {
  it.effect("counts each call the gate holds for a spent window, with the time it was held", () =>
    Effect.gen(function* () {
      const { gained, rateLimit } = yield* waitsOf(windowOfThree(), 5, ["0 millis", "10 seconds", "1 second"])
      // The probe goes alone, the two others of the window after it; calls 4 and 5 wait for the reset at 10 s plus
      // the gate's margin of 50 ms.
      assert.deepStrictEqual(gained["window"], { count: 2, millis: 2 * 10_050 })
      assert.deepStrictEqual(rateLimit, { count: 2, millis: 2 * 10_050 })
    })
  )

  it.effect("counts a 429's wait as retry-after", () =>
    Effect.gen(function* () {
      const setup = clientLayer((_, i) =>
        Effect.succeed(
          i === 0
            ? jsonResponse(429, errorList("rate_limit_exceeded", "slow down"), { "retry-after": "7" })
            : jsonResponse(200, admin)
        )
      )
      const { gained } = yield* waitsOf(setup, 1, ["7 seconds", "1 second"])
      assert.deepStrictEqual(Object.keys(gained), ["retry-after"])
      assert.isAtLeast(gained["retry-after"]!.millis, 7_000)
    })
  )

  it.effect("counts the client-side budget's waits as budget, and the cap's as concurrency", () =>
    Effect.gen(function* () {
      const budget = clientLayer(() => Effect.succeed(jsonResponse(200, admin)), {
        rateLimit: { enabled: false, budget: { limit: 2, window: "10 seconds" } }
      })
      const spent = yield* waitsOf(budget, 4, ["10 seconds", "1 second"])
      assert.deepStrictEqual(Object.keys(spent.gained), ["budget"])
      assert.strictEqual(spent.gained["budget"]!.count, 2)

      const capped = clientLayer(() => Effect.as(Effect.sleep("1 second"), jsonResponse(200, admin)), {
        rateLimit: { enabled: false, maxConcurrency: 2 }
      })
      const queued = yield* waitsOf(capped, 4, ["1 second", "1 second", "1 second"])
      assert.deepStrictEqual(queued.gained, { concurrency: { count: 2, millis: 2 * 1_000 } })
      // Waiting for a free place is not a rate-limit wait.
      assert.deepStrictEqual(queued.rateLimit, { count: 0, millis: 0 })
    })
  )

  it.effect("a call that goes at once records nothing", () =>
    Effect.gen(function* () {
      const setup = clientLayer(() => Effect.succeed(jsonResponse(200, admin)))
      const { gained } = yield* waitsOf(setup, 1, ["0 millis"])
      assert.deepStrictEqual(gained, {})
    })
  )
})
