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
import { NodeContext, NodeHttpClient, NodeRuntime } from "@effect/platform-node"
import type { SqlClient, SqlError } from "@effect/sql"
import { PgClient } from "@effect/sql-pg"
import { SqliteClient } from "@effect/sql-sqlite-node"
import { Intercom } from "@intercom-effect/services"
import { Copy, Engine, Plan, Run, Sync, Window } from "@intercom-effect/sync"
import {
  Cause,
  Clock,
  type ConfigError,
  Console,
  Duration,
  Effect,
  Exit,
  Layer,
  Logger,
  LogLevel,
  Option,
  type Redacted
} from "effect"
import * as Lock from "./Lock.js"
import * as Report from "./Report.js"

// ---------------------------------------------------------------------------------------------------------------------
// options

const database = Options.text("database").pipe(
  Options.withDescription("the SQLite file of the copy (created when missing)"),
  Options.withDefault("intercom.sqlite")
)
const databaseUrl = Options.redacted("database-url").pipe(
  Options.withDescription("a Postgres URL instead of SQLite (postgres://user:password@host:5432/db)"),
  Options.optional
)
const resource = Options.choice("resource", Plan.resources).pipe(
  Options.repeated,
  Options.withDescription("sync only these (repeat the flag); all four by default")
)
const partitions = Options.integer("partitions").pipe(
  Options.withDescription("split a window of several days into this many updated_at partitions, walked side by side"),
  Options.withDefault(Plan.defaults.partitions)
)
const perPage = Options.integer("per-page").pipe(
  Options.withDescription("items per page, 1 to 150"),
  Options.withDefault(Plan.defaults.perPage)
)
const timeZone = Options.text("timezone").pipe(
  Options.withDescription("the workspace's timezone (IANA name): Intercom's search compares dates by day there"),
  Options.withDefault(Plan.defaults.timeZone)
)
const searchLag = Options.text("search-lag").pipe(
  Options.withDescription("how long a new item may be missing from search; windows overlap by at least that"),
  Options.withDefault("30 minutes")
)
const reconcileEvery = Options.text("reconcile-every").pipe(
  Options.withDescription(
    "walk every id to find deleted and merged items when the last walk is this old (0: every run)"
  ),
  Options.withDefault("1 day")
)
const concurrency = Options.integer("concurrency").pipe(
  Options.withDescription("walks at the same time"),
  Options.withDefault(Run.defaultConfig.concurrency)
)
const patience = Options.text("patience").pipe(
  Options.withDescription("how long a walk keeps retrying an outage before the run stops (resumable)"),
  Options.withDefault("10 minutes")
)
const resume = Options.boolean("resume").pipe(
  Options.withDescription("go on with the unfinished run, with its stored plan")
)
const restart = Options.boolean("restart").pipe(
  Options.withDescription("give up the unfinished run and plan afresh (what it stored stays)")
)
const every = Options.text("every").pipe(
  Options.withDescription("time between windows: 30s, 5m, 1h"),
  Options.withDefault("5m")
)

// ---------------------------------------------------------------------------------------------------------------------
// checks

/** A user-facing problem with the command line: one line, nothing sent. */
class UsageError extends Error {
  override readonly name = "UsageError"
}

const durationOf = (flag: string, text: string): Effect.Effect<Duration.Duration, UsageError> => {
  const short = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/.exec(text.trim())
  const units = { ms: "millis", s: "seconds", m: "minutes", h: "hours", d: "days" } as const
  const input = short === null ? text : `${short[1]} ${units[short[2] as keyof typeof units]}`
  return Option.match(Duration.decodeUnknown(input), {
    onNone: () => Effect.fail(new UsageError(`--${flag} ${text}: not a duration (try 30s, 5m, 2h, 1d)`)),
    onSome: Effect.succeed
  })
}

