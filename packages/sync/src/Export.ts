/**
 * The export: every contact, company and conversation of a workspace into a `Store`, page by page, each page's items
 * stored together with the position after it. A walk that was interrupted resumes right after its last stored page;
 * a finished walk is skipped. Contacts may be walked as partitions (search by `created_at` day ranges) merged with
 * bounded concurrency, each partition resumable on its own.
 *
 * An export is the one-off beside a sync's runs: a file (SQLite or NDJSON) holding what the workspace held, written
 * without the workflow engine, in one process, and resumable from the file alone. What must stay right for months
 * is a sync's (`Sync.run`).
 *
 * @since 0.1.0
 */
import type { IntercomError } from "@intercom-effect/http"
import type { Paginate, Position } from "@intercom-effect/pagination"
import { SearchQuery } from "@intercom-effect/schemas"
import { Companies, Contacts, Conversations, Paging } from "@intercom-effect/services"
import { Clock, Context, Data, type Duration, Effect, Layer, Option, Stream } from "effect"
import {
  type Item,
  type Plan,
  type Progress,
  type Resource,
  type Service as StoreService,
  Store,
  type StoreError
} from "./ExportStore.js"
import * as Balance from "./Balance.js"
import * as Patience from "./Patience.js"
import * as Window from "./Window.js"

/**
 * What to export, and how.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly resources: ReadonlyArray<Resource>
  /** Items per page (Intercom allows up to 150). */
  readonly perPage: number
  /** Contacts in this many `created_at` partitions (1: one list walk). */
  readonly partitions: number
  /** Partitions walked at the same time. */
  readonly concurrency: number
  /**
   * The earliest `created_at` the partitions cover (unix seconds); contacts created before are in the first. When
   * omitted, the day of the oldest contact (see {@link oldestCreatedAt}).
   */
  readonly since?: number | undefined
  /** The latest `created_at` the partitions cover; now when omitted. Contacts created after are in the last. */
  readonly until?: number | undefined
  /**
   * The workspace's timezone (IANA name): Intercom's search compares dates by whole days there, so the partitions'
   * bounds must be its midnights, or a day at a bound falls in neither range. UTC when omitted on a store's first
   * run; a resumed run keeps the stored one.
   */
  readonly timeZone?: string | undefined
  /**
   * How long a walk may go without storing a page, failing and trying again, before the export fails (see
   * `Patience`). 0: the first failure after the client's own retries ends the export.
   */
  readonly patience: Duration.DurationInput
  /** The first pause of that patience, doubling up to a minute; 5 seconds when omitted. */
  readonly firstPause?: Duration.DurationInput | undefined
}

/**
 * Sensible defaults: everything, full pages, contacts in one walk, ten minutes of patience.
 *
 * @since 0.1.0
 * @category models
 */
export const defaults: Options = {
  resources: ["contacts", "companies", "conversations"],
  perPage: 150,
  partitions: 1,
  concurrency: 4,
  patience: Patience.defaultPatience
}

/** Intercom opened in 2011: no workspace holds a contact created before. */
const intercomEpoch = Date.UTC(2011, 0, 1) / 1000

/**
 * One stored page, for whoever reports progress.
 *
 * @since 0.1.0
 * @category reporting
 */
export interface PageEvent {
  readonly resource: Resource
  readonly walk: string
  readonly items: number
  readonly done: boolean
}

/**
 * A walk that failed and waits before it tries again, for whoever reports progress.
 *
 * @since 0.1.0
 * @category reporting
 */
export interface WaitEvent {
  readonly walk: string
  /** What failed (an Intercom error's message names the call, the status and the request id). */
  readonly error: string
  readonly delay: Duration.Duration
  /** The patience left once this wait is over. */
  readonly left: Duration.Duration
}

/**
 * Where progress goes (a terminal, a log, nowhere).
 *
 * @since 0.1.0
 * @category reporting
 */
export class Reporter extends Context.Tag("@intercom-effect/sync/Export/Reporter")<
  Reporter,
  {
    readonly walkStarted: (walk: string, resumed: boolean) => Effect.Effect<void>
    readonly page: (event: PageEvent) => Effect.Effect<void>
    readonly waiting: (event: WaitEvent) => Effect.Effect<void>
  }
