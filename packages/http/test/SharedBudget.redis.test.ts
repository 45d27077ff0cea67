/**
 * The shared budget over a real redis-server (started by the test on 127.0.0.1, see utils/RedisServer.ts), in one
 * process and real time, since sockets are the point here: a window one client sees spent holds another client of
 * the app (that has its own connections to Redis, as another process would), keys name the app by a hash, never by
 * the token, and a client whose Redis is not there yet works under its own gate and joins once Redis starts. Also
 * the configuration of the Redis layer. Processes sharing a budget are in apps/sync's cluster test.
 */
import { assert, describe, it } from "@effect/vitest"
import { Config, ConfigProvider, Context, Effect, Either, Fiber, Layer, Logger, Option, Redacted, Schema } from "effect"
import { Redis } from "ioredis"
import { IntercomClient, SharedBudget } from "../src/index.js"
import * as RedisBudget from "../src/SharedBudget/Redis.js"
import * as internal from "../src/internal/sharedBudgetRedis.js"
import { layerFor, realSleep } from "./utils/client.js"
import { token } from "./utils/fake.js"
import { freePort } from "@intercom-effect/testing/Ports"
import * as RedisServer from "@intercom-effect/testing/RedisServer"
import * as TestServer from "./utils/TestServer.js"

const lost = "Redis is out of reach"
const back = "Redis answers again"

const Admin = Schema.Struct({ type: Schema.Literal("admin"), id: Schema.String })
const admin = { type: "admin", id: "991" }

/** A client for the rest of the scope, over its own Redis connections when `budget` is given. */
const client = (
  baseUrl: string,
  budget: Layer.Layer<SharedBudget.SharedBudget, unknown> | undefined,
  options: Parameters<typeof layerFor>[1] = {}
) =>
  Layer.build(
    budget === undefined
      ? layerFor(baseUrl, options)
      : layerFor(baseUrl, options).pipe(Layer.provide(Layer.orDie(budget)))
  ).pipe(Effect.map(Context.get(IntercomClient.IntercomClient)))

const me = (client: IntercomClient.Service) => client.request({ method: "GET", path: "/me", response: Admin })

/** The in-process tests' windows. */
const shortWindow = 4000

/** A server on 127.0.0.1 allowing `limit` calls per wall-clock window, recording when each call arrived. */
const limitedServer = (limit: number) =>
  Effect.gen(function* () {
    const arrivals: Array<{ at: number; status: number }> = []
    const counts = new Map<number, number>()
    const server = yield* TestServer.make((_, response) => {
      const at = Date.now()
      const index = Math.floor(at / shortWindow)
      const used = (counts.get(index) ?? 0) + 1
      counts.set(index, used)
      const status = used > limit ? 429 : 200
      arrivals.push({ at, status })
      TestServer.json(response, status, status === 429 ? { type: "error.list", errors: [] } : admin, {
        "x-ratelimit-limit": String(limit),
        "x-ratelimit-remaining": String(Math.max(0, limit - used)),
        "x-ratelimit-reset": String(((index + 1) * shortWindow) / 1000)
      })
    })
    return { server, arrivals }
  })

/** Waits for the start of the next window, so that a few calls surely fall into one. */
const nextWindow = Effect.suspend(() => realSleep(shortWindow - (Date.now() % shortWindow) + 50))

