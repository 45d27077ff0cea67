/**
 * `Patience.retry` under the TestClock: the pauses it announces, when it starts counting again, when it gives up.
 */
import { assert, describe, it } from "@effect/vitest"
import { Duration, Effect, Either, Fiber, TestClock } from "effect"
import { Patience } from "../src/index.js"

type Failure = "transient" | "fatal"

/** An attempt that fails with `failures` in turn (then succeeds), storing `progress[i]` pages on its i-th try. */
const scripted = (failures: ReadonlyArray<Failure>, progress: ReadonlyArray<number> = []) => {
  let tries = 0
  let pages = 0
  const waits: Array<Patience.Wait<Failure>> = []
  const attempt = Effect.suspend(() => {
    const i = tries++
    pages += progress[i] ?? 0
    return i < failures.length ? Effect.fail(failures[i]!) : Effect.succeed(`done after ${i + 1} tries`)
  })
  const run = (patience: Duration.DurationInput) =>
    Patience.retry(attempt, {
      patience,
      isTransient: (error) => error === "transient",
      progress: Effect.sync(() => pages),
      onWait: (wait) => Effect.sync(() => void waits.push(wait)),
      baseDelay: "5 seconds",
      maxDelay: "1 minute"
    })
  return { run, waits, tries: () => tries }
}

/** Runs `effect` with the test clock moved on far enough for every pause. */
const withTime = <A, E>(effect: Effect.Effect<A, E>) =>
  Effect.gen(function* () {
    const fiber = yield* Effect.fork(Effect.either(effect))
    yield* TestClock.adjust("1 day")
    const result = yield* Fiber.join(fiber)
    return Either.match(result, { onLeft: (left) => `failed: ${left}`, onRight: (right) => right })
  })

const seconds = (waits: ReadonlyArray<Patience.Wait<Failure>>) => waits.map((w) => Duration.toSeconds(w.delay))

describe("Patience.retry", () => {
  it.effect("waits out transient failures with doubling pauses, each announced, and succeeds", () =>
    Effect.gen(function* () {
      const walk = scripted(["transient", "transient", "transient"])
      const result = yield* withTime(walk.run("10 minutes"))
      assert.strictEqual(result, "done after 4 tries")
      assert.deepStrictEqual(seconds(walk.waits), [5, 10, 20])
      assert.deepStrictEqual(
        walk.waits.map((w) => w.failures),
        [1, 2, 3]
      )
      // 10 minutes, less what was waited so far including this pause.
      assert.deepStrictEqual(
        walk.waits.map((w) => Duration.toSeconds(w.left)),
        [595, 585, 565]
      )
    })
  )

  it.effect("gives up with the last error once the next pause would outlast the patience", () =>
    Effect.gen(function* () {
      const walk = scripted(["transient", "transient", "transient", "transient"])
      const result = yield* withTime(walk.run("30 seconds"))
      assert.strictEqual(result, "failed: transient")
      // 5 + 10 = 15 s waited; a third pause of 20 s would end 35 s after the first failure.
      assert.deepStrictEqual(seconds(walk.waits), [5, 10])
      assert.strictEqual(walk.tries(), 3)
    })
  )

  it.effect("progress between failures starts the count anew: a walk that keeps storing pages never gives up", () =>
    Effect.gen(function* () {
      const failures = Array.from({ length: 12 }, () => "transient" as const)
      const walk = scripted(
        failures,
        Array.from({ length: 13 }, () => 1)
      )
      const result = yield* withTime(walk.run("30 seconds"))
      assert.strictEqual(result, "done after 13 tries")
      // Twelve pauses of 5 s each, a minute in all: twice the patience, but never 30 s without a page.
      assert.deepStrictEqual(
        seconds(walk.waits),
        Array.from({ length: 12 }, () => 5)
      )
    })
  )

  it.effect("an error that is not transient, or no patience at all, fails at once", () =>
    Effect.gen(function* () {
      const fatal = scripted(["transient", "fatal"])
      assert.strictEqual(yield* withTime(fatal.run("10 minutes")), "failed: fatal")
      assert.strictEqual(fatal.waits.length, 1)
      const impatient = scripted(["transient"])
      assert.strictEqual(yield* withTime(impatient.run(0)), "failed: transient")
      assert.strictEqual(impatient.waits.length, 0)
    })
  )

  it.effect("without progress to watch, a first try that fails slowly counts against the patience too", () =>
    Effect.gen(function* () {
      let tries = 0
      const waits: Array<Patience.Wait<Failure>> = []
      // Each try takes 20 s to fail, as a call the client retried on its own would.
      const attempt = Effect.suspend(() => {
        tries++
        return Effect.zipRight(Effect.sleep("20 seconds"), Effect.fail<Failure>("transient"))
      })
      const result = yield* withTime(
        Patience.retry(attempt, {
          patience: "30 seconds",
          isTransient: () => true,
          onWait: (wait) => Effect.sync(() => void waits.push(wait)),
          baseDelay: "5 seconds"
        })
      )
      assert.strictEqual(result, "failed: transient")
      // 20 s of the first try and a pause of 5 s leave 5 s; the second try ends 45 s in, past the patience.
      assert.deepStrictEqual(
        waits.map((w) => [w.waited, w.delay, w.left].map(Duration.toSeconds)),
        [[20, 5, 5]]
      )
      assert.strictEqual(tries, 2)
    })
  )
})
