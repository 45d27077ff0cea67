/**
 * Many workers, one Intercom budget: worker processes of one app against one window-limited server, sharing the
 * budget through a real redis-server.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { token } from "./utils/fake.js"
import * as RedisServer from "./utils/RedisServer.js"
import * as WindowServer from "./utils/WindowServer.js"
import * as Workers from "./utils/Workers.js"

const limit = 40
const windowMillis = 2000

describe("shared budget (4 worker processes, real redis-server)", () => {
  it.scopedLive(
    "4 workers exporting contacts stay within one shared budget: no 429, no window over, the budget used",
    () =>
      Effect.gen(function* () {
        const redis = yield* RedisServer.make
        const server = yield* WindowServer.start({ limit, windowMillis, contacts: 5000 })
        const started = Date.now()
        const runs = yield* Workers.runAll(4, {
          INTERCOM_ACCESS_TOKEN: token,
          INTERCOM_BASE_URL: server.url,
          REDIS_URL: redis.url,
          INTERCOM_BUDGET_LIMIT: String(limit),
          INTERCOM_BUDGET_WINDOW: `${windowMillis} millis`,
          EXPORT_PAGES: "60"
        })
        const elapsed = Date.now() - started
        const stats = yield* server.stats
        for (const run of runs) console.log(run.worker, run.exitCode, run.report, run.output.slice(0, 2000))
        console.log(elapsed, JSON.stringify(stats.windows.map((w) => [w.ok, w.limited, w.byWorker])))
        assert.isTrue(true)
      }),
    120_000
  )
})
