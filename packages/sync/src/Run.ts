/**
 * A run as a durable workflow: every walk goes in steps of a few pages, each step an `Activity` of
 * `@effect/workflow` whose result (the position after its last page, and counts) the engine stores, so a process
 * killed at any moment replays the stored steps without fetching them and goes on from the first step that has no
 * stored result.
 *
 * The same body runs inline (each step is just its effect, see `Sync.runInline`) for comparison: what durability
 * costs is the difference.
 *
 * @since 0.1.0
 */
import { Activity, DurableClock, Workflow, type WorkflowEngine } from "@effect/workflow"
import type { Companies, Contacts, Conversations, Tickets } from "@intercom-effect/services"
import { Clock, Context, Duration, Effect, Layer, Schema } from "effect"
import { Copy, CopyError } from "./Copy.js"
import * as Pages from "./Pages.js"
import * as Plan from "./Plan.js"
import { Progress } from "./Progress.js"
import * as Workspaces from "./Workspaces.js"

/**
 * Counts of one resource in a run.
 *
 * @since 0.1.0
 * @category schemas
 */
export class Counts extends Schema.Class<Counts>("@intercom-effect/sync/Counts")({
  pages: Schema.Number,
  items: Schema.Number,
  removed: Schema.Number,
  requests: Schema.Number
}) {
  /** Nothing yet. */
  static readonly zero = new Counts({ pages: 0, items: 0, removed: 0, requests: 0 })
  /** These counts and `that`'s. */
  plus(that: Counts): Counts {
    return new Counts({
      pages: this.pages + that.pages,
      items: this.items + that.items,
      removed: this.removed + that.removed,
      requests: this.requests + that.requests
    })
  }
}

/**
 * What a run did, over every page it walked (including pages an earlier process of the same run fetched).
 *
 * @since 0.1.0
 * @category schemas
 */
export class Summary extends Schema.Class<Summary>("@intercom-effect/sync/Summary")({
  runId: Schema.String,
  until: Schema.Number,
  /** Searched windows and scrolls, per resource. */
  changes: Schema.Record({ key: Schema.String, value: Counts }),
  /** Reconciling list walks and sweeps, per resource. */
  reconciliation: Schema.Record({ key: Schema.String, value: Counts }),
  reconciled: Schema.Boolean
}) {
  /** Requests the run made in all. */
  get requests(): number {
    return [...Object.values(this.changes), ...Object.values(this.reconciliation)].reduce((n, c) => n + c.requests, 0)
  }
}

/**
 * How a run executes (not part of its plan: these may change when a run is resumed).
 *
 * @since 0.1.0
 * @category models
 */
export interface Config {
  /** Walks at the same time. */
  readonly concurrency: number
  /** Conversations (or swept ids) fetched at the same time within a page. */
  readonly fetchConcurrency: number
  /** How long a walk keeps retrying transient failures before the run stops (and waits to be resumed). */
  readonly patience: Duration.DurationInput
  /**
   * A step (an activity, whose result the engine stores) walks pages until they have taken this many requests, or
   * the walk ends: a page of contacts is one request, a page of conversations one and one per conversation. An
   * activity costs the engine about 9 ms of CPU (its request and reply are persisted messages of `@effect/cluster`),
   * about what fetching and storing a page of 150 contacts costs, so one activity per page would make a durable walk
   * about twice as expensive as an inline one (measured by the benchmark's S2); the price of more pages per step is
   * that a process killed during a step fetches its pages again when resumed. On a quiet machine 25 measured 1.19× the
   * inline CPU over 20,000 contacts; 50 measured 0.93× over 60,000 (S2): the default.
   */
  readonly requestsPerStep: number
  /**
   * A step also ends once it has run this long, whatever it has fetched. A step in flight is what a killed process,
   * or a runner handing its shards to one that joins, loses: with many walks sharing one budget a walk fetches a page
   * a second or so, and 50 requests would be a minute of its work, redone. 10 seconds bounds that, and costs nothing
   * to a walk that runs fast (50 requests take a second or two).
   */
  readonly stepTime: Duration.DurationInput
}

/**
 * @since 0.1.0
 * @category models
 */
export const defaultConfig: Config = {
  concurrency: 4,
  fetchConcurrency: 4,
  patience: "10 minutes",
  requestsPerStep: 50,
  stepTime: "10 seconds"
}

/**
 * The run's execution settings, as a service.
 *
 * @since 0.1.0
 * @category tags
 */
export class RunConfig extends Context.Reference<RunConfig>()("@intercom-effect/sync/RunConfig", {
  defaultValue: () => defaultConfig
}) {}

