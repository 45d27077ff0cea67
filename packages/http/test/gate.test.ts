/**
 * Acceptance test of the proactive rate-limit gate over real sockets: a 127.0.0.1 server that enforces Intercom's
 * scheme (a fixed number of calls per window, windows aligned to wall-clock seconds, X-RateLimit-* on every answer,
 * 429 beyond the limit) and a burst of concurrent calls that must all succeed without drawing a single 429.
 */
import { assert, describe, it } from "@effect/vitest"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { Effect, Either, Layer, Schema } from "effect"
import { IntercomClient, IntercomConfig } from "../src/index.js"
import { token } from "./utils/fake.js"
import * as TestServer from "./utils/TestServer.js"

const Admin = Schema.Struct({ type: Schema.Literal("admin"), id: Schema.String })

const limit = 10
const burst = 60

interface WindowCount {
  readonly second: number
  ok: number
  limited: number
}

/**
 * A server allowing `limit` calls per wall-clock second, counting per window what it answered. With `bodyDelayMillis`
 * a 200 sends its headers at once and its body that much later, as a large page does.
 */
const limitedServerWith = (options: { readonly bodyDelayMillis?: number } = {}) =>
  Effect.gen(function* () {
    const windows = new Map<number, WindowCount>()
    const server = yield* TestServer.make((_, response) => {
      const second = Math.floor(Date.now() / 1000)
      const window = windows.get(second) ?? { second, ok: 0, limited: 0 }
      windows.set(second, window)
      const used = window.ok + window.limited + 1
      const headers = {
        "x-ratelimit-limit": String(limit),
        "x-ratelimit-remaining": String(Math.max(0, limit - used)),
        "x-ratelimit-reset": String(second + 1)
      }
      if (used > limit) {
        window.limited += 1
        TestServer.json(
          response,
          429,
          {
            type: "error.list",
            request_id: null,
            errors: [{ code: "rate_limit_exceeded", message: "Too many requests" }]
          },
          headers
        )
      } else {
        window.ok += 1
        const body = { type: "admin", id: String(used) }
        if (options.bodyDelayMillis === undefined) TestServer.json(response, 200, body, headers)
        else {
          response.writeHead(200, { "content-type": "application/json", ...headers })
          response.flushHeaders()
          setTimeout(() => response.end(JSON.stringify(body)), options.bodyDelayMillis)
        }
      }
    })
    const summary = () => {
      const list = [...windows.values()].sort((a, b) => a.second - b.second)
      return {
        list,
        perWindow: list.map((w) => (w.limited > 0 ? `${w.ok}+${w.limited}×429` : String(w.ok))).join(" | "),
        limited: server.statuses.filter((s) => s === 429).length
      }
    }
    return { server, summary }
  })

const limitedServer = limitedServerWith()

const layerFor = (baseUrl: string, options: Partial<IntercomConfig.Options> = {}) =>
  IntercomClient.layer.pipe(
    Layer.provide(Layer.orDie(IntercomConfig.layer({ accessToken: token, baseUrl, ...options }))),
    Layer.provide(NodeHttpClient.layerUndici)
  )

const me = Effect.flatMap(IntercomClient.IntercomClient, (client) =>
  client.request({ method: "GET", path: "/me", response: Admin })
)

const fire = (count: number) =>
  Effect.forEach(
    Array.from({ length: count }, (_, i) => i),
    () => Effect.either(me),
    { concurrency: "unbounded" }
  )

