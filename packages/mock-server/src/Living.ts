/**
 * A living workspace: a mock whose records change while a client reads them, on a clock of its own that only the
 * test moves, in a way the test can predict exactly.
 *
 * - **The workspace clock** starts at `start` and moves only by `advance` / `advanceTo`. Every timestamp the mock
 *   writes on records, every "now" the routes use for data (search lag, the 90 days of events) and the `Date`
 *   header of every response come from it. Rate-limit windows, export jobs and the company scroll's idle timeout
 *   keep Effect's `Clock`: they are about the client's pace, not the data.
 * - **Scheduled changes** are a pure function of the seed, the options and the time ({@link schedule}): each
 *   simulated hour (aligned to the epoch) draws from its own seeded stream how many changes of each kind happen in it
 *   and at which second. `advanceTo(t)` applies, in time order, every change due in (now, t], each stamped with its
 *   own time; which record a change touches is drawn when it is applied, from the state at that moment. So the
 *   workspace at time T is the same whatever steps the clock took to get there, as long as nothing else writes to
 *   it in between.
 * - **Every change moves the `updated_at` of every record it changes**, so a sync by `updated_at` can see all of
 *   them: merges and deletions pick contacts without companies or conversations, company deletions pick companies
 *   without contacts, and no change renames a tag or an external id.
 *
 * @since 0.2.0
 */
import { Data, Duration, Either, Option, Schema } from "effect"
import * as Activity from "./internal/activity.js"
import * as Prng from "./internal/prng.js"
import * as Search from "./Search.js"
import * as Seed from "./Seed.js"
import type { Store } from "./State.js"

/**
 * The kinds of change a living workspace makes, each at its own rate per simulated hour.
 *
 * @since 0.2.0
 * @category models
 */
export type ChangeKind =
  | "contacts.created"
  | "contacts.updated"
  | "contacts.merged"
  | "contacts.deleted"
  | "companies.created"
  | "companies.updated"
  | "companies.deleted"
  | "conversations.created"
  | "conversations.updated"
  | "conversations.parts"
  | "conversations.deleted"
  | "tickets.created"
  | "tickets.updated"

/**
 * Changes per simulated hour when the options name no other rate: a small workspace (the mock's default 100
 * contacts) visibly alive within hours, with a merge and a deletion every other hour.
 *
 * @since 0.2.0
 * @category constants
 */
export const defaultRates: Readonly<Record<ChangeKind, number>> = {
  "contacts.created": 6,
  "contacts.updated": 20,
  "contacts.merged": 0.5,
  "contacts.deleted": 0.5,
  "companies.created": 0.5,
  "companies.updated": 2,
  "companies.deleted": 0.25,
  "conversations.created": 3,
  "conversations.updated": 6,
  "conversations.parts": 20,
  "conversations.deleted": 0.25,
  "tickets.created": 1,
  "tickets.updated": 2
}

/**
 * Every kind of change, in the order a simulated hour draws them.
 *
 * @since 0.2.0
 * @category constants
 */
export const changeKinds: ReadonlyArray<ChangeKind> = Object.keys(defaultRates) as Array<ChangeKind>

/**
 * How a living workspace lives. Everything has a default.
 *
 * @since 0.2.0
 * @category models
 */
export interface Options {
  /**
   * The workspace clock at the start, in epoch milliseconds or as a `Date`; the seeded history ends there. Defaults
   * to 2024-06-01T00:00:00Z, the end of the seed's default history.
   */
  readonly start?: number | Date | undefined
  /** Changes per simulated hour, by kind (see {@link defaultRates}); a fraction is a chance per hour. */
  readonly rates?: Partial<Record<ChangeKind, number>> | undefined
  /** How long a new contact, conversation or ticket stays out of search results. Defaults to 3 minutes. */
  readonly searchLag?: Duration.DurationInput | undefined
  /** The workspace's IANA timezone, whose calendar days searches compare dates by. Defaults to "UTC". */
  readonly timezone?: string | undefined
  /**
   * Conversations that grow by `partsPerHour` parts every simulated hour besides the parts of
   * `conversations.parts`, so that they pass the 500 parts `GET /conversations/{id}` sends within a run. Defaults
   * to 2 conversations and 60 parts an hour (at most 100, so a client reading every few hours sees every part).
   */
  readonly longConversations?:
    | { readonly count?: number | undefined; readonly partsPerHour?: number | undefined }
    | undefined
  /**
   * No change is scheduled after this time (epoch milliseconds or a `Date`): the workspace goes quiet, so a test can
   * let search catch up with the last changes and expect a copy to hold all of them.
   */
  readonly quietAfter?: number | Date | undefined
}

/**
 * Options with every default filled in and checked.
 *
 * @since 0.2.0
 * @category models
 */
export interface Config {
  /** Epoch milliseconds. */
  readonly start: number
  readonly rates: Readonly<Record<ChangeKind, number>>
  /** Milliseconds. */
  readonly searchLag: number
  /** The canonical IANA name. */
  readonly timezone: string
  readonly longConversations: { readonly count: number; readonly partsPerHour: number }
  /** Epoch milliseconds; `Infinity` when the workspace never goes quiet. */
  readonly quietAfter: number
}

