/**
 * A cluster of `intercom-sync` processes for the tests and the benchmark: a real PostgreSQL and Redis started for
 * the scope, one living mock process serving every workspace (each its own token, data, clock and rate limit), the
 * workspaces file naming them, runner processes started and killed at will, and the test's own view of Postgres:
 * which runner holds how many shards, and what the database did.
 */
import { PgClient } from "@effect/sql-pg"
import { freePort } from "@intercom-effect/testing/Ports"
import * as PostgresServer from "@intercom-effect/testing/PostgresServer"
import * as RedisServer from "@intercom-effect/testing/RedisServer"
import * as SharedBudget from "@intercom-effect/http/SharedBudget"
import { Duration, Effect, Redacted, type Scope } from "effect"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Exact from "./Exact.js"
import * as LivingMock from "./LivingMock.js"
import { bundles, type Started, start, startScoped, written } from "./procs.js"

/** One workspace of the cluster, and the mock that plays it. */
export interface Workspace {
  readonly name: string
  readonly mock: LivingMock.LivingMock
}

/** A runner process. */
export interface Runner {
  readonly port: number
  /** Its Postgres sessions' application name. */
  readonly label: string
  readonly process: Started
}

export interface Options {
  readonly workspaces: number
  /** Each workspace's mock (its seed is made distinct per workspace). */
  readonly mock: Omit<LivingMock.Options, "token" | "seed">
  /** Requests per window of every workspace app: the mock's limit, and the runners' shared budget. */
  readonly limit: number
  readonly window: string
}

export interface Cluster {
  readonly databaseUrl: string
  readonly workspaces: ReadonlyArray<Workspace>
  /** The flags every process of the cluster shares. */
  readonly flags: ReadonlyArray<string>
  readonly env: Record<string, string>
  /** Starts a runner for the scope and waits until it is up. */
  readonly runner: () => Effect.Effect<Runner, never, Scope.Scope>
  /** Starts `intercom-sync run --workspaces ...` with more flags. */
  readonly run: (flags: ReadonlyArray<string>) => Effect.Effect<Started>
  /** Shards held (Postgres advisory locks), by runner label. */
  readonly shards: Effect.Effect<ReadonlyMap<string, number>>
  /** Waits until `runners` hold every shard between them, each some (the cluster has settled after they joined). */
  readonly settled: (runners: ReadonlyArray<Runner>) => Effect.Effect<void>
  /**
   * Every workspace's copy against its mock's snapshot: the differences, by workspace. With `until` (each
   * workspace's window end, unix seconds, by name), only what had settled by then: items last changed by the end of
   * the window and created at least the mock's search lag before it (search shows newer ones only later, and the next
   * window will take them); without, everything, both ways.
   */
  readonly differences: (
    until?: ReadonlyMap<string, number>
  ) => Effect.Effect<ReadonlyArray<readonly [string, ReadonlyArray<Exact.Difference>]>>
  /**
   * Waits until every workspace's copy holds an item, and says when (epoch ms): from then on every workspace's walks
   * are at work on the runners (before, a run is being planned by the `run` process, or its walks are starting).
   */
  readonly walking: Effect.Effect<number>
  /** Requests all workspaces answered, and responses 429. */
  readonly requests: Effect.Effect<{ readonly requests: number; readonly limited: number }>
  /** The cluster database's cumulative counters (see {@link DatabaseWork}). */
  readonly databaseWork: Effect.Effect<DatabaseWork>
}

/**
 * What PostgreSQL counted for the cluster's database (`pg_stat_database`, cumulative) and the WAL position: the
 * difference of two readings is the storage work done between them. A backend reports its counts at most once a
 * second, and an idle one within 10 s: read after the processes ended, or that long after they went idle.
 */
export interface DatabaseWork {
  readonly commits: number
  readonly inserted: number
  readonly updated: number
  readonly deleted: number
  /** Rows returned to queries (by index and sequential scans). */
  readonly fetched: number
  /** Bytes of WAL written by the whole server since it started (only the cluster's database is in use). */
  readonly walBytes: number
}

/** Shards of the cluster (@effect/cluster's default, which the runners keep). */
export const shardsPerGroup = 300

/** The mocks' search lag: a new item shows in search this long after it is made. */
export const searchLag = "3m"
const searchLagSeconds = 180