describe("SharedBudget/Redis in one process (real sockets)", () => {
  it.scopedLive("a window one client sees spent holds the other clients of the app, through Redis", () =>
    Effect.gen(function* () {
      const redis = yield* RedisServer.make()
      const { server, arrivals } = yield* limitedServer(3)
      // A budget of 8 per window (one turn every 667 ms) against a server that allows 3, as when other traffic
      // spends the window: only the shared window keeps B from a 429. Each client has its own connections to Redis,
      // as workers in two processes would.
      const budget = () => RedisBudget.layer({ url: redis.url, limit: 8, window: `${shortWindow} millis` })
      const a = yield* client(server.url, budget())
      const b = yield* client(server.url, budget(), { retry: { maxRetries: 0 } })
      yield* nextWindow
      for (let i = 0; i < 2; i++) yield* me(a)
      // A's third call spends the window. B asks just after it, so B's turn comes one interval after A's third call,
      // long after its answer, when B has already passed its own gate: it holds back on what A announced.
      const third = yield* Effect.fork(me(a))
      yield* realSleep(200)
      const later = yield* Effect.fork(me(b))
      yield* third.await
      const spentUntil = (Math.floor(arrivals[2]!.at / shortWindow) + 1) * shortWindow

      // Meanwhile Redis holds the app's keys, under a hash of the token, and the spent window's reset; nothing of the
      // token anywhere.
      const appKey = yield* SharedBudget.appKey(token)
      const stored = yield* Effect.acquireUseRelease(
        Effect.sync(() => new Redis(redis.port, "127.0.0.1")),
        (connection) =>
          Effect.promise(async () => {
            const keys = (await connection.keys("*")).sort()
            const values = await Promise.all(keys.map((key) => connection.get(key)))
            return { keys, values }
          }),
        (connection) => Effect.sync(() => connection.disconnect())
      )
      assert.deepStrictEqual(stored.keys, [
        `intercom-effect:budget:app:${appKey}`,
        `intercom-effect:budget:app:${appKey}:refill`,
        `intercom-effect:window:app:${appKey}`
      ])
      assert.strictEqual(stored.values[2], String(spentUntil))
      for (const text of [...stored.keys, ...stored.values]) assert.isFalse(String(text).includes(token))

      yield* Fiber.join(later)
      const sent = arrivals.at(-1)!.at
      yield* Effect.log(
        `A's 3 calls spent the window at +${arrivals[2]!.at - arrivals[0]!.at} ms; B's call arrived ` +
          `${sent - spentUntil} ms after the window's reset`
      )
      assert.deepStrictEqual(
        arrivals.map((a) => a.status),
        [200, 200, 200, 200]
      )
      assert.isAtLeast(sent, spentUntil)
    })
  )

  it.scopedLive("control: without the shared budget, the other client draws a 429 in that window", () =>
    Effect.gen(function* () {
      const { server, arrivals } = yield* limitedServer(3)
      const a = yield* client(server.url, undefined)
      const b = yield* client(server.url, undefined, { retry: { maxRetries: 0 } })
      yield* nextWindow
      for (let i = 0; i < 3; i++) yield* me(a)
      yield* realSleep(200)
      const error = yield* Effect.flip(me(b))
      assert.strictEqual(error._tag, "RateLimited")
      assert.deepStrictEqual(
        arrivals.map((a) => a.status),
        [200, 200, 200, 429]
      )
    })
  )

  it.scopedLive(
    "no Redis at the start: the client works under its own gate, says so once, and joins when Redis starts",
    () =>
      Effect.gen(function* () {
        const logs: Array<string> = []
        const logger = Logger.make(({ message }) => logs.push(String(message)))
        const port = yield* freePort
        const server = yield* TestServer.make((_, response) => TestServer.json(response, 200, admin))
        const budget = RedisBudget.layer({
          url: Redacted.make(`redis://:hunter2-secret@127.0.0.1:${port}`),
          timeout: "300 millis",
          retryInterval: "100 millis"
        })
        const run = Effect.gen(function* () {
          const c = yield* client(server.url, budget)
          for (let i = 0; i < 20; i++) yield* me(c)
          assert.strictEqual(server.received.length, 20)
          assert.deepStrictEqual(logs.filter((l) => l.includes(lost)).length, 1)
          assert.isTrue(logs.every((l) => !l.includes("hunter2-secret")))
          // Redis starts where the URL points: the client finds it and shares from then on.
          const redis = yield* RedisServer.make({ port, password: "hunter2-secret" })
          while (!logs.some((l) => l.includes(back))) yield* realSleep(50)
          yield* me(c)
          const keys = yield* Effect.acquireUseRelease(
            Effect.sync(() => new Redis(redis.port, "127.0.0.1", { password: "hunter2-secret" })),
            (connection) => Effect.promise(() => connection.keys("intercom-effect:budget:*")),
            (connection) => Effect.sync(() => connection.disconnect())
          )
          assert.isAbove(keys.length, 0)
          assert.strictEqual(logs.filter((l) => l.includes(lost)).length, 1)
          assert.strictEqual(logs.filter((l) => l.includes(back)).length, 1)
        })
        yield* run.pipe(Effect.provide(Logger.replace(Logger.defaultLogger, logger)))
      })
  )
})

