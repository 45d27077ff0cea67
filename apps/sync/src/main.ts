/**
 * `intercom-sync`: keeps a copy of an Intercom workspace in SQLite (embedded, the default) or Postgres.
 *
 *   intercom-sync run                  one run: everything changed since the last one (everything, the first time)
 *   intercom-sync watch --every 5m     a run every 5 minutes, for as long as it runs
 *   intercom-sync status               what is synced up to when, the unfinished run and its last error
 *
 * The token comes from INTERCOM_ACCESS_TOKEN (with INTERCOM_REGION or INTERCOM_BASE_URL) and is never printed.
 */
import { Command, Options } from "@effect/cli"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import type { SqlClient, SqlError } from "@effect/sql"
import { PgClient } from "@effect/sql-pg"
import { SqliteClient } from "@effect/sql-sqlite-node"
import { App, Failure, Flags, Retry } from "@intercom-effect/app-kit"
import { Intercom } from "@intercom-effect/services"
import { Copy, Engine, Plan, Run, Sync } from "@intercom-effect/sync"
import {
  Clock,
  type ConfigError,
  Console,
  Duration,
  Effect,
  Layer,
  Logger,
  LogLevel,
  Option,
  type Redacted
} from "effect"
import { existsSync, rmSync } from "node:fs"
import * as Cluster from "./Cluster.js"
import * as Lock from "./Lock.js"
import * as Report from "./Report.js"
import * as WorkspaceFile from "./WorkspaceFile.js"

// ---------------------------------------------------------------------------------------------------------------------
// options

const database = Options.text("database").pipe(
  Options.withDescription("the SQLite file of the copy (created when missing)"),
  Flags.withDefault("intercom.sqlite")
)
const databaseUrl = Options.redacted("database-url").pipe(
  Options.withDescription("a Postgres URL instead of SQLite (postgres://user:password@host:5432/db)"),
  Options.optional
)
const resource = Flags.choices("resource", Plan.resources).pipe(
  Options.withDescription("sync only these (repeat the flag); all four by default")
)
const partitions = Flags.integer("partitions", { min: 1, max: 64 }).pipe(
  Options.withDescription("split a window of several days into this many updated_at partitions, walked side by side"),
  Flags.withDefault(Plan.defaults.partitions)
)
const perPage = Flags.integer("per-page", { min: 1, max: 150 }).pipe(
  Options.withDescription("items per page"),
  Flags.withDefault(Plan.defaults.perPage)
)
const timeZone = Flags.timeZone("timezone").pipe(
  Options.withDescription("the workspace's timezone: Intercom's search compares dates by day there"),
  Flags.withDefault(Plan.defaults.timeZone)
)
const searchLag = Flags.duration("search-lag").pipe(
  Options.withDescription("how long a new item may be missing from search; windows overlap by at least that"),
  Flags.withDefault(Plan.defaults.searchLag, "30m")
)
const reconcileEvery = Flags.duration("reconcile-every").pipe(
  Options.withDescription(
    "walk every id to find deleted and merged items when the last walk is this old (0: every run)"
  ),
  Flags.withDefault(Plan.defaults.reconcileEvery, "24h")
)
const concurrency = Flags.integer("concurrency", { min: 1, max: 32 }).pipe(
  Options.withDescription("walks at the same time"),
  Flags.withDefault(Run.defaultConfig.concurrency)
)
const patience = Flags.duration("patience").pipe(
  Options.withDescription("how long a walk keeps retrying an outage before the run stops (resumable)"),
  Flags.withDefault(Run.defaultConfig.patience, "10m")
)
const resume = Options.boolean("resume").pipe(
  Options.withDescription("go on with the unfinished run, with its stored plan")
)
const restart = Options.boolean("restart").pipe(
  Options.withDescription("give up the unfinished run and plan afresh (what it stored stays)")
)
const workspacesFile = Options.text("workspaces").pipe(
  Options.withDescription(
    "a JSON file listing many workspaces and where each one's token is; runs go to `intercom-sync runner` processes over --database-url"
  ),
  Options.optional
)
const redisUrl = Options.redacted("redis-url").pipe(
  Options.withDescription("a Redis shared by the runners: one Intercom budget per workspace app across all of them"),
  Options.optional
)
const budgetLimit = Flags.integer("budget-limit", { min: 1, max: 100_000 }).pipe(
  Options.withDescription("calls per budget window for one workspace app (Intercom's 10,000 a minute: 1666 per 10s)"),
  Flags.withDefault(1666)
)
const budgetWindow = Flags.duration("budget-window").pipe(
  Options.withDescription("the window the budget counts in"),
  Flags.withDefault(Duration.seconds(10), "10s")
)
const host = Options.text("host").pipe(
  Options.withDescription("the address the other runners reach this one at"),
  Flags.withDefault("127.0.0.1")
)
const port = Flags.integer("port", { min: 1, max: 65535 }).pipe(
  Options.withDescription("the port this runner listens on for the other runners")
)
const every = Flags.duration("every").pipe(
  Options.withDescription("time between the starts of two windows: 30s, 5m, 1h"),
  Flags.withDefault(Duration.minutes(5), "5m")
)