/**
 * Each workspace's window end from the lines `intercom-sync run --workspaces` prints
 * (`ws1: run-1: synced up to 2026-10-05T01:00:00Z in ...`).
 */
export const windowEnds = (stdout: string): ReadonlyMap<string, number> =>
  new Map(
    [...stdout.matchAll(/^(\w+): run-\d+(?: \(resumed\))?: synced up to (\S+)/gm)].map(
      (m) => [m[1]!, Math.floor(Date.parse(m[2]!) / 1000)] as const
    )
  )

/** Starts the cluster's services and mocks for the scope; no runner yet. */
export const make = (options: Options): Effect.Effect<Cluster, never, Scope.Scope> =>
  Effect.gen(function* () {
    const pg = yield* PostgresServer.make
    const redis = yield* RedisServer.make()
    const databaseUrl = yield* pg.createDatabase("cluster")
    // One mock process serves every workspace, each picked by its token (cluster-token-1, ...), seeded 701, 702, ...
    const mocks = yield* LivingMock.startWorkspaces(
      { ...options.mock, seed: 701, token: "cluster-token", limit: options.limit, window: options.window },
      options.workspaces
    )
    const workspaces = mocks.map((mock, i): Workspace => ({ name: `ws${i + 1}`, mock }))
    const dir = mkdtempSync(join(tmpdir(), "sync-cluster-"))
    const file = join(dir, "workspaces.json")
    writeFileSync(
      file,
      JSON.stringify({
        workspaces: workspaces.map((w, i) => ({ name: w.name, tokenEnv: `TOKEN_${i + 1}`, baseUrl: w.mock.url }))
      })
    )
    const env = Object.fromEntries(workspaces.map((w, i) => [`TOKEN_${i + 1}`, w.mock.token]))
    const flags = [
      `--database-url=${databaseUrl}`,
      `--workspaces=${file}`,
      `--redis-url=${redis.url}`,
      `--budget-limit=${options.limit}`,
      `--budget-window=${options.window}`
    ]
    const { sync } = yield* bundles
    const database = PgClient.layer({ url: Redacted.make(databaseUrl) })
    const query = <A extends object>(text: string) =>
      Effect.flatMap(PgClient.PgClient, (sql) => sql.unsafe<A>(text)).pipe(Effect.provide(database), Effect.orDie)
    const shards = Effect.map(
      query<{ application_name: string; n: string }>(
        "SELECT a.application_name, COUNT(*) AS n FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted GROUP BY a.application_name"
      ),
      (rows) => new Map(rows.map((row) => [row.application_name, Number(row.n)] as const))
    )
    return {
      databaseUrl,
      workspaces,
      flags,
      env,
      runner: () =>
        Effect.gen(function* () {
          const port = yield* freePort
          const process = yield* startScoped(sync, ["runner", ...flags, `--port=${port}`], env)
          yield* written(process, /runner .* serving|\n/)
          if (process.child.exitCode !== null) {
            return yield* Effect.dieMessage(
              `intercom-sync runner exited (${process.child.exitCode}): ${process.stderr()}`
            )
          }
          return { port, label: `intercom-sync runner 127.0.0.1:${port}`, process }
        }),
      run: (more) => Effect.sync(() => start(sync, ["run", ...flags, ...more], env)),
      shards,
      settled: (runners) =>
        Effect.gen(function* () {
          while (true) {
            const held = yield* shards
            const counts = runners.map((r) => held.get(r.label) ?? 0)
            if (counts.every((n) => n > 0) && counts.reduce((a, b) => a + b, 0) === shardsPerGroup) return
            yield* Effect.sleep("100 millis")
          }
        }),
      differences: (until) =>
        Effect.forEach(workspaces, (w) =>
          Effect.gen(function* () {
            const stored = yield* Exact.readFrom(database, `intercom_${w.name}`)
            const end = until?.get(w.name)
            const seconds = (value: unknown) => (typeof value === "number" ? value : 0)
            const scope: Exact.Scope =
              end === undefined
                ? {}
                : {
                    only: (_resource, item) =>
                      seconds(item["updated_at"]) <= end && seconds(item["created_at"]) <= end - searchLagSeconds,
                    extras: false
                  }
            return [w.name, Exact.differences(yield* w.mock.snapshot, stored, scope)] as const
          })
        ),
      databaseWork: Effect.map(
        query<Record<keyof DatabaseWork, string>>(
          "SELECT xact_commit AS commits, tup_inserted AS inserted, tup_updated AS updated, tup_deleted AS deleted, " +
            "tup_fetched AS fetched, pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0') AS \"walBytes\" " +
            "FROM pg_stat_database WHERE datname = current_database()"
        ),
        ([row]) => ({
          commits: Number(row!.commits),
          inserted: Number(row!.inserted),
          updated: Number(row!.updated),
          deleted: Number(row!.deleted),
          fetched: Number(row!.fetched),
          walBytes: Number(row!.walBytes)
        })
      ),
      walking: Effect.gen(function* () {
        // A copy's schema appears when its run is planned; until then the read fails, which is a no as well.
        const holds = workspaces
          .map(({ name }) => {
            const tables = ["contacts", "companies", "conversations", "tickets"]
            return `(${tables.map((t) => `EXISTS (SELECT 1 FROM intercom_${name}.${t})`).join(" OR ")})`
          })
          .join(" AND ")
        // One connection for the whole wait, asked every 50 ms.
        return yield* Effect.gen(function* () {
          const sql = yield* PgClient.PgClient
          const ready = sql.unsafe<{ ready: boolean }>(`SELECT ${holds} AS ready`).pipe(
            Effect.map((rows) => rows[0]?.ready === true),
            Effect.orElseSucceed(() => false)
          )
          while (!(yield* ready)) yield* Effect.sleep("50 millis")
          return Date.now()
        }).pipe(Effect.provide(database), Effect.orDie)
      }),
      requests: Effect.map(
        Effect.forEach(workspaces, (w) => w.mock.counters),
        (all) => ({
          requests: all.reduce((n, c) => n + c.requests, 0),
          limited: all.reduce((n, c) => n + (c.responses["429"] ?? 0), 0)
        })
      )
    }
  })

