/**
 * Many workers, one Intercom budget: four worker processes of one app (src/main.ts, exporting contacts through the
 * `Contacts` service) against one @intercom-effect/mock-server whose window limit is the shared budget, sharing it
 * through a real redis-server (Debian's package, started by the test on 127.0.0.1 and a free port). Real time:
 * processes and sockets are the point.
 *
 * - Together they draw no 429, no window gets more than the budget, and every worker exports all its pages. (How much
 *   of the budget they use is a rate, measured by `pnpm --filter @intercom-effect/bench shared-budget`, not asserted:
 *   on a loaded machine it falls, and a test must not.)
 * - Redis killed in the middle of such a run and started again: the workers go on under their own gates, each says
 *   so once, and they share again when Redis is back.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import * as MockServer from "./utils/MockServer.js"
import * as Figures from "@intercom-effect/testing/Figures"
import * as RedisServer from "@intercom-effect/testing/RedisServer"
import { token } from "./utils/secret.js"
import * as Workers from "./utils/Workers.js"

// Windows scaled down from Intercom's 1,666 per 10 s: 120 calls per 4 s, which the shared budget paces at 113.
const limit = 120
const windowMillis = 4000
const workerNames = ["1", "2", "3", "4"]

const lost = "Redis is out of reach"
const back = "Redis answers again"
const occurrences = (text: string, what: string) => text.split(what).length - 1
const realSleep = (millis: number) => Effect.promise(() => new Promise<void>((resolve) => setTimeout(resolve, millis)))

/** The workers' settings, as a user would give them (see the README). */
const workerEnv = (server: MockServer.MockServer, redis: RedisServer.RedisServer, pages: number) => ({
  INTERCOM_ACCESS_TOKEN: token,
  INTERCOM_BASE_URL: server.url,
  REDIS_URL: redis.url,
  INTERCOM_BUDGET_LIMIT: String(limit),
  INTERCOM_BUDGET_WINDOW: `${windowMillis} millis`,
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

const sum = (windows: ReadonlyArray<MockServer.WindowCount>, f: (w: MockServer.WindowCount) => number) =>
  windows.reduce((n, w) => n + f(w), 0)

/** The server's own counters, as printed under each table. */
const counted = (stats: MockServer.Stats) =>
  `the mock counted ${stats.requests} requests, responses by status ${JSON.stringify(stats.responses)}, ` +
  `at most ${stats.maxPerWindow} served in a window`

describe("4 worker processes of one app, one budget in redis-server", () => {
  it.scopedLive(
    "exporting contacts together: the server counts no 429 and no window over the budget; every worker exports all its pages",
    () =>
      Effect.gen(function* () {
        const pages = 140
        const redis = yield* RedisServer.make()
        const server = yield* MockServer.start({ limit, windowMillis, contacts: 5000, accessToken: token })
        const runs = yield* Workers.runAll(4, workerEnv(server, redis, pages))
        const stats = yield* server.stats
        const windows = MockServer.timeline(stats)
        const limited = stats.responses[429] ?? 0

        assertAllDone(runs, pages)
        for (const run of runs) assert.notInclude(run.output, lost)
        // The server's own counters: not one 429, and no window served more than the budget.
        assert.strictEqual(limited, 0)
        assert.strictEqual(
          sum(windows, (w) => w.limited),
          0
        )
        assert.isAtMost(stats.maxPerWindow, limit)
        for (const w of windows) assert.isAtMost(w.ok + w.limited, limit, `window #${w.index}`)
        // Every call the workers made was served once: 140 pages each, and the server saw no more requests than that.
        assert.strictEqual(stats.requests, 4 * pages)
      }),
    // A guard against a hang, not a speed claim: on a machine loaded by other jobs this test has taken 170 s.
    300_000
  )

  it.scopedLive(
    "Redis killed mid-run: the workers go on under their own gates, each says so once, and share again when it is back",
    () =>
      Effect.gen(function* () {
        const pages = 240
        const redis = yield* RedisServer.make()
        const server = yield* MockServer.start({ limit, windowMillis, contacts: 5000, accessToken: token })
        const workers = yield* Effect.fork(Workers.runAll(4, workerEnv(server, redis, pages)))
        // Shared for a whole window first.
        while (MockServer.timeline(yield* server.stats).length < 3) yield* realSleep(100)
        const killedAt = Date.now()
        yield* redis.kill
        // Two windows' time: at least one whole window without Redis. 240 pages a worker keep them at work for two
        // windows or more after Redis is back.
        yield* realSleep(2 * windowMillis + 500)
        const restartedAt = Date.now()
        yield* redis.start
        const runs = yield* workers.await.pipe(Effect.flatten)
        const stats = yield* server.stats
        const windows = MockServer.timeline(stats)
        const end = (w: MockServer.WindowCount) => w.startMillis + windowMillis
        // Windows wholly in each phase. After the restart a worker finds Redis at its next try, a retry interval (1 s)
        // at most after Redis is ready; 2.5 s leaves room for Redis to start and for a busy machine.
        const before = windows.slice(1).filter((w) => end(w) <= killedAt)
        const alone = windows.filter((w) => w.startMillis >= killedAt && end(w) <= restartedAt)
        const after = windows.filter((w) => w.startMillis >= restartedAt + 2500).slice(0, -1)
        const phase = (w: MockServer.WindowCount) =>
          before.includes(w) ? "shared" : alone.includes(w) ? "Redis down" : after.includes(w) ? "shared again" : ""
        const figures = (ws: ReadonlyArray<MockServer.WindowCount>) =>
          `${ws.length} windows, ${(sum(ws, (w) => w.ok) / Math.max(1, ws.length)).toFixed(1)} calls and ` +
          `${sum(ws, (w) => w.limited)} 429s per window`
        yield* Figures.print(
          `Redis killed at +${((killedAt - windows[0]!.startMillis) / 1000).toFixed(1)} s, started again at ` +
            `+${((restartedAt - windows[0]!.startMillis) / 1000).toFixed(1)} s:\n` +
            MockServer.table(stats, workerNames, phase) +
            `\n${counted(stats)}\n` +
            `shared: ${figures(before)}; Redis down: ${figures(alone)}; shared again: ${figures(after)}\n` +
            runs.map((run) => `worker ${run.worker} logged:\n${run.output.trim()}`).join("\n")
        )

        // No failures, and each worker told the loss once and the return once, not per call: those two lines and
        // its report are all it printed.
        assertAllDone(runs, pages)
        for (const run of runs) {
          assert.strictEqual(occurrences(run.output, lost), 1, `worker ${run.worker}:\n${run.output}`)
          assert.strictEqual(occurrences(run.output, back), 1, `worker ${run.worker}:\n${run.output}`)
          assert.lengthOf(run.output.trim().split("\n"), 3, `worker ${run.worker}:\n${run.output}`)
        }
        assert.isAtLeast(before.length, 1)
        assert.isAtLeast(alone.length, 1)
        assert.isAtLeast(after.length, 1)
        // While Redis was down every worker kept exporting under its own gate. The gates alone may let the window be
        // overrun, but only by the calls in flight when it runs out: each draws one 429, then its gate holds until
        // the reset. 4 workers, each with one page in flight and one fetched ahead.
        for (const name of workerNames)
          assert.isAbove(
            sum(alone, (w) => w.byWorker[name]?.ok ?? 0),
            0
          )
        for (const w of alone) assert.isAtMost(w.limited, 8, `window #${w.index}`)
        // Shared, before and after: paced under the budget again, without a single 429.
        for (const w of [...before, ...after]) {
          assert.strictEqual(w.limited, 0, `window #${w.index} (${phase(w)})`)
          assert.isAtMost(w.ok, limit)
        }
      }),
    // A guard against a hang, not a speed claim: on a machine loaded by other jobs this test has taken 170 s.
    300_000
  )
})