describe("SharedBudget/Redis configuration", () => {
  const fromEnv = (env: Record<string, string>, options: RedisBudget.ConfigOptions = {}) =>
    internal.fromConfig(options).pipe(
      Effect.flatMap((options) => internal.resolve(options)),
      Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env))))
    )

  it.effect("reads REDIS_URL and the budget from the environment", () =>
    Effect.gen(function* () {
      const resolved = yield* fromEnv({
        REDIS_URL: "rediss://worker:p%40ss@cache.internal:6380/2",
        INTERCOM_BUDGET_LIMIT: "500",
        INTERCOM_BUDGET_WINDOW: "5 seconds",
        INTERCOM_WORKSPACE_ID: "abc123"
      })
      assert.deepStrictEqual(resolved.connection, {
        host: "cache.internal",
        port: 6380,
        username: "worker",
        password: "p@ss",
        db: 2,
        tls: {}
      })
      assert.strictEqual(resolved.limits.app.limit, 500)
      assert.strictEqual(resolved.limits.app.window.toString(), "Duration(5s)")
      assert.deepStrictEqual(Option.getOrUndefined(resolved.limits.workspace), {
        id: "abc123",
        limit: 4166,
        window: resolved.limits.app.window
      })
    })
  )

  it.effect("defaults to Intercom's limits, and takes values or Configs in place of the environment", () =>
    Effect.gen(function* () {
      const defaults = yield* fromEnv({ REDIS_URL: "redis://127.0.0.1" })
      assert.deepStrictEqual(defaults.connection, { host: "127.0.0.1", port: 6379 })
      assert.strictEqual(defaults.limits.app.limit, 1666)
      assert.strictEqual(defaults.limits.app.window.toString(), "Duration(10s)")
      assert.isTrue(Option.isNone(defaults.limits.workspace))
      assert.strictEqual(defaults.prefix, "intercom-effect:")
      const given = yield* fromEnv(
        { CACHE_URL: "redis://10.0.0.7:7000" },
        { url: Config.redacted("CACHE_URL"), limit: 100, workspace: { id: "ws", limit: 200 }, prefix: "crm:" }
      )
      assert.deepStrictEqual(given.connection, { host: "10.0.0.7", port: 7000 })
      assert.strictEqual(given.limits.app.limit, 100)
      assert.strictEqual(given.prefix, "crm:")
    })
  )

  it.effect("refuses a URL that cannot work, without repeating it", () =>
    Effect.gen(function* () {
      const missing = yield* Effect.flip(fromEnv({}))
      assert.include(String(missing), "REDIS_URL")
      for (const url of ["http://user:pw-9f3@host:6379", "cache:6379", "redis://user:pw-9f3@host/db0"]) {
        const error = yield* Effect.flip(fromEnv({ REDIS_URL: url }))
        assert.strictEqual(error._op, "InvalidData")
        assert.include(String(error), "url")
        assert.notInclude(String(error), "pw-9f3")
      }
      assert.isTrue(Either.isLeft(internal.resolve({ url: "ftp://x" })))
      const window = yield* Effect.flip(
        fromEnv({ REDIS_URL: "redis://127.0.0.1", INTERCOM_BUDGET_WINDOW: "0 seconds" })
      )
      assert.include(String(window), "window")
    })
  )
})
