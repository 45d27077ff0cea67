/**
 * Runs a sync: decides the plan (a stored one when resuming, a new one otherwise), stores it before the first
 * request, executes it as a durable workflow and waits for it.
 *
 * @since 0.1.0
 */
import type { WorkflowEngine } from "@effect/workflow"
import { IntercomClient, type IntercomError } from "@intercom-effect/http"
import { Cause, Clock, Duration, Effect, Option, Schema } from "effect"
import * as Balance from "./Balance.js"
import { Copy, type CopyError, type RunRecord } from "./Copy.js"
import * as Plan from "./Plan.js"
import * as Run from "./Run.js"
import { Summary, SyncRun, SyncWalk } from "./Run.js"

/**
 * A run was started earlier and not finished, and this run did not say what to do with it.
 *
 * @since 0.1.0
 * @category errors
 */
export class PendingRun extends Schema.TaggedError<PendingRun>()("PendingRun", {
  runId: Schema.String,
  /** Unix seconds. */
  startedAt: Schema.Number
}) {
  override get message(): string {
    return `an unfinished run (${this.runId}, started ${new Date(this.startedAt * 1000).toISOString()}) is in this store: resume it, or restart to plan afresh`
  }
}

/**
 * The options of a resumed run differ from the plan the run was started with: resuming would mix two plans.
 *
 * @since 0.1.0
 * @category errors
 */
export class PlanMismatch extends Schema.TaggedError<PlanMismatch>()("PlanMismatch", {
  runId: Schema.String,
  differences: Schema.Array(Schema.String)
}) {
  override get message(): string {
    return `the unfinished run ${this.runId} was planned with other options: ${this.differences.join("; ")}; resume it with its own options, or restart to plan afresh`
  }
}

/**
 * A run stopped on a failure that outlasted its patience. Everything it stored is kept; resuming it goes on from the
 * page that failed.
 *
 * @since 0.1.0
 * @category errors
 */
export class RunStopped extends Schema.TaggedError<RunStopped>()("RunStopped", {
  runId: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return `run ${this.runId} stopped (${this.reason}); what it stored is kept and it resumes where it stopped`
  }
}

/**
 * What can go wrong when running a sync.
 *
 * @since 0.1.0
 * @category errors
 */
export type SyncError = PendingRun | PlanMismatch | RunStopped | CopyError | IntercomError.IntercomError

/**
 * What to do with an unfinished run: fail (the default, so a partial copy is never silently replanned), go on with it,
 * or give it up and plan afresh.
 *
 * @since 0.1.0
 * @category models
 */
export type OnPending = "fail" | "resume" | "restart"

/**
 * Options of one run.
 *
 * @since 0.1.0
 * @category models
 */
export interface RunOptions extends Plan.Options {
  readonly onPending: OnPending
  /** For `watch`: the next window is due this long after this one ends; the workflow sleeps durably until then. */
  readonly every?: Duration.DurationInput | undefined
  /**
   * The workspace, as the runners' `Workspaces` name it, when a cluster serves several; its copy is the `Copy` in
   * context. Unset for the embedded sync of one workspace.
   */
  readonly workspace?: string | undefined
}

/**
 * A run that was started (or found), for {@link wait}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Started {
  readonly plan: Plan.Plan
  /** Whether it is a run stored earlier, resumed. */
  readonly resumed: boolean
  readonly executionId: string
  /** The workspace of the run (see `RunOptions.workspace`); absent for a single workspace. */
  readonly workspace?: string | undefined
}

/**
 * The server's clock: the `Date` of an answer to `GET /me` (which also checks the token before anything is planned).
 * Windows end on Intercom's clock, so a local clock that runs late cannot make a window end before items it has not
 * seen; the local clock is the fallback when no `Date` comes back.
 *
 * @since 0.1.0
 * @category runs
 */