/**
 * Runs one named step and stores its result: an activity in a workflow, the bare effect inline. `X` is what storing
 * needs beyond the step's own effect (the workflow engine and instance for activities, nothing inline).
 *
 * @since 0.1.0
 * @category models
 */
export type Step<X = never> = <A, I, R>(
  name: string,
  success: Schema.Schema<A, I>,
  effect: Effect.Effect<A, Pages.PageError, R>
) => Effect.Effect<A, Pages.PageError, R | X>

/**
 * Steps as activities of the workflow being executed.
 *
 * @since 0.1.0
 * @category steps
 */
export const activities: Step<WorkflowEngine.WorkflowEngine | WorkflowEngine.WorkflowInstance> = (
  name,
  success,
  execute
) => Activity.make({ name, success, error: Pages.PageError, execute })

/**
 * Steps run as they are, nothing stored: the same walk without durability.
 *
 * @since 0.1.0
 * @category steps
 */
export const inline: Step = (_name, _success, effect) => effect

/**
 * What the body of a run needs besides its steps' storage.
 *
 * @since 0.1.0
 * @category models
 */
export type Needs =
  | Copy
  | Progress
  | Contacts.Contacts
  | Companies.Companies
  | Conversations.Conversations
  | Tickets.Tickets

/**
 * Walks pages from the start until one has no next, in steps named `<walk>/<n>`: each step walks pages from where
 * the last one ended until they have taken `requestsPerStep` requests or run for `stepTime` (see `Config`), and its result is the position
 * after its last page with the counts of all of them. A page that asks for a restart (an expired scroll) ends its
 * step and begins a new round, its steps named `<walk>/r<round>/<n>` so stored results of the first round are never
 * mistaken for the second's. Since every stored result holds the position after it, results stored with another
 * number of pages per step (an earlier version, or another setting) replay just as well.
 */
const walk = <X>(
  step: Step<X>,
  run: Pages.RunInfo,
  resource: Plan.Resource,
  key: string,
  page: (position: Pages.Next | null) => Effect.Effect<Pages.PageResult, Pages.PageError, Needs>
) =>
  Effect.gen(function* () {
    const { patience, requestsPerStep, stepTime } = yield* RunConfig
    const stepMillis = Duration.toMillis(stepTime)
    const copy = yield* Copy
    const progress = yield* Progress
    const patienceMillis = Duration.toMillis(patience)
    const fetched = (position: Pages.Next | null): Effect.Effect<Pages.PageResult, Pages.PageError, Needs> =>
      page(position).pipe(
        Pages.patiently(key, patienceMillis),
        Effect.tap((result) =>
          progress.page({
            resource,
            walk: key,
            items: result.items,
            removed: result.removed,
            done: result.next === null
          })
        ),
        // The run stops here and waits to be resumed; `status` shows why.
        Effect.tapError((error) =>
          Effect.flatMap(Clock.currentTimeMillis, (now) =>
            Effect.ignore(copy.failed(run.runId, `${key}: ${error.message}`, Math.floor(now / 1000)))
          )
        )
      )
    /** The pages of one step, from `start`: their counts summed, the position after the last. */
    const pages = (start: Pages.Next | null): Effect.Effect<Pages.PageResult, Pages.PageError, Needs> =>
      Effect.gen(function* () {
        let position = start
        let sum = { pages: 0, items: 0, requests: 0, removed: 0 }
        const began = yield* Clock.currentTimeMillis
        while (true) {
          const result = yield* fetched(position)
          sum = {
            pages: sum.pages + 1,
            items: sum.items + result.items,
            requests: sum.requests + result.requests,
            removed: sum.removed + result.removed
          }
          const elapsed = (yield* Clock.currentTimeMillis) - began
          if (result.restart || result.next === null || sum.requests >= requestsPerStep || elapsed >= stepMillis) {
            return new Pages.PageResult({ ...sum, next: result.next, restart: result.restart })
          }
          position = result.next
        }
      })
    let counts = Counts.zero
    let round = 1
    let n = 0
    let position: Pages.Next | null = null
    while (true) {
      n++
      const name = round === 1 ? `${key}/${n}` : `${key}/r${round}/${n}`
      const result: Pages.PageResult = yield* step(name, Pages.PageResult, pages(position))
      counts = counts.plus(
        new Counts({ pages: result.pages, items: result.items, removed: result.removed, requests: result.requests })
      )
      if (result.restart) {
        round++
        n = 0
        position = null
        continue
      }
      if (result.next === null) return counts
      position = result.next
    }
  })

const sum = (entries: ReadonlyArray<readonly [string, Counts]>): Record<string, Counts> => {
  const out: Record<string, Counts> = {}
  for (const [resource, counts] of entries) out[resource] = (out[resource] ?? Counts.zero).plus(counts)
  return out
}

