/**
 * A run's plan: what it walks and between which days, fixed before its first request and stored, so a run resumed
 * an hour or a week later walks exactly what it set out to walk. Nothing in a plan is read from the clock again.
 *
 * @since 0.1.0
 */
import { Duration, Schema } from "effect"
import * as Window from "./Window.js"

/**
 * What a sync copies.
 *
 * @since 0.1.0
 * @category resources
 */
export const resources = ["contacts", "companies", "conversations", "tickets"] as const

/**
 * @since 0.1.0
 * @category resources
 */
export type Resource = (typeof resources)[number]

/**
 * @since 0.1.0
 * @category schemas
 */
export const Resource = Schema.Literal(...resources)

/**
 * One walk of a run: a resource between two day starts (`from` inclusive, `to` exclusive, `null` open), searched by
 * `updated_at`; companies, which have no search, are one scroll over them all.
 *
 * @since 0.1.0
 * @category schemas
 */
export class Partition extends Schema.Class<Partition>("@intercom-effect/sync/Partition")({
  resource: Resource,
  /** Names the walk in progress reports and in the workflow's activity names: `contacts:2/4`. */
  key: Schema.String,
  from: Schema.NullOr(Schema.Number),
  to: Schema.NullOr(Schema.Number)
}) {}

/**
 * The stored plan of a run.
 *
 * @since 0.1.0
 * @category schemas
 */
export class Plan extends Schema.Class<Plan>("@intercom-effect/sync/Plan")({
  /** Unique in its store; the workflow execution is keyed by it. */
  runId: Schema.String,
  resources: Schema.Array(Resource),
  timeZone: Schema.String,
  /** The server's clock when the run was planned (unix seconds): the window ends here. */
  until: Schema.Number,
  perPage: Schema.Int,
  /** How many partitions a window of several days was asked to be split into. */
  partitionCount: Schema.Int,
  partitions: Schema.Array(Partition),
  /** Whether this run also walks every id to find deleted and merged items. */
  reconcile: Schema.Boolean,
  /** A first run: it walks everything, so it counts as a reconciliation. */
  full: Schema.Boolean,
  /** The search lag the windows allowed for, in seconds. */
  searchLag: Schema.Number
}) {}

/**
 * A plan as stored (JSON text).
 *
 * @since 0.1.0
 * @category schemas
 */
export const PlanFromJson = Schema.parseJson(Plan)

/**
 * What a user asks a run for. Only `resources`, `timeZone`, `perPage` and `partitions` shape a plan; the rest may
 * change between a run and its resumption.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly resources: ReadonlyArray<Resource>
  /** The workspace's timezone (IANA name), in which search compares dates by calendar day. */
  readonly timeZone: string
  /** Items per page; Intercom allows up to 150. */
  readonly perPage: number
  /** Split a window of several days into this many `updated_at` partitions walked side by side. */
  readonly partitions: number
  /** How long a new item may stay invisible to search; the windows overlap by at least that much. */
  readonly searchLag: Duration.DurationInput
  /** Reconcile ids (find deleted and merged items) when the last reconciliation is at least this old. */
  readonly reconcileEvery: Duration.DurationInput
  /** The oldest day a first run's partitions start from (unix seconds); older items fall in the first partition. */
  readonly firstDay: number
}

/**
 * Everything, in full pages, as one walk per resource, reconciling once a day.
 *
 * A search lag of 30 minutes covers the few minutes Intercom takes with a wide margin; what it costs is that a
 * window starting just after a midnight searches the previous day again.
 *
 * @since 0.1.0
 * @category models
 */
export const defaults: Options = {
  resources,
  timeZone: "UTC",
  perPage: 150,
  partitions: 1,
  searchLag: "30 minutes",
  reconcileEvery: "1 day",
  firstDay: Date.UTC(2011, 0, 1) / 1000
}

/**
 * Where each resource stood after the last finished run.
 *
 * @since 0.1.0
 * @category models
 */
export interface History {
  /** The end of the last finished window per resource (unix seconds); absent: never synced. */
  readonly syncedUntil: Partial<Record<Resource, number>>
  /** When ids were last reconciled (unix seconds of the server's clock), if ever. */
  readonly reconciledAt: number | null
}