>() {
  /** Reports nothing. */
  static readonly silent: Layer.Layer<Reporter> = Layer.succeed(Reporter, {
    walkStarted: () => Effect.void,
    page: () => Effect.void,
    waiting: () => Effect.void
  })
}

/**
 * The store holds an export planned otherwise: its contacts in other partitions. Walking other partitions would
 * resume stored cursors in other queries.
 *
 * @since 0.1.0
 * @category errors
 */
export class PlanMismatch extends Data.TaggedError("PlanMismatch")<{
  readonly stored: Plan
  readonly asked: Plan
}> {
  override get message(): string {
    const describe = (plan: Plan) =>
      `${plan.contacts.partitions} partitions of contacts created from ${day(plan.contacts.since)} to ${day(plan.contacts.until)} (${plan.contacts.timeZone} days)`
    return `this store holds an export of ${describe(this.stored)}, not ${describe(this.asked)}`
  }

  /** What to do about it. */
  get fix(): string {
    const { partitions, since, timeZone, until } = this.stored.contacts
    return `continue it with --partitions ${partitions} --since ${day(since)} --until ${day(until)} --timezone ${timeZone} (or without --since, --until and --timezone), or export into another --out`
  }
}

const day = (seconds: number): string => new Date(seconds * 1000).toISOString().slice(0, 10)

/**
 * What a run did.
 *
 * @since 0.1.0
 * @category models
 */
export interface Summary {
  /** Items the store holds per resource at the end. */
  readonly stored: Readonly<Record<Resource, number>>
  /** Pages fetched and stored by this run. */
  readonly pages: number
  /** Walks this run picked up where an earlier run stopped, and walks it found already finished. */
  readonly resumed: number
  readonly skipped: number
  readonly millis: number
}

/** A position of the paging style `T`. */
type PositionOf<T extends Position.Position["_tag"]> = Extract<Position.Position, { readonly _tag: T }>

/** A position stored for one paging style but read back for another: the store belongs to another export. */
const positionOf = <T extends Position.Position["_tag"]>(
  walk: string,
  tag: T,
  progress: Option.Option<Progress>
): Effect.Effect<PositionOf<T> | undefined> =>
  Option.match(
    Option.flatMap(progress, (p) => p.position),
    {
      onNone: () => Effect.succeed(undefined),
      onSome: (position) =>
        position._tag === tag
          ? Effect.succeed(position as PositionOf<T>)
          : Effect.dieMessage(`walk ${walk}: stored a ${position._tag} position, expected ${tag}`)
    }
  )

const UTC = "UTC"

/**
 * Day-aligned `created_at` ranges over the days from `since`'s to `until`'s (its midnight, or the next one): at most
 * `count`, the first open below, the last open above, so every contact falls in one. Days are days of `timeZone`
 * (the workspace's), the days Intercom's search compares by. The ranges are even runs of days, or lie between
 * `days` (day starts, first to last) when given: the bounds a plan recorded.
 *
 * @since 0.1.0
 * @category planning
 */
export const partitionsOf = (
  since: number,
  until: number,
  count: number,
  timeZone: string = UTC,
  days?: ReadonlyArray<number>
): Array<SearchQuery.Query> => {
  const zone = Window.zone(timeZone)
  const first = SearchQuery.startOfDay(since, zone)
  const bounds = days ?? Window.split(first, SearchQuery.ceilDay(until, zone), count, timeZone)
  const n = bounds.length - 1
  // Whole days of the workspace (`SearchQuery.days`); the outer ranges are open, so that a contact older than `since`
  // or newer than `until` still falls in one (a single range is everything).
  return bounds.slice(0, -1).map((start, i) =>
    SearchQuery.days("created_at", {
      from: i === 0 ? undefined : start,
      to: i === n - 1 ? undefined : bounds[i + 1]!,
      timeZone: zone
    })
  )
}

const DAY = 86_400

/**
 * The UTC midnight of the day the oldest contact created before `until` was created, or none without contacts.
 *
 * Search has no sort in API 2.10 (the body takes `query` and `pagination` only) and the order of `GET /contacts` is
 * not documented, so no single page can be trusted to hold the oldest. Instead a binary search over days: "is any
 * contact created before day d?" is one search of one item, and a contact found moves the upper bound to its own
 * day. About 13 small calls for 15 years of days, whatever the workspace's size.
 *
 * @since 0.1.0
 * @category planning
 */
