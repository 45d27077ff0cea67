/**
 * Intercom's window rate limit: the SDK's gate reads the mock's headers and never draws a 429; a burst without the
 * gate does (the control). The windows themselves, with a TestClock.
 */
import { assert, describe, it } from "@effect/vitest"
import { Contacts } from "@intercom-effect/services"
import { Clock, Duration, Effect, TestClock } from "effect"
import { MockIntercom, RateLimit } from "../src/index.js"
import { mock, token, withServices } from "./utils/mock.js"
import * as App from "./utils/app.js"
import * as Raw from "./utils/raw.js"

const LIMIT = 15
const BURST = 75

describe("rate limit", () => {
  it.scopedLive("a burst through one SDK client is paced by the headers: 0 responses 429", () =>
    Effect.gen(function* () {
      const m = yield* MockIntercom.MockIntercom
      const ids = m.state.contacts.values().map((r) => r.id)
      const started = yield* Clock.currentTimeMillis
      const got = yield* Effect.flatMap(Contacts.Contacts, (contacts) =>
        Effect.forEach(ids.slice(0, BURST), (id) => contacts.get(id), { concurrency: "unbounded" })
      )
      const elapsed = (yield* Clock.currentTimeMillis) - started
      assert.strictEqual(got.length, BURST)
      const counters = yield* m.counters.snapshot
      assert.strictEqual(counters.responses[429] ?? 0, 0)
      assert.strictEqual(counters.responses[200], BURST)
      assert.isAtMost(counters.maxPerWindow, LIMIT)
      assert.isTrue(counters.windows.every((w) => w.limited === 0 && w.served <= LIMIT))
      // 75 requests at 15 a window need five windows: the first may be nearly over, the other four are whole.
      assert.isAtLeast(elapsed, (BURST / LIMIT - 2) * 1000)
    }).pipe(withServices, Effect.provide(mock({ contacts: BURST, rateLimit: { limit: LIMIT, window: "1 second" } })))
  )

  it.scopedLive("the same burst without the gate draws 429s (control)", () =>
    Effect.gen(function* () {
      const m = yield* MockIntercom.MockIntercom
      const ids = m.state.contacts.values().map((r) => r.id)
      const answers = yield* Effect.forEach(ids, (id) => Raw.request(m.url, "GET", `/contacts/${id}`), {
        concurrency: "unbounded"
      })
      const limited = answers.filter((a) => a.status === 429)
      assert.isAtLeast(limited.length, BURST - 2 * LIMIT)
      const body = limited[0]!.json as { type: string; errors: Array<{ code: string }> }
      assert.deepStrictEqual([body.type, body.errors[0]?.code], ["error.list", "rate_limit_exceeded"])
      assert.strictEqual(limited[0]!.headers.get("x-ratelimit-remaining"), "0")
      const counters = yield* m.counters.snapshot
      assert.strictEqual(counters.responses[429], limited.length)
      assert.isAtMost(counters.maxPerWindow, LIMIT)
    }).pipe(Effect.provide(mock({ contacts: BURST, rateLimit: { limit: LIMIT, window: "1 second" } })))
  )

  it("windows are aligned to the clock; 429s do not count; the reset is in whole seconds, rounded up", () => {
    const limiter = RateLimit.make({ limit: 2, window: Duration.millis(1500) })
    const at = 1_700_000_001_600 // in the window [..001_000, ..002_500): multiples of 1.5 s since the epoch
    assert.deepStrictEqual(limiter.unsafeTake(at), {
      allowed: true,
      limit: 2,
      remaining: 1,
      reset: 1_700_000_003,
      windowStart: 1_700_000_001_000
    })
    assert.isTrue(limiter.unsafeTake(at + 100).allowed)
    assert.deepStrictEqual([limiter.unsafeTake(at + 200).allowed, limiter.unsafeTake(at + 200).remaining], [false, 0])
    const next = limiter.unsafeTake(at + 1000)
    assert.deepStrictEqual([next.allowed, next.remaining, next.windowStart], [true, 1, 1_700_000_002_500])
  })

  const window = (response: App.AppResponse) => ({
    status: response.status,
    remaining: response.headers.get("x-ratelimit-remaining"),
    reset: response.headers.get("x-ratelimit-reset")
  })

  it.effect("X-RateLimit-* over time, with a TestClock", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(10_000)
      const { app } = MockIntercom.make({
        accessToken: token,
        contacts: 2,
        rateLimit: { limit: 3, window: "10 seconds" }
      })
      const first = window(yield* App.call(app, "/me"))
      assert.deepStrictEqual([first.status, first.remaining, first.reset], [200, "2", "20"])
      yield* App.call(app, "/me")
      yield* App.call(app, "/me")
      const spent = window(yield* App.call(app, "/me"))
      assert.deepStrictEqual([spent.status, spent.remaining, spent.reset], [429, "0", "20"])
      yield* TestClock.adjust("9999 millis")
      assert.strictEqual((yield* App.call(app, "/me")).status, 429)
      yield* TestClock.adjust("1 millis")
      const fresh = window(yield* App.call(app, "/me"))
      assert.deepStrictEqual([fresh.status, fresh.remaining, fresh.reset], [200, "2", "30"])
    })
  )

  it.effect("a data export moves from pending to in progress to completed as time passes, with a TestClock", () =>
    Effect.gen(function* () {
      const { app } = MockIntercom.make({
        accessToken: token,
        contacts: 20,
        exports: { pending: "30 seconds", running: "2 minutes" }
      })
      const started = yield* App.call(app, "/export/content/data", "POST", {
        created_at_after: 0,
        created_at_before: 2e9
      })
      const id = started.json["job_identifier"] as string
      const status = Effect.map(App.call(app, `/export/content/data/${id}`), (r) => r.json["status"])
      assert.strictEqual(started.json["status"], "pending")
      yield* TestClock.adjust("29 seconds")
      assert.strictEqual(yield* status, "pending")
      yield* TestClock.adjust("1 second")
      assert.strictEqual(yield* status, "in_progress")
      yield* TestClock.adjust("119 seconds")
      assert.strictEqual(yield* status, "in_progress")
      yield* TestClock.adjust("1 second")
      assert.strictEqual(yield* status, "completed")
    })
  )
})