export const serverNow: Effect.Effect<number, IntercomError.IntercomError, IntercomClient.IntercomClient> = Effect.gen(
  function* () {
    const client = yield* IntercomClient.IntercomClient
    const { meta } = yield* client.requestWithMeta({ method: "GET", path: "/me", response: Schema.Unknown })
    const parsed = meta.date === null ? Number.NaN : Date.parse(meta.date)
    return Math.floor((Number.isFinite(parsed) ? parsed : yield* Clock.currentTimeMillis) / 1000)
  }
)

const payload = (
  plan: Plan.Plan,
  options: { readonly every?: Duration.DurationInput | undefined; readonly workspace?: string | undefined },
  startedAt: number
) => ({
  plan,
  everyMillis: options.every === undefined ? null : Duration.toMillis(options.every),
  startedAt,
  ...(options.workspace === undefined ? {} : { workspace: options.workspace })
})

/** The executions of a run's walks (child workflows of the run). */
const walkExecutions = (plan: Plan.Plan, workspace: string | undefined) => {
  const { changes, lists, sweeps } = Run.walksOf(plan)
  return Effect.forEach([...changes, ...lists, ...sweeps], (w) =>
    SyncWalk.executionId({ workspace: workspace ?? "", plan, key: w.key })
  )
}

/**
 * Wakes a run that suspended on a failure: first its suspended walks (a walk that failed suspends, and its run with
 * it), then the run, which finds the walks going again.
 */
const wake = (executionId: string, plan: Plan.Plan, workspace: string | undefined) =>
  Effect.gen(function* () {
    for (const walk of yield* walkExecutions(plan, workspace)) {
      const state = yield* SyncWalk.poll(walk)
      if (state !== undefined && state._tag === "Suspended") yield* SyncWalk.resume(walk)
    }
    yield* SyncRun.resume(executionId)
  })

/** The pending run, resumed or given up as `options` say. */
const settle = (pending: RunRecord, options: RunOptions) =>
  Effect.gen(function* () {
    switch (options.onPending) {
      case "fail":
        return yield* new PendingRun({ runId: pending.runId, startedAt: pending.startedAt })
      case "resume": {
        const differences = Plan.differences(pending.plan, options)
        if (differences.length > 0) return yield* new PlanMismatch({ runId: pending.runId, differences })
        return Option.some(pending.plan)
      }
      case "restart": {
        const copy = yield* Copy
        const executionId = yield* SyncRun.executionId(payload(pending.plan, options, 0))
        yield* SyncRun.interrupt(executionId)
        yield* Effect.forEach(yield* walkExecutions(pending.plan, options.workspace), (walk) =>
          SyncWalk.interrupt(walk)
        )
        yield* copy.abandon(pending.runId, Math.floor((yield* Clock.currentTimeMillis) / 1000))
        return Option.none<Plan.Plan>()
      }
    }
  })

/**
 * The bounds of each resource's first window split into partitions that hold about as many items (`Balance`): its
 * items span the workspace's years, mostly the last ones, which even runs of days would leave in one partition. Later
 * windows span a few days and keep even runs of days. A search that gives no count leaves that resource's even.
 */
const firstBounds = (options: Plan.Options, history: Plan.History, now: number) =>
  Effect.gen(function* () {
    const bounds: Plan.Bounds = {}
    if (options.partitions <= 1) return bounds
    const window = Plan.windowOf(null, now, options)
    // The resources are counted side by side: planning waits for the slowest, not their sum.
    yield* Effect.forEach(
      options.resources,
      (resource) =>
        resource === "companies" || Plan.sinceOf(resource, options, history) !== null
          ? Effect.void
          : Balance.bounds(Balance.searchCount(resource, options.timeZone), {
              ...window,
              parts: options.partitions,
              timeZone: options.timeZone,
              // Items that fit in a page per partition are walked in a few pages wherever the cuts fall.
              least: options.perPage * options.partitions
            }).pipe(
              Effect.tap((found) => Effect.sync(() => (bounds[resource] = found))),
              Effect.catchTag("Uncounted", () => Effect.void)
            ),
      { concurrency: "unbounded", discard: true }
    )
    return bounds
  })

/**
 * Plans a new run from what the store says was synced and the server's clock, and stores the plan before its first
 * request.
 *
 * @since 0.1.0
 * @category runs
 */
