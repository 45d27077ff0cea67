/**
 * The shared budget without Redis: its pacing, the app key, and how clients of one app share turns and spent windows,
 * with the in-process implementation, the in-memory transport and TestClock.
 */
import { assert, describe, it } from "@effect/vitest"
import { Context, Duration, Effect, Fiber, Layer, Schema, TestClock } from "effect"
import { IntercomClient, SharedBudget } from "../src/index.js"
import { clientLayer, errorList, jsonResponse, token } from "./utils/fake.js"

const Admin = Schema.Struct({ type: Schema.Literal("admin"), id: Schema.String })
const admin = { type: "admin", id: "991" }
const me = Effect.flatMap(IntercomClient.IntercomClient, (client) =>
  client.request({ method: "GET", path: "/me", response: Admin })
)

/** Lets the in-memory transport's promises (the web Response bodies) settle between clock moves. */
const settle = Effect.promise(() => new Promise<void>((resolve) => setTimeout(resolve, 5))).pipe(Effect.repeatN(3))

/**
 * Moves the TestClock forward `step` ms at a time, settling after each move, for `millis` or until `fibers` are
 * done. Under load a step may come before a call got to its sleep; the call then runs later, never earlier, so the
 * tests assert what lateness cannot break.
 */
const advance = (step: number, millis: number, fibers: ReadonlyArray<Fiber.Fiber<unknown, unknown>> = []) =>
  Effect.gen(function* () {
    for (let moved = 0; moved < millis; moved += step) {
      yield* settle
      if (fibers.length > 0 && (yield* Effect.forEach(fibers, Fiber.poll)).every((exit) => exit._tag === "Some")) return
      yield* TestClock.adjust(step)
    }
    yield* settle
  })

/** A transport that answers 200 at once, recording the TestClock time of each call. */
const recording = (sent: Array<number>) => () =>
  Effect.map(TestClock.currentTimeMillis, (now) => (sent.push(now), jsonResponse(200, admin)))

/** 16 calls at once through a client built from `layer`. */
const burst = (layer: Layer.Layer<IntercomClient.IntercomClient>) =>
  Effect.provide(
    Effect.forEach(Array.from({ length: 16 }), () => me, { concurrency: "unbounded" }),
    layer
  )

describe("SharedBudget.pacing", () => {
  it("spreads the calls evenly, a little under the limit", () => {
    const interval = (limit: number, window: Duration.DurationInput) =>
      Duration.toMillis(SharedBudget.pacing({ limit, window: Duration.decode(window) }))
    // Intercom's 1,666 per 10 s: 1 call of slack plus the 34 that 200 ms of lateness can bunch, 97.9 % of the limit.
    assert.closeTo(interval(1666, "10 seconds"), 10_000 / 1631, 1e-6)
    // The windows of the tests: 113 of 120 per 4 s; 8 of 10 per 2 s.
    assert.closeTo(interval(120, "4 seconds"), 4000 / 113, 1e-6)
    assert.closeTo(interval(10, "2 seconds"), 250, 1e-6)
    // Never faster than the limit allows, however small.
    assert.strictEqual(interval(1, "1 second"), 1000)
  })
})

describe("SharedBudget.appKey", () => {
  it.effect("names an app by a hash of its token, the same in every worker, never the token", () =>
    Effect.gen(function* () {
      const key = yield* SharedBudget.appKey(token)
      assert.match(key, /^[0-9a-f]{32}$/)
      assert.strictEqual(yield* SharedBudget.appKey(token), key)
      assert.notStrictEqual(yield* SharedBudget.appKey(`${token}x`), key)
      assert.notInclude(key, token)
    })
  )
})

