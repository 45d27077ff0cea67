/**
 * The shared budget over a real redis-server (started by the tests on 127.0.0.1, see utils/RedisServer.ts), in real
 * time: processes and sockets are the point here.
 *
 * - Four worker processes of one app export contacts against one window-limited server process whose limit is the
 *   shared budget: no 429, no window over the budget, and the budget used.
 * - Redis killed in the middle of such a run and started again: the workers go on, each says so once, and share
 *   again when Redis is back.
 * - In one process, over real sockets: a window one client sees spent holds another client of the app (that has
 *   its own connections to Redis, as another process would), keys name the app by a hash, never by the token, and a
 *   client whose Redis is not there yet works under its own gate and joins once Redis starts.
 */
import { assert, describe, it } from "@effect/vitest"
import { Config, ConfigProvider, Context, Effect, Either, Fiber, Layer, Logger, Option, Redacted, Schema } from "effect"
import { Redis } from "ioredis"
import { IntercomClient, SharedBudget } from "../src/index.js"
import * as RedisBudget from "../src/SharedBudget/Redis.js"
import * as internal from "../src/internal/sharedBudgetRedis.js"
import { layerFor, realSleep } from "./utils/client.js"
import { token } from "./utils/fake.js"
import * as RedisServer from "./utils/RedisServer.js"
import * as TestServer from "./utils/TestServer.js"
import * as WindowServer from "./utils/WindowServer.js"
import * as Workers from "./utils/Workers.js"

// Windows scaled down from Intercom's 1,666 per 10 s: 120 calls per 4 s, which the shared budget paces at 113.
const limit = 120
const windowMillis = 4000
const workerNames = ["1", "2", "3", "4"]

const lost = "Redis is out of reach"
const back = "Redis answers again"
const occurrences = (text: string, what: string) => text.split(what).length - 1

const workerEnv = (server: WindowServer.WindowServer, redis: RedisServer.RedisServer | undefined, pages: number) => ({
  INTERCOM_ACCESS_TOKEN: token,
  INTERCOM_BASE_URL: server.url,
  ...(redis === undefined
    ? {}
    : { REDIS_URL: redis.url, INTERCOM_BUDGET_LIMIT: String(limit), INTERCOM_BUDGET_WINDOW: `${windowMillis} millis` }),
  EXPORT_PAGES: String(pages)
})

/** Every worker exited 0 after exporting all its pages (50 contacts each). */
const assertAllDone = (runs: ReadonlyArray<Workers.WorkerRun>, pages: number) => {
  for (const run of runs) {
    assert.strictEqual(run.exitCode, 0, `worker ${run.worker} failed:\n${run.output}`)
    assert.deepStrictEqual(run.report, { worker: run.worker, pages, contacts: pages * 50 })
    assert.notInclude(run.output, "[ioredis]", `worker ${run.worker} let ioredis print`)
  }
}

const sum = (windows: ReadonlyArray<WindowServer.WindowCount>, f: (w: WindowServer.WindowCount) => number) =>
  windows.reduce((n, w) => n + f(w), 0)

