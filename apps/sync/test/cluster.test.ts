/**
 * Many workspaces on a cluster of `intercom-sync runner` processes over one Postgres (draft smoke test).
 */
import { PgClient } from "@effect/sql-pg"
import * as PostgresServer from "@intercom-effect/testing/PostgresServer"
import * as Ports from "@intercom-effect/testing/Ports"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Exact from "./utils/Exact.js"
import * as LivingMock from "./utils/LivingMock.js"
import { bundles, start, startScoped, written } from "./utils/procs.js"

const HOUR = 3_600_000
const t0 = Date.UTC(2026, 9, 5)

describe("intercom-sync on a cluster", () => {
  it.live(
    "smoke: 2 runners, 2 workspaces",
    () =>
      Effect.gen(function* () {
        const pg = yield* PostgresServer.make
        const mock = yield* LivingMock.start({
          seed: 61,
          contacts: 600,
          companies: 20,
          conversations: 40,
          tickets: 10,
          start: t0,
          searchLag: "3m",
          quietAfter: t0 + 30 * HOUR
        })
        yield* mock.advance(HOUR)
        const url = yield* pg.createDatabase("cluster")
        const dir = mkdtempSync(join(tmpdir(), "sync-cluster-"))
        const file = join(dir, "workspaces.json")
        writeFileSync(
          file,
          JSON.stringify({
            workspaces: [
              { name: "a", tokenEnv: "TOKEN_A" },
              { name: "b", tokenEnv: "TOKEN_B" }
            ]
          })
        )
        const env = { TOKEN_A: mock.token, TOKEN_B: mock.token, INTERCOM_BASE_URL: mock.url }
        const { sync } = yield* bundles
        const common = [`--database-url=${url}`, `--workspaces=${file}`]
        for (let i = 0; i < 2; i++) {
          const port = yield* Ports.freePort
          const runner = yield* startScoped(sync, ["runner", ...common, `--port=${port}`], env)
          yield* written(runner, /runner .* serving/)
        }
        const run = yield* start(sync, ["run", ...common, "--per-page=50"], env).ended
        console.log(run.stdout, run.stderr)
        assert.strictEqual(run.code, 0, run.stderr)
        const snapshot = yield* mock.snapshot
        for (const ws of ["a", "b"]) {
          const found = Exact.differences(
            snapshot,
            yield* Exact.readFrom(PgClient.layer({ url: Redacted.make(url) }), `intercom_${ws}`)
          )
          assert.strictEqual(found.length, 0, Exact.describe(found))
        }
      }).pipe(Effect.scoped),
    { timeout: 300_000 }
  )
})
