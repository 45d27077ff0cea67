import { assert, describe, it } from "@effect/vitest"
import { Effect, TestClock } from "effect"
import * as ReplayGuard from "../src/ReplayGuard.js"

describe("ReplayGuard", () => {
  it.effect("claims an id once within the window, and again once the window has passed", () =>
    Effect.gen(function* () {
      const guard = yield* ReplayGuard.make({ capacity: 100, window: "1 hour" })
      assert.isTrue(yield* guard.claim("notif_a"))
      assert.isFalse(yield* guard.claim("notif_a"))
      yield* TestClock.adjust("59 minutes")
      assert.isFalse(yield* guard.claim("notif_a"))
      assert.isTrue(yield* guard.claim("notif_b"))
      yield* TestClock.adjust("1 minute")
      // notif_a was claimed an hour ago: forgotten. notif_b is still within its hour.
      assert.isTrue(yield* guard.claim("notif_a"))
      assert.isFalse(yield* guard.claim("notif_b"))
    })
  )

  it.effect("never remembers more than its capacity, forgetting the oldest first", () =>
    Effect.gen(function* () {
      const guard = yield* ReplayGuard.make({ capacity: 3, window: "1 day" })
      for (const id of ["n1", "n2", "n3", "n4"]) assert.isTrue(yield* guard.claim(id))
      assert.strictEqual(yield* guard.size, 3)
      assert.isFalse(yield* guard.claim("n4"))
      assert.isFalse(yield* guard.claim("n2"))
      assert.isTrue(yield* guard.claim("n1")) // pushed out by n4
    })
  )

  it.effect("stays bounded under a flood of distinct ids, and empties as they expire", () =>
    Effect.gen(function* () {
      const guard = yield* ReplayGuard.make({ capacity: 100, window: "10 minutes" })
      for (let i = 0; i < 5_000; i++) {
        yield* guard.claim(`notif_${i}`)
        if (i % 1_000 === 0) yield* TestClock.adjust("1 minute")
      }
      assert.strictEqual(yield* guard.size, 100)
      yield* TestClock.adjust("10 minutes")
      assert.isTrue(yield* guard.claim("late"))
      assert.strictEqual(yield* guard.size, 1)
    })
  )

  it.effect("admits a notification once; a later delivery is a duplicate, one created before the window is stale", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(Date.UTC(2026, 0, 2))
      const now = Date.UTC(2026, 0, 2) / 1000
      const guard = yield* ReplayGuard.make({ capacity: 100, window: "1 hour" })
      assert.strictEqual(yield* guard.admit({ id: "notif_a", created_at: now - 60 }), "new")
      assert.strictEqual(yield* guard.admit({ id: "notif_a", created_at: now - 60 }), "duplicate")
      // Older than the window: refused without being remembered, whatever its id.
      assert.strictEqual(yield* guard.admit({ id: "notif_old", created_at: now - 3_601 }), "stale")
      assert.strictEqual(yield* guard.size, 1)
      // An hour on, notif_a is forgotten, and a delivery of it again is stale: forgetting reopens no replay.
      yield* TestClock.adjust("1 hour")
      assert.strictEqual(yield* guard.admit({ id: "notif_a", created_at: now - 60 }), "stale")
    })
  )
})
