/**
 * The same sync into Postgres (`--database-url`): a real server (Debian's postgresql) started by the test, the copy
 * and the workflow's storage in one database, runs over a living workspace ending exact, and the command's own
 * `--database-url` resuming a run killed mid-way.
 */
import { PgClient } from "@effect/sql-pg"
import { Copy } from "@intercom-effect/sync"
import * as PostgresServer from "@intercom-effect/testing/PostgresServer"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import * as Exact from "./utils/Exact.js"
import * as InProcess from "./utils/InProcess.js"
import * as LivingMock from "./utils/LivingMock.js"
import { bundles, start, written } from "./utils/procs.js"

const HOUR = 3_600_000
const t0 = Date.UTC(2026, 9, 5)

describe("intercom-sync into Postgres", () => {
  it.live(
    "runs over a living workspace end exact; a run killed mid-way resumes from Postgres",
    () =>
      Effect.gen(function* () {
        const pg = yield* PostgresServer.make
        const mock = yield* LivingMock.start({
          seed: 51,
          contacts: 1_500,
          companies: 40,
          conversations: 80,
          tickets: 20,
          start: t0,
          searchLag: "3m",
          quietAfter: t0 + 30 * HOUR,
          limit: 50,
          window: "1s",
          longConversations: 1,
          longParts: 10
        })
        const url = yield* pg.createDatabase("copy_a")
        const database = PgClient.layer({ url: Redacted.make(url) })
        const target = { url: mock.url, token: mock.token, filename: "", database }
        for (const at of [1, 7, 13, 19, 25].map((h) => t0 + h * HOUR)) {
          yield* mock.advance(at - (yield* mock.now))
          yield* InProcess.run(target, { partitions: 2, perPage: 50, reconcileEvery: "12 hours" })
        }
        yield* mock.advance(t0 + 31 * HOUR - (yield* mock.now))
        yield* InProcess.run(target, { perPage: 50, reconcileEvery: 0 })
        const found = Exact.differences(yield* mock.snapshot, yield* Exact.readFrom(database))
        assert.strictEqual(found.length, 0, Exact.describe(found))

        // A copy that exists opens for a role that may only read and write its rows: opening it runs no DDL (which
        // would need the schema's CREATE right, the tables' ownership, and a lock on each table that waits for every
        // write in flight). The same role cannot create a copy, so the first open is what proves it.
        const admin = (text: string) =>
          Effect.flatMap(PgClient.PgClient, (sql) => sql.unsafe(text)).pipe(Effect.provide(database), Effect.orDie)
        yield* admin("CREATE ROLE sync_rw LOGIN")
        yield* admin("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO sync_rw")
        const as = (url: string) => PgClient.layer({ url: Redacted.make(url.replace("//postgres@", "//sync_rw@")) })
        const history = yield* Effect.flatMap(Copy.make, (copy) => copy.history).pipe(Effect.provide(as(url)))
        assert.deepStrictEqual(Object.keys(history.syncedUntil).sort(), [
          "companies",
          "contacts",
          "conversations",
          "tickets"
        ])
        const refused = yield* Effect.flip(Copy.make).pipe(Effect.provide(as(yield* pg.createDatabase("copy_c"))))
        assert.match(
          refused.message,
          /could not create its tables: .*permission denied for schema public/,
          refused.message
        )

        // The command, into another database of the same server: killed once its run is planned, then resumed.
        const { sync } = yield* bundles
        const other = yield* pg.createDatabase("copy_b")
        const env = { INTERCOM_ACCESS_TOKEN: mock.token, INTERCOM_BASE_URL: mock.url }
        const args = ["run", `--database-url=${other}`, "--per-page=50"]
        const before = (yield* mock.counters).requests
        const first = start(sync, args, env)
        yield* written(first, /starting run-1/)
        assert.strictEqual((yield* LivingMock.stopAfter(mock, first, before, 15, "SIGKILL")).signal, "SIGKILL")
        const resumed = yield* start(sync, [...args, "--resume"], env).ended
        assert.strictEqual(resumed.code, 0, resumed.stderr)
        assert.match(resumed.stdout, /^run-1 \(resumed\)/)
        const again = Exact.differences(
          yield* mock.snapshot,
          yield* Exact.readFrom(PgClient.layer({ url: Redacted.make(other) }))
        )
        assert.strictEqual(again.length, 0, Exact.describe(again))
      }).pipe(Effect.scoped),
    { timeout: 300_000 }
  )
})