/**
 * One walk of a run, named by its key: a partition's changes (`contacts:2/4`), a reconciling list walk
 * (`reconcile:contacts`) or a sweep (`sweep:companies`).
 *
 * @since 0.1.0
 * @category models
 */
export type Walk =
  | {
      readonly kind: "changes"
      readonly key: string
      readonly resource: Plan.Resource
      /** The partition whose changes it walks: a search by `updated_at`, or the companies' scroll. */
      readonly partition: Plan.Partition
    }
  | { readonly kind: "reconcile"; readonly key: string; readonly resource: "contacts" | "conversations" }
  | { readonly kind: "sweep"; readonly key: string; readonly resource: "contacts" | "conversations" | "companies" }

/**
 * The walks of a plan, in the three groups the body runs one after the other: the changes side by side; when the plan
 * reconciles, a walk over every contact and conversation id; then the sweeps (companies every run: a finished scroll
 * has seen them all).
 *
 * @since 0.1.0
 * @category runs
 */
export const walksOf = (
  plan: Plan.Plan
): {
  readonly changes: ReadonlyArray<Walk>
  readonly lists: ReadonlyArray<Walk>
  readonly sweeps: ReadonlyArray<Walk>
} => {
  const listed = plan.reconcile
    ? plan.resources.filter((r): r is "contacts" | "conversations" => r === "contacts" || r === "conversations")
    : []
  const swept = [...listed, ...plan.resources.filter((r): r is "companies" => r === "companies")]
  return {
    changes: plan.partitions.map(
      (partition): Walk => ({
        kind: "changes",
        key: partition.key,
        resource: partition.resource,
        partition
      })
    ),
    lists: listed.map((resource): Walk => ({ key: `reconcile:${resource}`, resource, kind: "reconcile" })),
    sweeps: swept.map((resource): Walk => ({ key: `sweep:${resource}`, resource, kind: "sweep" }))
  }
}

/** The walk of `plan` named `key`; a key the plan does not have is a stored payload this version cannot read. */
const walkNamed = (plan: Plan.Plan, key: string) => {
  const { changes, lists, sweeps } = walksOf(plan)
  const found = [...changes, ...lists, ...sweeps].find((w) => w.key === key)
  return found === undefined
    ? Effect.fail(new CopyError({ operation: "find a walk of the plan", detail: `${plan.runId} has no walk ${key}` }))
    : Effect.succeed(found)
}

/**
 * Walks one walk of `plan` from its first page to its last, in steps stored by `step`.
 *
 * @since 0.1.0
 * @category runs
 */
export const walkOne = <X>(plan: Plan.Plan, w: Walk, step: Step<X>) =>
  Effect.gen(function* () {
    const config = yield* RunConfig
    const run: Pages.RunInfo = {
      runId: plan.runId,
      until: plan.until,
      perPage: plan.perPage,
      timeZone: plan.timeZone,
      fetchConcurrency: config.fetchConcurrency
    }
    return yield* walk(step, run, w.resource, w.key, (position) => {
      switch (w.kind) {
        case "changes":
          return w.resource === "companies"
            ? Pages.companiesPage(run, position)
            : Pages.searchPage(w.partition, run, position)
        case "reconcile":
          return Pages.listPage(w.resource, run, position)
        case "sweep":
          return Pages.sweepPage(w.resource, run, position)
      }
    })
  })

/**
 * Runs one walk to its end and returns its counts: inline, the walk itself; durably, a child workflow of the run.
 *
 * @since 0.1.0
 * @category models
 */
export type Walker<X> = (walk: Walk) => Effect.Effect<Counts, Pages.PageError, X>

/**
 * The body of a run: the plan's walks (see {@link walksOf}), each group's walks side by side, then the commit, which
 * records the window as synced. The commit is a step too, so a run killed after it is not committed twice.
 *
 * @since 0.1.0
 * @category runs
 */
export const body = <X, Y>(plan: Plan.Plan, step: Step<X>, walker: Walker<Y>) =>
  Effect.gen(function* () {
    const config = yield* RunConfig
    const copy = yield* Copy
    const concurrency = Math.max(1, config.concurrency)
    const group = (walks: ReadonlyArray<Walk>) =>
      Effect.forEach(walks, (w) => Effect.map(walker(w), (counts) => [w.resource, counts] as const), {
        concurrency
      })
    const { changes, lists, sweeps } = walksOf(plan)
    const changed = yield* group(changes)
    const listed = yield* group(lists)
    const swept = yield* group(sweeps)
    const summary = new Summary({
      runId: plan.runId,
      until: plan.until,
      changes: sum(changed),
      reconciliation: sum([...listed, ...swept]),
      reconciled: plan.reconcile
    })
    const encoded = JSON.stringify(Schema.encodeSync(Summary)(summary))
    yield* step(
      "commit",
      Schema.Void,
      Effect.flatMap(Clock.currentTimeMillis, (now) => copy.finish(plan, encoded, Math.floor(now / 1000)))
    )
    return summary
  })