const planOptions = (args: {
  readonly resource: ReadonlyArray<Plan.Resource>
  readonly partitions: number
  readonly perPage: number
  readonly timeZone: string
  readonly searchLag: string
  readonly reconcileEvery: string
}): Effect.Effect<Plan.Options, UsageError> =>
  Effect.gen(function* () {
    if (!Number.isInteger(args.perPage) || args.perPage < 1 || args.perPage > 150) {
      return yield* Effect.fail(new UsageError(`--per-page ${args.perPage}: must be a whole number from 1 to 150`))
    }
    if (args.partitions < 1)
      return yield* Effect.fail(new UsageError(`--partitions ${args.partitions}: must be 1 or more`))
    if (!Window.isTimeZone(args.timeZone)) {
      return yield* Effect.fail(
        new UsageError(`--timezone ${args.timeZone}: not a timezone name (e.g. UTC, Europe/Dublin)`)
      )
    }
    return {
      ...Plan.defaults,
      resources: args.resource.length > 0 ? [...new Set(args.resource)] : Plan.defaults.resources,
      partitions: args.partitions,
      perPage: args.perPage,
      timeZone: args.timeZone,
      searchLag: yield* durationOf("search-lag", args.searchLag),
      reconcileEvery: yield* durationOf("reconcile-every", args.reconcileEvery)
    }
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

const IntercomLive = Intercom.layerConfig().pipe(Layer.provide(NodeHttpClient.layerUndici))

/** Everything a run needs, over one database connection and one Intercom client (so one rate-limit gate). */
const syncLayer = (file: string, url: Option.Option<Redacted.Redacted>, config: Run.Config) =>
  Run.layer.pipe(
    Layer.provideMerge(Engine.layerSingle),
    Layer.provideMerge(Copy.layer),
    Layer.provideMerge(Report.progress({ tty, quiet: () => stopping })),
    Layer.provideMerge(IntercomLive),
    Layer.provideMerge(databaseLayer(file, url)),
    Layer.provideMerge(Layer.succeed(Run.RunConfig, config))
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

/** The run this process works on, for the line that says where an interrupted run stands. */
let current: string | undefined

/** Progress goes quiet once the process is stopping: pages still finishing meanwhile would bury the last line. */
let stopping = false

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

const runCommand = Command.make("run", { ...runOptions, resume, restart }, (args) =>
  Effect.gen(function* () {
    if (args.resume && args.restart) return yield* Effect.fail(new UsageError("--resume and --restart: choose one"))
    const options = yield* planOptions(args)
    const config = {
      ...Run.defaultConfig,
      concurrency: args.concurrency,
      patience: yield* durationOf("patience", args.patience)
    }
    yield* Effect.gen(function* () {
      yield* Lock.acquire
      const began = yield* Clock.currentTimeMillis
      // A watch's last run may still be sleeping until its next window; a run now must not start a second chain.
      const sleeping = yield* Sync.scheduled
      if (Option.isSome(sleeping)) yield* Effect.ignore(Sync.wait(sleeping.value))
      const started = yield* Sync.start({
        ...options,
        onPending: args.resume ? "resume" : args.restart ? "restart" : "fail"
      })
      current = started.plan.runId
      yield* Console.error(describe(started))
      const summary = yield* Sync.wait(started)
      const millis = (yield* Clock.currentTimeMillis) - began
      yield* Console.log(Report.summary(summary, yield* stored, { resumed: started.resumed, millis }))
    }).pipe(Effect.scoped, Effect.provide(syncLayer(args.database, args.databaseUrl, config)))
  })
).pipe(Command.withDescription("sync once: whatever changed since the last run (everything, the first time)"))

const watchCommand = Command.make("watch", { ...runOptions, every }, (args) =>
  Effect.gen(function* () {
    const options = yield* planOptions(args)
    const cadence = yield* durationOf("every", args.every)
    const config = {
      ...Run.defaultConfig,
      concurrency: args.concurrency,
      patience: yield* durationOf("patience", args.patience)
    }
    yield* Effect.gen(function* () {
      yield* Lock.acquire
      const sleeping = yield* Sync.scheduled
      if (Option.isSome(sleeping)) {
        yield* Console.error(`${sleeping.value.plan.runId} is done; waiting until the next window is due`)
        yield* Effect.ignore(Sync.wait(sleeping.value))
      }
      while (true) {
        const began = yield* Clock.currentTimeMillis
        const started = yield* Sync.start({ ...options, onPending: "resume", every: cadence })
        current = started.plan.runId
        yield* Console.error(describe(started))
        const outcome = yield* Effect.either(Sync.wait(started, { committed: true }))
        if (outcome._tag === "Left") {
          // A stopped run is resumed at the next window; the copy keeps what it stored.
          yield* Console.error(`${outcome.left.message}; retrying in ${Duration.format(cadence)}`)
          yield* Effect.sleep(cadence)
          continue
        }
        const millis = (yield* Clock.currentTimeMillis) - began
        yield* Console.log(Report.summary(outcome.right, yield* stored, { resumed: started.resumed, millis }))
        // The workflow sleeps on its durable clock until the next window is due, then ends.
        yield* Effect.ignore(Sync.wait(started))
      }
    }).pipe(Effect.scoped, Effect.provide(syncLayer(args.database, args.databaseUrl, config)))
  })
).pipe(Command.withDescription("sync continuously: a run every --every, each window a durable workflow execution"))

const statusCommand = Command.make("status", { database, databaseUrl }, (args) =>
  Effect.gen(function* () {
    const copy = yield* Copy.Copy
    const history = yield* copy.history
    const runs = yield* copy.runs(5)
    yield* Console.log(Report.status(history.syncedUntil, history.reconciledAt, yield* stored, runs))
  }).pipe(Effect.provide(Copy.layer.pipe(Layer.provideMerge(databaseLayer(args.database, args.databaseUrl)))))
).pipe(Command.withDescription("what is synced up to when, per resource; the unfinished run and its last error"))

const command = Command.make("intercom-sync").pipe(
  Command.withDescription("keeps a copy of an Intercom workspace in SQLite or Postgres"),
  Command.withSubcommands([runCommand, watchCommand, statusCommand])
)

const cli = Command.run(command, { name: "intercom-sync", version: "0.0.0" })

// ---------------------------------------------------------------------------------------------------------------------
// entry

// Which signal stopped the run, for the exit code (130 for SIGINT, 143 for SIGTERM, as shells report them).
let signal: "SIGINT" | "SIGTERM" | undefined
const onSignal = (name: "SIGINT" | "SIGTERM") => () => {
  signal ??= name
  stopping = true
}
process.once("SIGINT", onSignal("SIGINT"))
process.once("SIGTERM", onSignal("SIGTERM"))

/** A failure in one line on stderr: what happened, and (in the message) what to do. */
const oneLine = (cause: Cause.Cause<unknown>): string => {
  const error = Cause.squash(cause)
  const text = error instanceof Error ? error.message : String(error)
  return `intercom-sync: ${text.split("\n")[0]}`
}

cli(process.argv).pipe(
  Effect.provide(NodeContext.layer),
  (effect) =>
    Effect.onExit(effect, (exit) => {
      if (Exit.isSuccess(exit)) return Effect.void
      if (!Cause.isInterruptedOnly(exit.cause)) return Console.error(oneLine(exit.cause))
      // Said once everything has stopped, so it is the last line.
      return Console.error(
        current === undefined
          ? "intercom-sync: stopped before a run was planned; nothing was stored"
          : `intercom-sync: stopped; ${current} is saved and \`intercom-sync run --resume\` goes on from its last stored page`
      )
    }),
  // The engine's own logs (shards, runners) are for debugging it, not for a user of the command.
  Logger.withMinimumLogLevel(process.env["INTERCOM_SYNC_LOG"] === "debug" ? LogLevel.Debug : LogLevel.Error),
  NodeRuntime.runMain({
    disableErrorReporting: true,
    teardown: (exit, onExit) =>
      onExit(
        signal === "SIGINT"
          ? 130
          : signal === "SIGTERM"
            ? 143
            : Exit.isFailure(exit) && !Cause.isInterruptedOnly(exit.cause)
              ? 1
              : 0
      )
  })
)