describe("SharedBudget.layerMemory (TestClock, in-memory transport)", () => {
  /** One shared budget service, given to each client as it would be by one layer in a process. */
  const sharedBudget = (options: SharedBudget.Options) =>
    Effect.map(Effect.provide(SharedBudget.SharedBudget, SharedBudget.layerMemory(options)), (service) =>
      Layer.succeed(SharedBudget.SharedBudget, service)
    )

  /** Builds a client for the rest of the scope. */
  const client = (layer: Layer.Layer<IntercomClient.IntercomClient>) =>
    Effect.map(Layer.build(layer), Context.get(IntercomClient.IntercomClient))

  it.effect("two clients of one app take turns at the shared pace: no window gets more than the limit", () =>
    Effect.gen(function* () {
      const shared = yield* sharedBudget({ limit: 12, window: "1 second" })
      const sent: Array<number> = []
      // No rate-limit headers, so each client's own gate holds nothing back: only the shared budget paces.
      const reply = recording(sent)
      const a = yield* Effect.fork(burst(clientLayer(reply).layer.pipe(Layer.provide(shared))))
      const b = yield* Effect.fork(burst(clientLayer(reply).layer.pipe(Layer.provide(shared))))
      yield* advance(125, 20_000, [a, b])
      yield* Fiber.join(a)
      yield* Fiber.join(b)

      // 12 per second paces at 8 per second, one call every 125 ms: 32 calls span 31 intervals (30 if the first one
      // was late), and no second of the clock gets more than 12 of them (9 at most: one more than it holds turns).
      assert.strictEqual(sent.length, 32)
      assert.isAtLeast(sent.at(-1)! - sent[0]!, 30 * 125)
      const perSecond = new Map<number, number>()
      for (const at of sent) perSecond.set(Math.floor(at / 1000), (perSecond.get(Math.floor(at / 1000)) ?? 0) + 1)
      for (const count of perSecond.values()) assert.isAtMost(count, 9)
    })
  )

  it.effect("control: the same two clients without a shared budget send everything at once", () =>
    Effect.gen(function* () {
      const sent: Array<number> = []
      const reply = recording(sent)
      // Nothing waits on the clock here: both finish without it moving.
      const a = yield* Effect.fork(burst(clientLayer(reply).layer))
      const b = yield* Effect.fork(burst(clientLayer(reply).layer))
      yield* Fiber.join(a)
      yield* Fiber.join(b)
      assert.strictEqual(sent.length, 32)
      assert.isTrue(sent.every((at) => at === 0))
    })
  )

  it.scoped("a window one client sees spent holds the other client until its reset", () =>
    Effect.gen(function* () {
      const shared = yield* sharedBudget({ limit: 100, window: "10 seconds" })
      const sentBy: Record<"a" | "b", Array<number>> = { a: [], b: [] }
      // The server's window ends at 10 s, and the answer to A's call says nothing is left of it.
      const reply = (who: "a" | "b") => () =>
        Effect.map(TestClock.currentTimeMillis, (now) => {
          sentBy[who].push(now)
          return jsonResponse(200, admin, {
            "x-ratelimit-limit": "5",
            "x-ratelimit-remaining": now < 10_000 ? "0" : "4",
            "x-ratelimit-reset": "10"
          })
        })
      // Both clients exist (and listen) before A learns anything.
      const a = yield* client(clientLayer(reply("a")).layer.pipe(Layer.provide(shared)))
      const b = yield* client(clientLayer(reply("b")).layer.pipe(Layer.provide(shared)))
      yield* Effect.provideService(me, IntercomClient.IntercomClient, a)
      const later = yield* Effect.fork(Effect.provideService(me, IntercomClient.IntercomClient, b))
      yield* advance(1000, 9000)
      assert.deepStrictEqual(sentBy.b, [], "B sent into a window A had seen spent")
      yield* advance(100, 10_000, [later])
      yield* Fiber.join(later)
      assert.deepStrictEqual(sentBy.a, [0])
      // The reset, plus the gate's 50 ms margin.
      assert.strictEqual(sentBy.b.length, 1)
      assert.isAtLeast(sentBy.b[0]!, 10_050)
    })
  )

  it.scoped("a call already waiting for its turn holds when the window is reported spent meanwhile", () =>
    Effect.gen(function* () {
      // One turn every 125 ms; A's answer takes 50 ms and says the window is spent until 10 s.
      const shared = yield* sharedBudget({ limit: 12, window: "1 second" })
      const sentByB: Array<number> = []
      const a = yield* client(
        clientLayer(() =>
          Effect.as(
            Effect.sleep("50 millis"),
            jsonResponse(200, admin, {
              "x-ratelimit-limit": "5",
              "x-ratelimit-remaining": "0",
              "x-ratelimit-reset": "10"
            })
          )
        ).layer.pipe(Layer.provide(shared))
      )
      const b = yield* client(clientLayer(recording(sentByB)).layer.pipe(Layer.provide(shared)))
      const first = yield* Effect.fork(Effect.provideService(me, IntercomClient.IntercomClient, a))
      // B passes its gate at once (nothing is known yet) and waits for its turn, at 125 ms; A's answer comes at 50.
      const second = yield* Effect.fork(Effect.provideService(me, IntercomClient.IntercomClient, b))
      yield* advance(25, 200)
      yield* advance(1000, 12_000, [first, second])
      yield* Fiber.join(second)
      assert.strictEqual(sentByB.length, 1)
      assert.isAtLeast(sentByB[0]!, 10_050)
    })
  )

  /** A's call draws this 429 (without retrying it); returns when B, asked right after, could send its call. */
  const afterA429 = (call: Effect.Effect<unknown, unknown, IntercomClient.IntercomClient>, body: unknown) =>
    Effect.gen(function* () {
      const shared = yield* sharedBudget({ limit: 100, window: "10 seconds" })
      const sentByB: Array<number> = []
      const a = yield* client(
        clientLayer(() => Effect.succeed(jsonResponse(429, body, { "retry-after": "3" })), {
          retry: { maxRetries: 0 }
        }).layer.pipe(Layer.provide(shared))
      )
      const b = yield* client(
        clientLayer(() =>
          Effect.map(TestClock.currentTimeMillis, (now) => (sentByB.push(now), jsonResponse(200, admin)))
        ).layer.pipe(Layer.provide(shared))
      )
      yield* Effect.flip(Effect.provideService(call, IntercomClient.IntercomClient, a))
      const later = yield* Effect.fork(Effect.provideService(me, IntercomClient.IntercomClient, b))
      yield* advance(100, 10_000, [later])
      yield* Fiber.join(later)
      return sentByB
    })

  it.scoped("a 429 one client draws holds the other client for the wait the server asked", () =>
    Effect.gen(function* () {
      const sent = yield* afterA429(me, errorList("rate_limit_exceeded", "Too many requests"))
      // Retry-After: 3 s, plus the gate's margin.
      assert.strictEqual(sent.length, 1)
      assert.isAtLeast(sent[0]!, 3050)
    })
  )

  it.scoped("the 429 for a second pending export is no spent window: the other client goes on", () =>
    Effect.gen(function* () {
      const exportJob = Effect.flatMap(IntercomClient.IntercomClient, (client) =>
        client.requestVoid({ method: "POST", path: "/export/content/data" })
      )
      const sent = yield* afterA429(exportJob, errorList("too_many_requests", "Exceeded 1 pending export job"))
      // At its turn in the shared pace (one interval after A's, 102 ms), not after the export's 3 s.
      assert.strictEqual(sent.length, 1)
      assert.isBelow(sent[0]!, 3000)
    })
  )

  it.effect("control: without the shared budget, the other client sends into the spent window", () =>
    Effect.gen(function* () {
      const sent: Array<number> = []
      const reply = () =>
        Effect.map(TestClock.currentTimeMillis, (now) => {
          sent.push(now)
          return jsonResponse(200, admin, {
            "x-ratelimit-limit": "5",
            "x-ratelimit-remaining": "0",
            "x-ratelimit-reset": "10"
          })
        })
      yield* Effect.provide(me, clientLayer(reply).layer)
      yield* Effect.provide(me, clientLayer(reply).layer)
      assert.deepStrictEqual(sent, [0, 0])
    })
  )
})