/**
 * A run's body with nothing stored: every walk inline, each step its bare effect.
 *
 * @since 0.1.0
 * @category runs
 */
export const bodyInline = (plan: Plan.Plan) => body(plan, inline, (w) => walkOne(plan, w, inline))

/**
 * One walk of a run as a workflow of its own: the unit a cluster spreads over its runners. Its execution is keyed by
 * (workspace, run, walk), so the walks of one workspace's run go to different shards, and a runner that dies takes
 * only the walks it was executing with it, to be resumed by the runner that takes their shards.
 *
 * @since 0.1.0
 * @category workflows
 */
export const SyncWalk = Workflow.make({
  name: "IntercomSyncWalk",
  payload: {
    /** The workspace, as the runners' `Workspaces` name it (`""` for a single one). */
    workspace: Schema.String,
    plan: Plan.Plan,
    key: Schema.String
  },
  success: Counts,
  error: Pages.PageError,
  idempotencyKey: ({ key, plan, workspace }) => `${workspace}/${plan.runId}/${key}`
}).annotate(Workflow.SuspendOnFailure, true)

/**
 * The run workflow. Its payload is the stored plan; its execution is keyed by the plan's `runId`. A failure that
 * outlasts the walk's patience suspends it (`SuspendOnFailure`) instead of ending it: resuming re-executes the failed
 * page and goes on, with every stored page kept.
 *
 * After the commit, a run started by `watch` sleeps on a `DurableClock` until its next window is due, so a watcher
 * restarted meanwhile neither starts the next window early nor forgets it.
 *
 * @since 0.1.0
 * @category workflows
 */
export const SyncRun = Workflow.make({
  name: "IntercomSyncRun",
  payload: {
    plan: Plan.Plan,
    /**
     * The workspace, as the runners' `Workspaces` name it; absent for a single workspace (and in runs stored before
     * there could be several).
     */
    workspace: Schema.optional(Schema.String),
    /** For `watch`: how long after this run started the next one is due (ms); `null` for a single run. */
    everyMillis: Schema.NullOr(Schema.Number),
    /** When the run was started, on this machine's clock (epoch ms): the next window is due `everyMillis` later. */
    startedAt: Schema.Number
  },
  success: Summary,
  // Never stored as an outcome: with `SuspendOnFailure` a failed page suspends the run instead.
  error: Pages.PageError,
  idempotencyKey: ({ plan, workspace }) => (workspace === undefined ? plan.runId : `${workspace}/${plan.runId}`)
}).annotate(Workflow.SuspendOnFailure, true)

/**
 * The workflows' implementation: each run and walk executed with the services of its workspace.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerWorkspaces: Layer.Layer<never, never, WorkflowEngine.WorkflowEngine | Workspaces.Workspaces> =
  Layer.mergeAll(
    SyncRun.toLayer(({ everyMillis, plan, startedAt, workspace }) =>
      Effect.gen(function* () {
        const workspaces = yield* Workspaces.Workspaces
        const name = workspace ?? ""
        const summary = yield* workspaces.use(
          name,
          body(plan, activities, (w) => SyncWalk.execute({ workspace: name, plan, key: w.key }))
        )
        if (everyMillis !== null) {
          // The payload is stored with the run, so the time it is due is the same however often the run is replayed;
          // the sleep is what is left of it. Counted on this machine's clock, as the cadence is this machine's.
          const now = yield* Clock.currentTimeMillis
          yield* DurableClock.sleep({ name: "next-window", duration: Math.max(0, startedAt + everyMillis - now) })
        }
        return summary
      })
    ),
    SyncWalk.toLayer(({ key, plan, workspace }) =>
      Effect.flatMap(Workspaces.Workspaces, (workspaces) =>
        workspaces.use(
          workspace,
          Effect.flatMap(walkNamed(plan, key), (w) => walkOne(plan, w, activities))
        )
      )
    )
  )

/**
 * The workflows over the services of one workspace in context (the embedded sync).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<never, never, WorkflowEngine.WorkflowEngine | Workspaces.Provided> =
  layerWorkspaces.pipe(Layer.provide(Workspaces.single))

/**
 * The same as {@link layer}.
 *
 * @since 0.1.0
 * @category layers
 */
export const workflows: Layer.Layer<never, never, WorkflowEngine.WorkflowEngine | Workspaces.Provided> = layer