const planOptions = (args: {
  readonly resource: ReadonlyArray<Plan.Resource>
  readonly partitions: number
  readonly perPage: number
  readonly timeZone: string
  readonly searchLag: Duration.DurationInput
  readonly reconcileEvery: Duration.DurationInput
}): Plan.Options => ({
  ...Plan.defaults,
  resources: args.resource.length > 0 ? [...new Set(args.resource)] : Plan.defaults.resources,
  partitions: args.partitions,
  perPage: args.perPage,
  timeZone: args.timeZone,
  searchLag: args.searchLag,
  reconcileEvery: args.reconcileEvery
})

// ---------------------------------------------------------------------------------------------------------------------
// layers

const tty = process.stderr.isTTY === true

const databaseLayer = (
  file: string,
  url: Option.Option<Redacted.Redacted>
): Layer.Layer<SqlClient.SqlClient, ConfigError.ConfigError | SqlError.SqlError> =>
  Option.match(url, {
    onNone: () => SqliteClient.layer({ filename: file }),
    onSome: (url) => PgClient.layer({ url })
  })

/** Everything a run needs, over one database connection and one Intercom client (so one rate-limit gate). */
const syncLayer = (
  args: {
    readonly database: string
    readonly databaseUrl: Option.Option<Redacted.Redacted>
    readonly concurrency: number
    readonly patience: Duration.DurationInput
  },
  notice: (line: string) => Effect.Effect<void>
) =>
  Run.layer.pipe(
    Layer.provideMerge(Engine.layerSingle),
    Layer.provideMerge(Copy.layer),
    Layer.provideMerge(Report.progress({ tty, quiet: () => stopping })),
    // The token is read before the database is opened: a missing one creates no store.
    Layer.provideMerge(databaseLayer(args.database, args.databaseUrl)),
    // The client says once when Intercom cannot be reached, then keeps retrying.
    Layer.provideMerge(
      Intercom.layerConfig({ retrySchedule: Retry.announcing(notice) }).pipe(Layer.provide(NodeHttpClient.layerUndici))
    ),
    Layer.provideMerge(
      Layer.succeed(Run.RunConfig, { ...Run.defaultConfig, concurrency: args.concurrency, patience: args.patience })
    )
  )

const stored = Effect.gen(function* () {
  const copy = yield* Copy.Copy
  const counts: Record<string, number> = {}
  for (const resource of Plan.resources) counts[resource] = yield* copy.count(resource)
  return counts
})

const describe = (started: Sync.Started): string => {
  const plan = started.plan
  const walks = plan.partitions.map((p) => p.key).join(", ")
  const since = plan.partitions.find((p) => p.resource !== "companies")?.from ?? null
  const window =
    since === null
      ? "everything"
      : `changes since ${new Date(since * 1000).toISOString().slice(0, 10)} (${plan.timeZone})`
  return `${started.resumed ? "resuming" : "starting"} ${plan.runId}: ${window} up to ${new Date(plan.until * 1000).toISOString()}; walks ${walks}${plan.reconcile ? "; reconciling ids" : ""}`
}

/** Progress goes quiet once the process is stopping: pages still finishing meanwhile would bury the last line. */
let stopping = false
for (const name of ["SIGINT", "SIGTERM"] as const) process.once(name, () => (stopping = true))