/** The share of each app's budget its runners used, and over how many windows. */
export interface BudgetUse {
  /** By workspace, in order: requests served / (windows × limit). NaN when no window qualified. */
  readonly perApp: ReadonlyArray<number>
  readonly windows: number
}

/**
 * How much of each workspace app's budget the runners used, over the windows in which every app had work pending
 * throughout: after the window in which the last app got its first request, before the one in which the first app
 * got its last (a sync starts and ends inside a window, not on its edge). Only requests between `from` and `to`
 * (epoch ms, a span in which every runner was up and every workspace's walks at work, see `walking`) count. While
 * every app has work pending, its walks are spread over all the runners, so each app's budget is all they may use:
 * the share says how close the shared pacing gets to it.
 */
export const budgetUsed = (
  counters: ReadonlyArray<LivingMock.Counters>,
  options: { readonly from: number; readonly to: number; readonly limit: number; readonly windowMs: number }
): BudgetUse => {
  const { from, limit, to, windowMs } = options
  const busy = counters.map((c) => c.windows.filter((w) => w.start + windowMs > from && w.start < to && w.served > 0))
  if (busy.some((ws) => ws.length === 0)) return { perApp: counters.map(() => NaN), windows: 0 }
  const first = Math.max(...busy.map((ws) => ws[0]!.start))
  const last = Math.min(...busy.map((ws) => ws[ws.length - 1]!.start))
  const starts: Array<number> = []
  for (let start = first + windowMs; start < last; start += windowMs) starts.push(start)
  const perApp = busy.map((ws) => {
    // A window the app got no request in is not listed, and counts as nothing served.
    const served = starts.reduce((n, start) => n + (ws.find((w) => w.start === start)?.served ?? 0), 0)
    return starts.length === 0 ? NaN : served / (starts.length * limit)
  })
  return { perApp, windows: starts.length }
}

/** Shares as whole percentages, e.g. `88% 91% 90%`. */
export const percentages = (shares: ReadonlyArray<number>): string =>
  shares.map((share) => (Number.isNaN(share) ? "n/a" : `${Math.round(share * 100)}%`)).join(" ")

/** Calls per window the runners' shared budget paces an app at: `limit` less its slack (see `SharedBudget.pacing`). */
export const paced = (limit: number, windowMs: number): number =>
  Math.round(windowMs / Duration.toMillis(SharedBudget.pacing({ limit, window: Duration.millis(windowMs) })))