export const oldestCreatedAt = (
  contacts: Contacts.Service,
  until: number
): Effect.Effect<Option.Option<number>, IntercomError.IntercomError> =>
  Effect.gen(function* () {
    // The day of some contact created before day `d` (days since the epoch), if there is one.
    const before = (d: number) =>
      Effect.map(
        contacts.searchPage({ query: SearchQuery.days("created_at", { to: d * DAY }), pagination: { per_page: 1 } }),
        (page): Option.Option<number> =>
          page.data.length === 0
            ? Option.none()
            : Option.some(
                typeof page.data[0]!.created_at === "number" ? Math.floor(page.data[0]!.created_at / DAY) : d - 1
              )
      )
    let lo = Math.floor(intercomEpoch / DAY)
    let hi = Math.floor(until / DAY) + 1
    const any = yield* before(hi)
    if (Option.isNone(any)) return Option.none()
    // Invariant: no contact on a day before `lo`; one on a day before `hi`.
    hi = Math.min(hi, any.value + 1)
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2)
      const found = yield* before(mid)
      if (Option.isSome(found)) hi = Math.min(mid, found.value + 1)
      else lo = mid
    }
    return Option.some(lo * DAY)
  })

type Walk = {
  readonly walk: string
  readonly resource: Resource
  readonly pages: (
    progress: Option.Option<Progress>
  ) => Effect.Effect<Stream.Stream<Paginate.Page<unknown, Item, Position.Position>, IntercomError.IntercomError>>
}

/** A walk that resumes from a stored position of its paging style (`tag`). */
const walkOf = <T extends Position.Position["_tag"]>(
  walk: string,
  resource: Resource,
  tag: T,
  pages: (
    start: PositionOf<T> | undefined
  ) => Stream.Stream<Paginate.Page<unknown, Item, Position.Position>, IntercomError.IntercomError>
): Walk => ({ walk, resource, pages: (progress) => Effect.map(positionOf(walk, tag, progress), pages) })

/**
 * The contacts' partitions: as the store recorded them, or, on a store's first run, from the options (`since`
 * defaulting to the oldest contact's day, `until` to now), recorded before any walk starts. Options that contradict
 * the recorded plan are a {@link PlanMismatch}.
 */
const planOf = (
  store: StoreService,
  contacts: Contacts.Service,
  options: Options,
  startedMillis: number
): Effect.Effect<Plan, IntercomError.IntercomError | StoreError | PlanMismatch> =>
  Effect.gen(function* () {
    const stored = yield* store.plan
    if (Option.isSome(stored)) {
      const { partitions, since, timeZone, until } = stored.value.contacts
      const kept =
        options.partitions === partitions &&
        (options.since === undefined || options.since === since) &&
        (options.until === undefined || options.until === until) &&
        (options.timeZone === undefined || options.timeZone === timeZone)
      if (kept) return stored.value
      const asked = {
        partitions: options.partitions,
        since: options.since ?? since,
        until: options.until ?? until,
        timeZone: options.timeZone ?? timeZone
      }
      return yield* Effect.fail(new PlanMismatch({ stored: stored.value, asked: { contacts: asked } }))
    }
    const timeZone = options.timeZone ?? UTC
    const until = options.until ?? Math.floor(startedMillis / 1000)
    const since =
      options.since ??
      Option.getOrElse(yield* oldestCreatedAt(contacts, until), () => Window.startOfDay(until, timeZone))
    const bounds = yield* balanced(contacts, options, since, until, timeZone)
    const plan: Plan = {
      contacts: { partitions: options.partitions, since, until, timeZone, ...(bounds === undefined ? {} : { bounds }) }
    }
    yield* store.savePlan(plan)
    return plan
  })

/**
 * The partitions' day starts, cut where the contacts were created (`Balance`): a workspace gains most of its contacts
 * in its later years, and even runs of days would leave them in the last partitions, walked one page after another
 * while the others are done. Undefined (even runs) when search gives no count.
 */