/** The sync's own failures, with what to do about them in this command's terms. */
const told = <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E | Failure.Failure | Failure.UsageError, R> =>
  Effect.mapError(self, (error) =>
    error instanceof Sync.PendingRun
      ? new Failure.UsageError({
          message: error.message,
          fix: "pass --resume to go on with it, or --restart to plan afresh"
        })
      : error instanceof Sync.PlanMismatch
        ? new Failure.UsageError({
            message: error.message,
            fix: "run with the stored plan's options, or pass --restart; `intercom-sync status` shows the plan"
          })
        : error instanceof Sync.RunStopped
          ? new Failure.Failure({
              message: error.message,
              fix: "`intercom-sync run --resume` goes on from its last stored page; `intercom-sync status` shows the last error"
            })
          : error
  )

/**
 * Runs `work` against the copy's database: a SQLite file this run creates is removed again when the run ends before
 * it planned anything (a missing token, Ctrl-C while starting), so no empty store is left behind.
 */
const inStore = <A, E, R>(
  file: string,
  url: Option.Option<Redacted.Redacted>,
  work: (planned: (runId: string) => Effect.Effect<void, never, App.App>) => Effect.Effect<A, E, R>
) =>
  Effect.suspend(() => {
    const creates = Option.isNone(url) && !existsSync(file)
    let planned = false
    const onPlanned = (runId: string) =>
      Effect.zipRight(
        Effect.sync(() => (planned = true)),
        Effect.flatMap(App.App, (app) =>
          app.whenStopped(`${runId} is saved and \`intercom-sync run --resume\` goes on from its last stored page`)
        )
      )
    return work(onPlanned).pipe(
      App.resumable("no run was planned yet, so nothing was stored"),
      Effect.onExit((exit) =>
        Effect.sync(() => {
          if (exit._tag === "Success" || planned || !creates) return
          for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(`${file}${suffix}`, { force: true })
        })
      )
    )
  })

/** The engine's own logs (shards, runners) are for debugging it, not for a user of the command. */
const quietEngine = Logger.withMinimumLogLevel(
  process.env["INTERCOM_SYNC_LOG"] === "debug" ? LogLevel.Debug : LogLevel.Error
)

// ---------------------------------------------------------------------------------------------------------------------
// many workspaces

/**
 * The workspaces file and the database they share: many workspaces need Postgres. `read` is what is taken from the
 * file: the workspaces with their tokens, or only their names and schemas.
 */
const clusterWorkspaces = <W>(
  databaseUrl: Option.Option<Redacted.Redacted>,
  file: string,
  read: (file: string) => Effect.Effect<W, WorkspaceFile.WorkspaceFileError>
) =>
  Effect.gen(function* () {
    if (Option.isNone(databaseUrl)) {
      return yield* new Failure.UsageError({
        message: "--workspaces needs --database-url: the runners of many workspaces share one Postgres database",
        fix: "pass --database-url postgres://user:password@host:5432/db"
      })
    }
    const workspaces = yield* read(file).pipe(
      Effect.mapError((error) => new Failure.UsageError({ message: error.message, fix: error.fix }))
    )
    return { databaseUrl: databaseUrl.value, workspaces }
  })

/** The cluster's settings from the flags. */
const clusterSettings = (
  args: {
    readonly databaseUrl: Option.Option<Redacted.Redacted>
    readonly redisUrl: Option.Option<Redacted.Redacted>
    readonly budgetLimit: number
    readonly budgetWindow: Duration.Duration
    readonly concurrency: number
    readonly patience: Duration.DurationInput
  },
  file: string,
  notice: (line: string) => Effect.Effect<void>
) =>
  Effect.gen(function* () {
    const { databaseUrl, workspaces } = yield* clusterWorkspaces(args.databaseUrl, file, WorkspaceFile.read)
    const settings: Cluster.Settings = {
      databaseUrl,
      workspaces,
      redisUrl: args.redisUrl,
      budget: { limit: args.budgetLimit, window: args.budgetWindow },
      run: { ...Run.defaultConfig, concurrency: args.concurrency, patience: args.patience },
      retrySchedule: Retry.announcing(notice)
    }
    return settings
  })