describe("rate-limit gate (real sockets, wall-clock windows)", () => {
  it.scopedLive(`${burst} concurrent GETs against ${limit}/s all succeed without a single 429`, () =>
    Effect.gen(function* () {
      const { server, summary } = yield* limitedServer
      const started = Date.now()
      const results = yield* fire(burst).pipe(Effect.provide(layerFor(server.url)))
      const elapsed = Date.now() - started
      const { list, perWindow, limited } = summary()
      yield* Effect.log(
        `gate on: ${burst} requests in ${elapsed} ms over ${list.length} windows, per window: ${perWindow}; 429s: ${limited}`
      )

      const failures = results.filter(Either.isLeft)
      assert.strictEqual(failures.length, 0, failures.map((f) => f.left.message).join("\n"))
      assert.strictEqual(server.received.length, burst)
      assert.strictEqual(limited, 0)
      for (const w of list) assert.isAtMost(w.ok, limit)
      // 60 calls at 10 per window need at least 6 windows: the gate waited instead of firing.
      assert.isAtLeast(list.length, Math.ceil(burst / limit))
      assert.isAtLeast(elapsed, (Math.ceil(burst / limit) - 2) * 1000)
    })
  )

  it.scopedLive("4 walkers whose bodies arrive 120 ms after the headers still fill every whole window", () =>
    Effect.gen(function* () {
      // A request whose answer has arrived was counted by the server, even while its body is still on the way: the
      // gate must not take it off `remaining` again, or each window is left short by the bodies being read.
      const { server, summary } = yield* limitedServerWith({ bodyDelayMillis: 120 })
      const walkers = 4
      const perWalker = 20
      const results = yield* Effect.forEach(
        Array.from({ length: walkers }, (_, i) => i),
        () => Effect.forEach(Array.from({ length: perWalker }), () => Effect.either(me)),
        { concurrency: "unbounded" }
      ).pipe(Effect.provide(layerFor(server.url)))
      const { list, perWindow, limited } = summary()
      yield* Effect.log(`bodies late: ${walkers * perWalker} requests, per window: ${perWindow}; 429s: ${limited}`)

      assert.strictEqual(results.flat().filter(Either.isLeft).length, 0)
      assert.strictEqual(limited, 0)
      // The first window is entered mid-second and the last one takes what is left; every one between is whole.
      const whole = list.slice(1, -1)
      assert.isAtLeast(whole.length, 2)
      for (const w of whole) assert.strictEqual(w.ok, limit, perWindow)
    })
  )

  it.scopedLive("control: the same burst with the gate disabled draws 429s from that server", () =>
    Effect.gen(function* () {
      const { server, summary } = yield* limitedServer
      const started = Date.now()
      const results = yield* fire(burst).pipe(
        Effect.provide(layerFor(server.url, { rateLimit: { enabled: false }, retry: { maxRetries: 0 } }))
      )
      const elapsed = Date.now() - started
      const { perWindow, limited } = summary()
      yield* Effect.log(`gate off: ${burst} requests in ${elapsed} ms, per window: ${perWindow}; 429s: ${limited}`)

      const failures = results.filter(Either.isLeft).map((f) => f.left)
      assert.isAbove(limited, 0)
      assert.strictEqual(failures.length, limited)
      for (const failure of failures) assert.strictEqual(failure._tag, "RateLimited")
      assert.strictEqual(server.received.length, burst)
    })
  )

  it.scopedLive("two clients have two independent gates", () =>
    Effect.gen(function* () {
      // Two apps, each with its own server-side limit: one client's waiting must not hold the other back.
      const a = yield* limitedServer
      const b = yield* limitedServer
      const count = 2 * limit
      const started = Date.now()
      const [ra, rb] = yield* Effect.all(
        [
          fire(count).pipe(Effect.provide(layerFor(a.server.url))),
          fire(count).pipe(Effect.provide(layerFor(b.server.url)))
        ],
        { concurrency: "unbounded" }
      )
      const elapsed = Date.now() - started
      const sa = a.summary()
      const sb = b.summary()
      yield* Effect.log(`two clients: ${elapsed} ms; A per window: ${sa.perWindow}; B per window: ${sb.perWindow}`)

      assert.strictEqual(ra.filter(Either.isLeft).length, 0)
      assert.strictEqual(rb.filter(Either.isLeft).length, 0)
      assert.strictEqual(sa.limited + sb.limited, 0)
      // Both were served side by side: some window saw calls of both, so neither queued behind the other's budget.
      const secondsA = new Set(sa.list.map((w) => w.second))
      assert.isTrue(
        sb.list.some((w) => secondsA.has(w.second)),
        `A served in ${[...secondsA].join(",")}, B in ${sb.list.map((w) => w.second).join(",")}`
      )
      // 20 calls each at 10 per window fit in 3 windows when the gates are independent; a shared gate would need 4+.
      assert.isAtMost(Math.max(sa.list.length, sb.list.length), 3)
    })
  )
})