const balanced = (contacts: Contacts.Service, options: Options, since: number, until: number, timeZone: string) => {
  const zone = Window.zone(timeZone)
  const created = (to: number | null) =>
    SearchQuery.days("created_at", { ...(to === null ? {} : { to }), timeZone: zone })
  return Balance.bounds(Balance.countWith("contacts", contacts.searchPage, created), {
    first: SearchQuery.startOfDay(since, zone),
    end: SearchQuery.ceilDay(until, zone),
    parts: options.partitions,
    timeZone,
    // Contacts that fit in a page per partition are walked in a few pages wherever the cuts fall.
    least: options.perPage * options.partitions
  }).pipe(
    Effect.map((days): ReadonlyArray<number> | undefined => days),
    Effect.catchTag("Uncounted", () => Effect.succeed(undefined))
  )
}

/**
 * Runs the export.
 *
 * @since 0.1.0
 * @category running
 */
export const run = (
  options: Options
): Effect.Effect<
  Summary,
  IntercomError.IntercomError | StoreError | PlanMismatch,
  Store | Reporter | Contacts.Contacts | Companies.Companies | Conversations.Conversations
> =>
  Effect.gen(function* () {
    const store = yield* Store
    const reporter = yield* Reporter
    const contacts = yield* Contacts.Contacts
    const companies = yield* Companies.Companies
    const conversations = yield* Conversations.Conversations
    const started = yield* Clock.currentTimeMillis
    const per_page = options.perPage
    const stats = { pages: 0, resumed: 0, skipped: 0 }

    const walks: Array<Walk> = []
    for (const resource of options.resources) {
      switch (resource) {
        case "contacts": {
          if (options.partitions <= 1) {
            walks.push(walkOf("contacts", resource, "Cursor", (start) => contacts.list({ per_page, start }).pages))
            break
          }
          const { bounds, since, timeZone, until } = (yield* planOf(store, contacts, options, started)).contacts
          partitionsOf(since, until, options.partitions, timeZone, bounds).forEach((query, i) => {
            walks.push(
              walkOf(
                `contacts:${i + 1}/${options.partitions}`,
                resource,
                "Cursor",
                (start) => contacts.search(query, { per_page, start }).pages
              )
            )
          })
          break
        }
        case "companies":
          walks.push(
            walkOf(
              "companies",
              resource,
              "PageNumber",
              (start) =>
                companies.list(undefined, { per_page: Paging.clampPerPage("Companies.list", per_page), start }).pages
            )
          )
          break
        case "conversations":
          walks.push(
            walkOf("conversations", resource, "Cursor", (start) => conversations.list({ per_page, start }).pages)
          )
          break
      }
    }

    const runWalk = ({ walk, resource, pages }: Walk) =>
      Effect.gen(function* () {
        const progress = yield* store.progress(walk)
        if (Option.isSome(progress) && progress.value.done) {
          stats.skipped++
          return
        }
        if (Option.isSome(progress)) stats.resumed++
        yield* reporter.walkStarted(walk, Option.isSome(progress))
        let stored = 0
        // One try: from the walk's stored position to its end. Tried again with patience, it fetches again the page
        // that failed, and nothing stored before it.
        const walkFromStore = Effect.gen(function* () {
          const stream = yield* pages(yield* store.progress(walk))
          yield* Stream.runForEach(stream, (page) => {
            const done = Option.isNone(page.next)
            return Effect.zipRight(
              store.write(walk, resource, page.items, { position: page.next, done }),
              Effect.zipRight(
                Effect.sync(() => {
                  stats.pages++
                  stored++
                }),
                reporter.page({ resource, walk, items: page.items.length, done })
              )
            )
          })
        })
        yield* Patience.retry(walkFromStore, {
          patience: options.patience,
          baseDelay: options.firstPause,
          // A walk only reads: every failure the client would retry for an idempotent call is worth waiting out.
          isTransient: Patience.isTransient,
          progress: Effect.sync(() => stored),
          onWait: (wait) => reporter.waiting({ walk, error: wait.error.message, delay: wait.delay, left: wait.left })
        })
      })

    // Walks run side by side, at most `concurrency` at once; each partition of contacts is a walk of its own. They
    // all share the one IntercomClient, so its rate-limit gate paces them together.
    yield* Effect.forEach(walks, runWalk, { concurrency: Math.max(1, options.concurrency), discard: true })
    const stored = {
      contacts: yield* store.count("contacts"),
      companies: yield* store.count("companies"),
      conversations: yield* store.count("conversations")
    }
    const ended = yield* Clock.currentTimeMillis
    return { stored, pages: stats.pages, resumed: stats.resumed, skipped: stats.skipped, millis: ended - started }
  })
