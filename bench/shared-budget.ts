/**
 * How much of one shared budget four worker processes use: the figure `apps/export-workers`' test used to assert
 * (≥ 90 %), printed here instead, since a rate falls on a loaded machine and a test must not. The test keeps what
 * does not depend on the machine's speed: no 429, no window over the budget, every page exported.
 *
 *   pnpm --filter @intercom-effect/bench shared-budget -- [pages per worker]
 *
 * Starts a redis-server (on PATH) on a free port, the mock server at 120 calls per 4 s (Intercom's 1,666 per 10 s
 * scaled down), and four workers of apps/export-workers sharing the budget through Redis; then prints the server's
 * calls per window and per worker, and the rate over the windows in which all four were at work throughout.
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as MockServer from "@intercom-effect/export-workers/harness/MockServer"
import { token } from "@intercom-effect/export-workers/harness/secret"
import * as Workers from "@intercom-effect/export-workers/harness/Workers"
import * as RedisServer from "@intercom-effect/testing/RedisServer"
import { Console, Effect } from "effect"

const limit = 120
const windowMillis = 4000
const workers = ["1", "2", "3", "4"]
const pages = Number(process.argv[2] ?? 140)

/**
 * The windows all four workers were at work from start to end: after the window in which the last of them made its
 * first call, and before the one in which the first of them made its last. The budget is only claimed in full while
 * all are at work.
 */
const allAtWork = (windows: ReadonlyArray<MockServer.WindowCount>) => {
  const at = (name: string) => windows.filter((w) => (w.byWorker[name]?.ok ?? 0) > 0).map((w) => w.index)
  const from = Math.max(...workers.map((name) => Math.min(...at(name))))
  const to = Math.min(...workers.map((name) => Math.max(...at(name))))
  return windows.filter((w) => w.index > from && w.index < to)
}

const program = Effect.gen(function* () {
  const redis = yield* RedisServer.make()
  const server = yield* MockServer.start({ limit, windowMillis, contacts: 5000, accessToken: token })
  const started = Date.now()
  const runs = yield* Workers.runAll(4, {
    INTERCOM_ACCESS_TOKEN: token,
    INTERCOM_BASE_URL: server.url,
    REDIS_URL: redis.url,
    INTERCOM_BUDGET_LIMIT: String(limit),
    INTERCOM_BUDGET_WINDOW: `${windowMillis} millis`,
    EXPORT_PAGES: String(pages)
  })
  const elapsed = Date.now() - started
  const failed = runs.filter((run) => run.exitCode !== 0)
  if (failed.length > 0) {
    return yield* Effect.fail(new Error(`workers ${failed.map((run) => run.worker).join(", ")} failed; no figures`))
  }
  const stats = yield* server.stats
  const windows = MockServer.timeline(stats)
  const full = allAtWork(windows)
  const perWindow = full.reduce((n, w) => n + w.ok, 0) / Math.max(1, full.length)
  yield* Console.log(
    [
      `4 workers × ${pages} pages, one budget of ${limit} calls per ${windowMillis} ms in redis-server, in ${elapsed} ms:`,
      MockServer.table(stats, workers, (w) => (full.includes(w) ? "all at work" : "")),
      `responses by status: ${JSON.stringify(stats.responses)}; busiest window: ${stats.maxPerWindow} of ${limit}`,
      `over the ${full.length} windows with all four at work throughout: ${perWindow.toFixed(1)} calls per window, ` +
        `${((100 * perWindow) / limit).toFixed(1)} % of the budget`
    ].join("\n")
  )
})

NodeRuntime.runMain(Effect.scoped(program))