/**
 * The day starts bounding a resource's partitions, first to last, when they were chosen by the items they hold (see
 * `Balance`) rather than as even runs of days.
 *
 * @since 0.2.0
 * @category models
 */
export type Bounds = Partial<Record<Resource, ReadonlyArray<number>>>

/**
 * Where a resource's window starts and ends (day starts, `end` excluded): what its partitions split.
 *
 * @since 0.2.0
 * @category constructors
 */
export const windowOf = (
  since: number | null,
  now: number,
  options: Pick<Options, "timeZone" | "firstDay">
): { readonly first: number; readonly end: number } => ({
  first: since ?? Window.startOfDay(options.firstDay, options.timeZone),
  end: Window.nextDay(Window.startOfDay(now, options.timeZone), options.timeZone)
})

/** The partitions of one resource's window: the given bounds, or at most `count` even runs of whole days. */
const partitionsOf = (
  resource: Resource,
  since: number | null,
  now: number,
  options: Options,
  given: ReadonlyArray<number> | undefined
): Array<Partition> => {
  const tz = options.timeZone
  const { end, first } = windowOf(since, now, options)
  const bounds = given !== undefined && given.length >= 2 ? given : Window.split(first, end, options.partitions, tz)
  const n = bounds.length - 1
  if (n === 1) return [new Partition({ resource, key: resource, from: since, to: null })]
  return bounds.slice(0, -1).map(
    (start, i) =>
      new Partition({
        resource,
        key: `${resource}:${i + 1}/${n}`,
        // The first partition of a first run is open below (items older than `firstDay`), the last is always open
        // above (items changed while the run goes on are taken, not skipped).
        from: i === 0 ? since : start,
        to: i === n - 1 ? null : bounds[i + 1]!
      })
  )
}

/**
 * Where a resource's next window starts: the day its last window ended in, less the search lag; `null` when it was
 * never synced (its first window is open below).
 *
 * @since 0.2.0
 * @category constructors
 */
export const sinceOf = (resource: Resource, options: Options, history: History): number | null => {
  const previous = history.syncedUntil[resource]
  return previous === undefined
    ? null
    : Window.nextSince(previous, Duration.toSeconds(options.searchLag), options.timeZone)
}

/**
 * The plan of the next run, from what was synced before and the server's clock `now` (unix seconds). A resource's
 * partitions are even runs of days unless `bounds` gives them.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (runId: string, options: Options, history: History, now: number, bounds: Bounds = {}): Plan => {
  const tz = options.timeZone
  const lag = Duration.toSeconds(options.searchLag)
  const partitions = options.resources.flatMap((resource) => {
    if (resource === "companies") return [new Partition({ resource, key: resource, from: null, to: null })]
    return partitionsOf(resource, sinceOf(resource, options, history), now, options, bounds[resource])
  })
  const everSynced = options.resources.some((resource) => history.syncedUntil[resource] !== undefined)
  const reconcile =
    everSynced &&
    (history.reconciledAt === null || now - history.reconciledAt >= Duration.toSeconds(options.reconcileEvery))
  return new Plan({
    runId,
    resources: [...options.resources],
    timeZone: tz,
    until: now,
    perPage: options.perPage,
    partitionCount: options.partitions,
    partitions,
    reconcile,
    full: !everSynced,
    searchLag: lag
  })
}

/**
 * How `options` differ from a stored plan, one phrase per difference (empty: they agree).
 *
 * @since 0.1.0
 * @category constructors
 */
export const differences = (plan: Plan, options: Options): Array<string> => {
  const out: Array<string> = []
  const asked = [...options.resources].sort().join(",")
  const stored = [...plan.resources].sort().join(",")
  if (asked !== stored) out.push(`resources ${asked} (stored: ${stored})`)
  if (options.timeZone !== plan.timeZone) out.push(`timezone ${options.timeZone} (stored: ${plan.timeZone})`)
  if (options.perPage !== plan.perPage) out.push(`per page ${options.perPage} (stored: ${plan.perPage})`)
  if (options.partitions !== plan.partitionCount) {
    out.push(`partitions ${options.partitions} (stored: ${plan.partitionCount})`)
  }
  return out
}