/**
 * The default start: 2024-06-01T00:00:00Z.
 *
 * @since 0.2.0
 * @category constants
 */
export const defaultStart = Seed.defaultUntil * 1000

/**
 * The default search lag, 3 minutes.
 *
 * @since 0.2.0
 * @category constants
 */
export const defaultSearchLag: Duration.Duration = Duration.minutes(3)

/**
 * The most changes of one kind per simulated hour, and the most parts a long conversation gains per hour.
 *
 * @since 0.2.0
 * @category constants
 */
export const limits = { ratePerHour: 10_000, longConversations: 100, partsPerHour: 100 } as const

/**
 * The longest single advance of the clock: a year of changes applied at once already takes a while.
 *
 * @since 0.2.0
 * @category constants
 */
export const maxAdvance: Duration.Duration = Duration.days(366)

const HOUR = 3_600_000
// The largest time a JavaScript Date holds.
const MAX_TIME = 8.64e15

/**
 * Options a living workspace cannot run with, naming the option.
 *
 * @since 0.2.0
 * @category errors
 */
export class InvalidOptions extends Data.TaggedError("InvalidOptions")<{
  readonly option: string
  readonly message: string
}> {}

/**
 * Why the clock did not move: the mock is not living, the time asked for is before now, too far ahead, or not a
 * time at all. Nothing changed.
 *
 * @since 0.2.0
 * @category errors
 */
export class AdvanceError extends Data.TaggedError("AdvanceError")<{
  readonly reason: "NotLiving" | "Backwards" | "TooFar" | "Invalid"
  readonly message: string
}> {}

const invalid = (option: string, message: string) => Either.left(new InvalidOptions({ option, message }))

const count = (option: string, value: number | undefined, fallback: number, max: number) =>
  value === undefined
    ? Either.right(fallback)
    : Number.isSafeInteger(value) && value >= 0 && value <= max
      ? Either.right(value)
      : invalid(option, `${option} must be a whole number from 0 to ${max}, got ${value}`)

/**
 * Checks `options` and fills in the defaults.
 *
 * @since 0.2.0
 * @category constructors
 */
export const resolve = (options: Options = {}): Either.Either<Config, InvalidOptions> =>
  Either.gen(function* () {
    const startInput = options.start ?? defaultStart
    const start = startInput instanceof Date ? startInput.getTime() : startInput
    if (!Number.isSafeInteger(start) || start < 0 || start > MAX_TIME) {
      return yield* invalid("start", `start must be a time from 1970 on in whole epoch milliseconds, got ${start}`)
    }
    const rates: Record<ChangeKind, number> = { ...defaultRates }
    for (const [kind, rate] of Object.entries(options.rates ?? {})) {
      if (!(changeKinds as ReadonlyArray<string>).includes(kind)) {
        return yield* invalid("rates", `unknown change "${kind}"; the changes are ${changeKinds.join(", ")}`)
      }
      if (rate === undefined) continue
      if (!Number.isFinite(rate) || rate < 0 || rate > limits.ratePerHour) {
        return yield* invalid(
          "rates",
          `the rate of ${kind} must be from 0 to ${limits.ratePerHour} an hour, got ${rate}`
        )
      }
      rates[kind as ChangeKind] = rate
    }
    const lag = Duration.decodeUnknown(options.searchLag ?? defaultSearchLag)
    if (Option.isNone(lag) || !Duration.isFinite(lag.value)) {
      return yield* invalid("searchLag", `searchLag must be a finite duration, got ${String(options.searchLag)}`)
    }
    const timezone = Search.timezoneName(options.timezone ?? "UTC")
    if (timezone === undefined) {
      return yield* invalid("timezone", `timezone must be an IANA name such as Europe/Dublin, got ${options.timezone}`)
    }
    const quietInput = options.quietAfter ?? Number.POSITIVE_INFINITY
    const quietAfter = quietInput instanceof Date ? quietInput.getTime() : quietInput
    if (Number.isNaN(quietAfter) || quietAfter < 0) {
      return yield* invalid("quietAfter", `quietAfter must be a time in epoch milliseconds, got ${quietAfter}`)
    }
    const long = options.longConversations ?? {}
    return {
      quietAfter,
      start,
      rates,
      searchLag: Duration.toMillis(lag.value),
      timezone,
      longConversations: {
        count: yield* count("longConversations.count", long.count, 2, limits.longConversations),
        partsPerHour: yield* count("longConversations.partsPerHour", long.partsPerHour, 60, limits.partsPerHour)
      }
    }
  })

/**
 * One scheduled change: when, what kind, and where it was drawn (the hour and its index there), which seeds the
 * draws that shape it when it is applied.
 *
 * @since 0.2.0
 * @category models
 */
export interface Planned {
  /** Epoch milliseconds, on a whole second. */
  readonly at: number
  readonly kind: ChangeKind
  /** Which long conversation (by index) a part goes to; absent for the parts of `conversations.parts`. */
  readonly long?: number | undefined
  /** The simulated hour, counted from the epoch. */
  readonly hour: number
  readonly index: number
}