export const begin = (
  options: Plan.Options
): Effect.Effect<
  Plan.Plan,
  CopyError | IntercomError.IntercomError,
  Copy | IntercomClient.IntercomClient | Balance.Searches
> =>
  Effect.gen(function* () {
    const copy = yield* Copy
    const now = yield* serverNow
    const history = yield* copy.history
    const seq = yield* copy.nextSeq
    const plan = Plan.make(`run-${seq}`, options, history, now, yield* firstBounds(options, history, now))
    yield* copy.begin(plan, seq, Math.floor((yield* Clock.currentTimeMillis) / 1000))
    return plan
  })

/**
 * Starts a run, or resumes the pending one, and returns without waiting for it. A new plan is stored before its
 * first request; a resumed run keeps its stored plan, and a suspended one (stopped on a failure) is woken.
 *
 * @since 0.1.0
 * @category runs
 */
export const start = (
  options: RunOptions
): Effect.Effect<
  Started,
  SyncError,
  Copy | WorkflowEngine.WorkflowEngine | IntercomClient.IntercomClient | Balance.Searches
> =>
  Effect.gen(function* () {
    const copy = yield* Copy
    const pending = yield* copy.pending
    const stored = Option.isSome(pending) ? yield* settle(pending.value, options) : Option.none<Plan.Plan>()
    const plan = Option.isSome(stored) ? stored.value : yield* begin(options)
    // A run executed before keeps its stored payload (the execution is keyed by the run), this one is dropped.
    const executionId = yield* SyncRun.execute(payload(plan, options, yield* Clock.currentTimeMillis), {
      discard: true
    })
    const state = yield* SyncRun.poll(executionId)
    if (state !== undefined && state._tag === "Suspended") yield* wake(executionId, plan, options.workspace)
    return { plan, resumed: Option.isSome(stored), executionId, workspace: options.workspace }
  })

const decodeSummary = Schema.decodeUnknown(Schema.parseJson(Summary))

/** The one-line reason of a suspension on a failure that recorded no page error. */
const suspendedBy = (cause: Cause.Cause<unknown>): string => {
  const error = Cause.squash(cause)
  const message = error instanceof Error ? error.message : String(error)
  return `the workflow suspended: ${message.split("\n")[0]}`
}

/** How long a run may stay suspended with no failure before its walks are woken (see {@link wait}). */
const wakeAfter = Duration.seconds(1)
/**
 * How often a run is polled: every 100 ms at first, each pause a quarter longer than the last up to half a second, and
 * every second while it sleeps until its next window. A short run is seen to end at once; a long one, or many waited
 * for side by side (a run per workspace on runners), does not cost its database ten queries a second each.
 */
const firstPoll = 100
const pollGrowth = 1.25
const longestPoll = 500
const pollSleeping = 1_000

/**
 * Waits for a started run: its summary once it is done, or `RunStopped` when it suspended on a failure. With
 * `committed`, returns as soon as the run has recorded its window, without waiting for what the workflow does after
 * (a `watch` run sleeps until its next window is due).
 *
 * A suspension with no failure is not a stop: the run sleeps on its durable clock until its next window (when it is
 * committed), or waits for a walk. On runners, a walk whose shard moved to another runner can be left suspended by
 * the page it had in flight; one that stays so for a second is woken here (as `start` wakes a stopped run), and the
 * run is resumed when its walks end.
 *
 * @since 0.1.0
 * @category runs
 */