describe("4 worker processes of one app, one budget in redis-server", () => {
  it.scopedLive(
    "exporting contacts together: the server counts no 429, no window over the budget, and ≥ 90 % of it used",
    () =>
      Effect.gen(function* () {
        const pages = 110
        const redis = yield* RedisServer.make()
        const server = yield* WindowServer.start({ limit, windowMillis, contacts: 5000 })
        const started = Date.now()
        const runs = yield* Workers.runAll(4, workerEnv(server, redis, pages))
        const elapsed = Date.now() - started
        const stats = yield* server.stats
        const windows = WindowServer.timeline(stats)
        // The first and last windows are cut by the start and the end of the run; the ones between are whole.
        const full = windows.slice(1, -1)
        const used = sum(full, (w) => w.ok) / (full.length * limit)
        const limited = sum(windows, (w) => w.limited)
        yield* Effect.log(
          `4 workers × ${pages} pages, budget ${limit} per ${windowMillis} ms, in ${elapsed} ms:\n` +
            WindowServer.table(stats, workerNames, (w) => (full.includes(w) ? "whole" : "")) +
            `\n429s: ${limited}; busiest window: ${Math.max(...windows.map((w) => w.ok + w.limited))} of ${limit}; ` +
            `rate over the ${full.length} whole windows: ${(used * 100).toFixed(1)} % of the budget`
        )

        assertAllDone(runs, pages)
        for (const run of runs) assert.notInclude(run.output, lost)
        assert.strictEqual(limited, 0)
        for (const w of windows) assert.isAtMost(w.ok + w.limited, limit, `window #${w.index}`)
        assert.isAtLeast(full.length, 2)
        assert.isAtLeast(used, 0.9)
        // All four took part in the whole windows: one budget, shared.
        for (const name of workerNames)
          assert.isAbove(
            sum(full, (w) => w.byWorker[name]?.ok ?? 0),
            0
          )
      }),
    120_000
  )

  it.scopedLive(
    "Redis killed mid-run: the workers go on under their own gates, each says so once, and share again when it is back",
    () =>
      Effect.gen(function* () {
        const pages = 200
        const redis = yield* RedisServer.make()
        const server = yield* WindowServer.start({ limit, windowMillis, contacts: 5000 })
        const workers = yield* Effect.fork(Workers.runAll(4, workerEnv(server, redis, pages)))
        // Shared for a whole window first.
        while (WindowServer.timeline(yield* server.stats).length < 3) yield* realSleep(100)
        const killedAt = Date.now()
        yield* redis.kill
        // Two windows' time: at least one whole window without Redis.
        yield* realSleep(2 * windowMillis + 500)
        const restartedAt = Date.now()
        yield* redis.start
        const runs = yield* workers.await.pipe(Effect.flatten)
        const stats = yield* server.stats
        const windows = WindowServer.timeline(stats)
        const end = (w: WindowServer.WindowCount) => w.startMillis + windowMillis
        // Windows wholly in each phase. After the restart, a worker finds Redis within its retry interval (250 ms).
        const before = windows.slice(1).filter((w) => end(w) <= killedAt)
        const alone = windows.filter((w) => w.startMillis >= killedAt && end(w) <= restartedAt)
        const after = windows.filter((w) => w.startMillis >= restartedAt + 1000).slice(0, -1)
        const phase = (w: WindowServer.WindowCount) =>
          before.includes(w) ? "shared" : alone.includes(w) ? "Redis down" : after.includes(w) ? "shared again" : ""
        const figures = (ws: ReadonlyArray<WindowServer.WindowCount>) =>
          `${ws.length} windows, ${(sum(ws, (w) => w.ok) / Math.max(1, ws.length)).toFixed(1)} calls and ` +
          `${sum(ws, (w) => w.limited)} 429s per window`
        yield* Effect.log(
          `Redis killed at +${((killedAt - windows[0]!.startMillis) / 1000).toFixed(1)} s, started again at ` +
            `+${((restartedAt - windows[0]!.startMillis) / 1000).toFixed(1)} s:\n` +
            WindowServer.table(stats, workerNames, phase) +
            `\nshared: ${figures(before)}; Redis down: ${figures(alone)}; shared again: ${figures(after)}\n` +
            runs.map((run) => `worker ${run.worker} logged:\n${run.output.trim()}`).join("\n")
        )

        // No failures, and each worker told the loss once and the return once, not per call.
        assertAllDone(runs, pages)
        for (const run of runs) {
          assert.strictEqual(occurrences(run.output, lost), 1, `worker ${run.worker}:\n${run.output}`)
          assert.strictEqual(occurrences(run.output, back), 1, `worker ${run.worker}:\n${run.output}`)
        }
        assert.isAtLeast(before.length, 1)
        assert.isAtLeast(alone.length, 1)
        assert.isAtLeast(after.length, 1)
        // While Redis was down every worker kept exporting under its own gate. The gates alone let the window be
        // overrun (which makes the zero of the shared windows the shared budget's doing), but only by the calls in
        // flight when it runs out: each draws one 429, then its gate holds until the reset. 4 workers × 4 walks.
        for (const name of workerNames)
          assert.isAbove(
            sum(alone, (w) => w.byWorker[name]?.ok ?? 0),
            0
          )
        assert.isAbove(
          sum(alone, (w) => w.limited),
          0
        )
        for (const w of alone) assert.isAtMost(w.limited, 16, `window #${w.index}`)
        // Shared, before and after: paced under the budget again, without a single 429.
        for (const w of [...before, ...after]) {
          assert.strictEqual(w.limited, 0, `window #${w.index} (${phase(w)})`)
          assert.isAtMost(w.ok, limit)
        }
      }),
    120_000
  )
})

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
        const port = yield* RedisServer.freePort
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