const hourOf = (millis: number) => Math.floor(millis / HOUR)

/** The changes of one simulated hour, in the order they apply. */
const changesOf = (seed: number | string, config: Config, hour: number): Array<Planned> => {
  const rng = Prng.make(seed, `living/${hour}`)
  const planned: Array<Planned> = []
  const at = () => hour * HOUR + rng.int(0, 3599) * 1000
  for (const kind of changeKinds) {
    const rate = config.rates[kind]
    const whole = Math.floor(rate)
    const n = whole + (rng.chance(rate - whole) ? 1 : 0)
    for (let i = 0; i < n; i++) planned.push({ at: at(), kind, hour, index: planned.length })
  }
  for (let long = 0; long < config.longConversations.count; long++) {
    for (let i = 0; i < config.longConversations.partsPerHour; i++) {
      planned.push({ at: at(), kind: "conversations.parts", long, hour, index: planned.length })
    }
  }
  // Drawn first and dropped after, so a quiet time changes nothing of what comes before it.
  return planned.filter((change) => change.at <= config.quietAfter).sort((a, b) => a.at - b.at || a.index - b.index)
}

/**
 * Every change due after `after` and up to `until` (epoch milliseconds), in the order they apply: a pure function
 * of the seed, the options and the times, so a test can tell in advance what an advance will do.
 *
 * @since 0.2.0
 * @category scheduling
 */
export const schedule = (seed: number | string, config: Config, after: number, until: number): Array<Planned> => {
  const due: Array<Planned> = []
  for (let hour = hourOf(after); hour <= hourOf(until); hour++) {
    for (const change of changesOf(seed, config, hour)) if (change.at > after && change.at <= until) due.push(change)
  }
  return due
}

/**
 * The answer to an advance: the new time and how many changes were applied; a change that finds nothing to act on
 * (no lead without conversations to merge, say) is skipped.
 *
 * @since 0.2.0
 * @category schemas
 */
export const Advanced = Schema.Struct({
  /** The workspace clock after the advance, in epoch milliseconds. */
  now: Schema.Number,
  applied: Schema.Number,
  skipped: Schema.Number
}).annotations({ identifier: "Advanced" })

/**
 * The answer to an advance.
 *
 * @since 0.2.0
 * @category models
 */
export interface Advanced extends Schema.Schema.Type<typeof Advanced> {}

/**
 * The engine of a living workspace: its clock, its schedule, and the store it changes.
 *
 * @since 0.2.0
 * @category models
 */
export class Workspace {
  private readonly context: Activity.Context

  constructor(
    readonly store: Store,
    readonly seed: number | string,
    readonly config: Config
  ) {
    store.clock = config.start
    store.searchLag = config.searchLag
    store.calendar = Search.calendar(config.timezone)
    this.context = { store, seed, long: Activity.chooseLong(store, seed, config.longConversations.count) }
  }

  /** The workspace clock, in epoch milliseconds. */
  get now(): number {
    return this.store.clock!
  }

  /** The ids of the conversations that grow by `longConversations.partsPerHour` an hour. */
  get longConversations(): ReadonlyArray<string> {
    return this.context.long
  }

  /** Moves the clock to `target` (epoch milliseconds), applying every change due on the way. */
  advanceTo(target: number): Either.Either<Advanced, AdvanceError> {
    const from = this.now
    if (!Number.isSafeInteger(target) || target > MAX_TIME) {
      return Either.left(
        new AdvanceError({ reason: "Invalid", message: `a time is whole epoch milliseconds, got ${target}` })
      )
    }
    if (target < from) {
      return Either.left(
        new AdvanceError({
          reason: "Backwards",
          message: `the workspace clock only moves forward: it is at ${new Date(from).toISOString()}, asked for ${new Date(target).toISOString()}`
        })
      )
    }
    if (target - from > Duration.toMillis(maxAdvance)) {
      return Either.left(
        new AdvanceError({
          reason: "TooFar",
          message: `one advance moves the clock ${Duration.format(maxAdvance)} at most; advance in several steps`
        })
      )
    }
    let applied = 0
    let skipped = 0
    for (let hour = hourOf(from); hour <= hourOf(target); hour++) {
      for (const change of changesOf(this.seed, this.config, hour)) {
        if (change.at <= from || change.at > target) continue
        // The routes' "now" is the change's own time while it is applied.
        this.store.clock = change.at
        if (Activity.apply(this.context, change)) applied++
        else skipped++
      }
    }
    this.store.clock = target
    return Either.right({ now: target, applied, skipped })
  }

  /** Moves the clock forward by `duration`, applying every change due on the way. */
  advance(duration: Duration.DurationInput): Either.Either<Advanced, AdvanceError> {
    const decoded = Duration.decodeUnknown(duration)
    if (Option.isNone(decoded) || !Duration.isFinite(decoded.value)) {
      return Either.left(
        new AdvanceError({ reason: "Invalid", message: `cannot advance by ${String(duration)}: not a finite duration` })
      )
    }
    return this.advanceTo(this.now + Math.round(Duration.toMillis(decoded.value)))
  }
}