/** Runs of many workspaces at once on the cluster: one line per workspace, a failure if any run did not finish. */
const clusterRuns = (settings: Cluster.Settings, options: Omit<Sync.RunOptions, "workspace">) =>
  Effect.gen(function* () {
    const began = yield* Clock.currentTimeMillis
    const outcomes = yield* Effect.forEach(
      settings.workspaces,
      (workspace) =>
        Cluster.runOne(workspace.name, options).pipe(
          told,
          Effect.flatMap(({ started, summary }) =>
            Effect.map(
              Clock.currentTimeMillis,
              (now) => Report.summary(summary, {}, { resumed: started.resumed, millis: now - began }).split("\n")[0]!
            )
          ),
          Effect.either,
          Effect.tap((outcome) =>
            outcome._tag === "Right"
              ? Console.log(`${workspace.name}: ${outcome.right}`)
              : Console.error(`${workspace.name}: ${outcome.left.message}`)
          )
        ),
      { concurrency: "unbounded" }
    )
    const failed = outcomes.filter((o) => o._tag === "Left").length
    if (failed > 0) {
      return yield* new Failure.Failure({
        message: `${failed} of ${outcomes.length} workspaces did not finish their run (each said why above)`,
        fix: "`intercom-sync run --workspaces ... --resume` goes on from their last stored pages"
      })
    }
  }).pipe(Effect.provide(Cluster.clientLayer(settings)))

// ---------------------------------------------------------------------------------------------------------------------
// commands

const runOptions = {
  database,
  databaseUrl,
  resource,
  partitions,
  perPage,
  timeZone,
  searchLag,
  reconcileEvery,
  concurrency,
  patience
}

const clusterOptions = { workspaces: workspacesFile, redisUrl, budgetLimit, budgetWindow }

const runCommand = Command.make("run", { ...runOptions, ...clusterOptions, resume, restart }, (args) =>
  Effect.gen(function* () {
    if (args.resume && args.restart) {
      return yield* new Failure.UsageError({ message: "--resume and --restart exclude each other", fix: "choose one" })
    }
    const app = yield* App.App
    const onPending = args.resume ? "resume" : args.restart ? "restart" : "fail"
    if (Option.isSome(args.workspaces)) {
      const settings = yield* clusterSettings(args, args.workspaces.value, app.notice)
      return yield* clusterRuns(settings, { ...planOptions(args), onPending })
    }
    yield* inStore(args.database, args.databaseUrl, (planned) =>
      Effect.gen(function* () {
        yield* Lock.acquire
        const began = yield* Clock.currentTimeMillis
        // A watch's last run may still be sleeping until its next window; a run now must not start a second chain.
        const sleeping = yield* Sync.scheduled
        if (Option.isSome(sleeping)) yield* Effect.ignore(Sync.wait(sleeping.value))
        const started = yield* Sync.start({ ...planOptions(args), onPending })
        yield* planned(started.plan.runId)
        yield* Console.error(describe(started))
        const summary = yield* Sync.wait(started)
        const millis = (yield* Clock.currentTimeMillis) - began
        yield* Console.log(Report.summary(summary, yield* stored, { resumed: started.resumed, millis }))
      }).pipe(Effect.scoped, Effect.provide(syncLayer(args, app.notice)), told)
    )
  }).pipe(quietEngine)
).pipe(Command.withDescription("sync once: whatever changed since the last run (everything, the first time)"))

