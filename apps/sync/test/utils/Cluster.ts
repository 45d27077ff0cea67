/**
 * A cluster of `intercom-sync` processes for the tests and the benchmark: a real PostgreSQL and Redis started for
 * the scope, living mock workspaces (each its own token and rate limit), the workspaces file naming them, runner
 * processes started and killed at will, and the test's own view of Postgres: which runner holds how many shards.
 */
import { PgClient } from "@effect/sql-pg"
import { freePort } from "@intercom-effect/testing/Ports"
import * as PostgresServer from "@intercom-effect/testing/PostgresServer"
import * as RedisServer from "@intercom-effect/testing/RedisServer"
import { Effect, Redacted, type Scope } from "effect"
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
  /** Requests all mocks answered, and responses 429. */
  readonly requests: Effect.Effect<{ readonly requests: number; readonly limited: number }>
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
    const workspaces = yield* Effect.forEach(
      Array.from({ length: options.workspaces }, (_, i) => i + 1),
      (i) =>
        Effect.map(
          LivingMock.start({
            ...options.mock,
            seed: 700 + i,
            token: `cluster-token-${i}`,
            limit: options.limit,
            window: options.window
          }),
          (mock): Workspace => ({ name: `ws${i}`, mock })
        ),
      { concurrency: 4 }
    )
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
      requests: Effect.map(
        Effect.forEach(workspaces, (w) => w.mock.counters),
        (all) => ({
          requests: all.reduce((n, c) => n + c.requests, 0),
          limited: all.reduce((n, c) => n + (c.responses["429"] ?? 0), 0)
        })
      )
    }
  })