export const wait = (
  started: Started,
  options?: { readonly committed?: boolean | undefined }
): Effect.Effect<Summary, RunStopped | CopyError, Copy | WorkflowEngine.WorkflowEngine> =>
  Effect.gen(function* () {
    const copy = yield* Copy
    const runId = started.plan.runId
    // Since when the run has been suspended with no failure while not committed (epoch ms).
    let idleSince: number | undefined
    let pause = firstPoll
    while (true) {
      const result = yield* SyncRun.poll(started.executionId)
      if (result !== undefined && result._tag === "Complete") {
        // With `SuspendOnFailure` a failed page suspends the run; a failure stored as its outcome is still a stop.
        return yield* Effect.catchAll(result.exit, (error) => new RunStopped({ runId, reason: error.message }))
      }
      const record = yield* copy.run(runId)
      // The summary is stored with the commit: a run that has one has recorded its window.
      const stored = Option.flatMap(record, (run) => Option.fromNullable(run.summary))
      const committed = Option.isSome(stored)
      if (options?.committed === true && Option.isSome(stored)) {
        const summary = yield* Effect.option(decodeSummary(stored.value))
        if (Option.isSome(summary)) return summary.value
      }
      if (result !== undefined && result.cause !== undefined) {
        const cause = result.cause
        const reason = Option.flatMap(record, (run) => Option.fromNullable(run.lastError))
        return yield* new RunStopped({ runId, reason: Option.getOrElse(reason, () => suspendedBy(cause)) })
      }
      const now = yield* Clock.currentTimeMillis
      if (result === undefined || committed) {
        idleSince = undefined
      } else if (idleSince === undefined) {
        idleSince = now
      } else if (now - idleSince >= Duration.toMillis(wakeAfter)) {
        yield* wake(started.executionId, started.plan, started.workspace)
        idleSince = undefined
      }
      yield* Effect.sleep(Duration.millis(result !== undefined && committed ? pollSleeping : pause))
      pause = Math.min(longestPoll, pause * pollGrowth)
    }
  })

/**
 * The last run, when it is committed but its workflow has not ended (a `watch` run sleeping until its next window):
 * a watcher restarted meanwhile waits for it rather than starting the next window early.
 *
 * @since 0.1.0
 * @category runs
 */
export const scheduled: Effect.Effect<
  Option.Option<Started>,
  CopyError,
  Copy | WorkflowEngine.WorkflowEngine
> = Effect.suspend(() => scheduledIn(undefined))

/**
 * {@link scheduled}, for the copy of `workspace` (see `RunOptions.workspace`).
 *
 * @since 0.1.0
 * @category runs
 */
export const scheduledIn = (
  workspace: string | undefined
): Effect.Effect<Option.Option<Started>, CopyError, Copy | WorkflowEngine.WorkflowEngine> =>
  Effect.gen(function* () {
    const copy = yield* Copy
    const last = (yield* copy.runs(1))[0]
    if (last === undefined || last.status !== "done") return Option.none()
    const executionId = yield* SyncRun.executionId(payload(last.plan, { workspace }, 0))
    const result = yield* SyncRun.poll(executionId)
    return result === undefined || (result._tag === "Suspended" && result.cause === undefined)
      ? Option.some({ plan: last.plan, resumed: true, executionId, workspace })
      : Option.none()
  })

/**
 * One run, started and waited for.
 *
 * @since 0.1.0
 * @category runs
 */
export const run = (
  options: RunOptions
): Effect.Effect<
  Summary,
  SyncError,
  Copy | WorkflowEngine.WorkflowEngine | IntercomClient.IntercomClient | Balance.Searches
> => Effect.flatMap(start(options), wait)

/**
 * One new run executed inline: the same plan, walks, writes and commit as {@link run}, each page its bare effect and
 * nothing kept for a resume, on no workflow engine. A process killed during it leaves a pending run that a durable
 * run resumes from its first page. It exists to measure what durability costs (the benchmark's S2); a copy kept
 * up to date should use {@link run}. A pending run in the store is refused (`PendingRun`): this never resumes one.
 *
 * @since 0.1.0
 * @category runs
 */
export const runInline = (
  options: Plan.Options
): Effect.Effect<Summary, SyncError, Copy | Run.Needs | IntercomClient.IntercomClient> =>
  Effect.gen(function* () {
    const copy = yield* Copy
    const pending = yield* copy.pending
    if (Option.isSome(pending)) {
      return yield* new PendingRun({ runId: pending.value.runId, startedAt: pending.value.startedAt })
    }
    return yield* Run.bodyInline(yield* begin(options))
  })