const watchCommand = Command.make("watch", { ...runOptions, every }, (args) =>
  Effect.gen(function* () {
    const app = yield* App.App
    yield* inStore(args.database, args.databaseUrl, (planned) =>
      Effect.gen(function* () {
        yield* Lock.acquire
        const sleeping = yield* Sync.scheduled
        if (Option.isSome(sleeping)) {
          yield* planned(sleeping.value.plan.runId)
          yield* Console.error(`${sleeping.value.plan.runId} is done; waiting until the next window is due`)
          yield* Effect.ignore(Sync.wait(sleeping.value))
        }
        while (true) {
          const began = yield* Clock.currentTimeMillis
          const started = yield* Sync.start({ ...planOptions(args), onPending: "resume", every: args.every })
          yield* planned(started.plan.runId)
          yield* Console.error(describe(started))
          const outcome = yield* Effect.either(Sync.wait(started, { committed: true }))
          if (outcome._tag === "Left") {
            // A stopped run is resumed at the next window; the copy keeps what it stored.
            yield* app.notice(`${outcome.left.message}; retrying in ${Duration.format(args.every)}`)
            yield* Effect.sleep(args.every)
            continue
          }
          const millis = (yield* Clock.currentTimeMillis) - began
          yield* Console.log(Report.summary(outcome.right, yield* stored, { resumed: started.resumed, millis }))
          // The workflow sleeps on its durable clock until the next window is due, then ends.
          yield* Effect.ignore(Sync.wait(started))
        }
      }).pipe(Effect.scoped, Effect.provide(syncLayer(args, app.notice)), told)
    )
  }).pipe(quietEngine)
).pipe(Command.withDescription("sync continuously: a window every --every, each a durable workflow execution"))

/** What `status` prints of the copy in context. */
const statusText = Effect.gen(function* () {
  const copy = yield* Copy.Copy
  const history = yield* copy.history
  const runs = yield* copy.runs(5)
  return Report.status(history.syncedUntil, history.reconciledAt, yield* stored, runs)
})

const statusCommand = Command.make("status", { database, databaseUrl, workspaces: workspacesFile }, (args) =>
  Effect.gen(function* () {
    if (Option.isSome(args.workspaces)) {
      const { databaseUrl, workspaces } = yield* clusterWorkspaces(
        args.databaseUrl,
        args.workspaces.value,
        WorkspaceFile.list
      )
      // The copies alone: status reads each workspace's schema and starts nothing on the cluster.
      const lines = yield* Effect.forEach(workspaces, (workspace) =>
        Effect.map(
          Effect.provide(statusText, Copy.layerWith({ schema: workspace.schema })),
          (text) => `${workspace.name}\n${text.replace(/^/gm, "  ")}`
        )
      ).pipe(Effect.provide(PgClient.layer({ url: databaseUrl })))
      return yield* Console.log(lines.join("\n"))
    }
    if (Option.isNone(args.databaseUrl) && !existsSync(args.database)) {
      return yield* new Failure.UsageError({
        message: `${args.database} does not exist`,
        fix: "pass the --database of a copy (or run `intercom-sync run` to make one)"
      })
    }
    yield* Console.log(
      yield* statusText.pipe(
        Effect.provide(Copy.layer.pipe(Layer.provideMerge(databaseLayer(args.database, args.databaseUrl))))
      )
    )
  }).pipe(quietEngine)
).pipe(Command.withDescription("what is synced up to when, per resource; the unfinished run and its last error"))

const runnerCommand = Command.make(
  "runner",
  { databaseUrl, ...clusterOptions, host, port, concurrency, patience },
  (args) =>
    Effect.gen(function* () {
      const app = yield* App.App
      if (Option.isNone(args.workspaces)) {
        return yield* new Failure.UsageError({
          message: "a runner needs the --workspaces file it serves",
          fix: "pass --workspaces with the same file as the other runners and `intercom-sync run`"
        })
      }
      const settings = yield* clusterSettings(args, args.workspaces.value, app.notice)
      const address = { host: args.host, port: args.port }
      yield* Effect.gen(function* () {
        yield* Console.error(
          `runner ${address.host}:${address.port} serving ${settings.workspaces.length} workspaces${Option.isSome(settings.redisUrl) ? ", budgets shared through Redis" : ""}`
        )
        return yield* Effect.never
      }).pipe(Effect.provide(Cluster.runnerLayer(settings, address)))
    }).pipe(quietEngine)
).pipe(Command.withDescription("a runner of a cluster: executes the walks of the runs `run --workspaces` starts"))

const command = Command.make("intercom-sync").pipe(
  Command.withDescription("keeps a copy of an Intercom workspace in SQLite or Postgres"),
  Command.withSubcommands([runCommand, watchCommand, statusCommand, runnerCommand])
)

App.run(command, { name: "intercom-sync", version: "0.0.0" })
