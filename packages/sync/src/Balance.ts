/**
 * Partition bounds that hold about as many items each, for a resource's first window. Even runs of days from 2011
 * would put a workspace's items, mostly changed in recent years, into the last partition: one long walk, which
 * neither runs side by side with the others nor spreads over a cluster's runners. Search answers how many items
 * changed before a day (`total_count`), so the bounds are found by bisecting days, a page of one item per question.
 * They are computed once, when the run is planned, and stored with its plan. An export cuts its contacts' partitions
 * the same way, by the day they were created.
 *
 * @since 0.2.0
 */
import type { IntercomError } from "@intercom-effect/http"
import { SearchQuery } from "@intercom-effect/schemas"
import { Contacts, Conversations, Tickets } from "@intercom-effect/services"
import { Data, Effect } from "effect"
import type * as Plan from "./Plan.js"
import * as Window from "./Window.js"

const DAY = 86_400

/**
 * How many items changed (or created, for a count by creation) before the day starting at `to` (`null`: all of them).
 *
 * @since 0.2.0
 * @category models
 */
export type Count<E, R> = (to: number | null) => Effect.Effect<number, E, R>

/**
 * Day starts from `first` to `end` (one more than there are parts) that cut the items counted by `count` into
 * `parts` runs of whole days holding about as many each. A cut is good enough once the days it lies between hold less
 * than an eighth of one part's share, so a window of fifteen years takes a few questions per cut, not one per day.
 * Even runs of days whose cuts are all that close already are kept after one question per cut. Items all changed on
 * a few days give fewer parts (a day is not split); no more items than `least` (none, by default) give even runs of
 * days after the one question: too few for where they fall to matter.
 *
 * @since 0.2.0
 * @category bounds
 */
export const bounds = <E, R>(
  count: Count<E, R>,
  options: {
    readonly first: number
    readonly end: number
    readonly parts: number
    readonly timeZone: string
    readonly least?: number | undefined
  }
): Effect.Effect<Array<number>, E, R> =>
  Effect.gen(function* () {
    const { end, first, parts, timeZone } = options
    const even = Window.split(first, end, parts, timeZone)
    if (parts <= 1 || even.length <= 2) return even
    const total = yield* count(null)
    if (total <= Math.max(0, options.least ?? 0)) return even
    // Asked once per day however many cuts (searched side by side) reach it; the cuts' first questions coincide.
    const before = yield* Effect.cachedFunction(count)
    const slack = total / (8 * parts)
    // The even cuts are asked first, side by side: items spread evenly (a workspace that grew steadily) need nothing
    // more, and otherwise their counts narrow where each cut's bisection starts.
    const inner = even.slice(1, -1)
    const [atFirst, atEven] = yield* Effect.all([before(first), Effect.forEach(inner, before, { concurrency: 8 })], {
      concurrency: 2
    })
    const evenShare = total / (even.length - 1)
    if (inner.every((_, i) => Math.abs(atEven[i]! - evenShare * (i + 1)) <= slack)) return even
    const known: ReadonlyArray<readonly [day: number, before: number]> = [
      [first, atFirst],
      ...inner.map((day, i) => [day, atEven[i]!] as const),
      [end, total]
    ]
    /** The day start nearest the share `k` of the items, bisected from the narrowest known days around it. */
    const cut = (k: number) =>
      Effect.gen(function* () {
        const target = (total * k) / parts
        // Counts grow with the day: the last known day below the target and the first at or above it.
        const below = known.filter(([, n]) => n < target)
        let [lo, atLo] = below.length === 0 ? known[0]! : below[below.length - 1]!
        let [hi, atHi] = known.find(([, n]) => n >= target) ?? known[known.length - 1]!
        while (atHi - atLo > slack) {
          // The day start nearest the middle; days are 23 to 25 hours long, so it is found from noon.
          const mid = Window.startOfDay(lo + Math.floor((hi - lo) / 2 / DAY) * DAY + DAY / 2, timeZone)
          if (mid <= lo || mid >= hi) break
          const atMid = yield* before(mid)
          if (atMid < target) {
            lo = mid
            atLo = atMid
          } else {
            hi = mid
            atHi = atMid
          }
        }
        return target - atLo <= atHi - target ? lo : hi
      })
    // Each cut is bisected on its own, all at once: planning waits for the longest bisection, not their sum.
    const found = yield* Effect.forEach(
      Array.from({ length: parts - 1 }, (_, i) => i + 1),
      cut,
      { concurrency: 8 }
    )
    return [first, ...[...new Set(found)].filter((day) => day > first && day < end).sort((x, y) => x - y), end]
  })

/**
 * A search answered without `total_count`: the plan falls back to even runs of days.
 *
 * @since 0.2.0
 * @category errors
 */
export class Uncounted extends Data.TaggedError("Uncounted")<{ readonly resource: Plan.Resource }> {}

/**
 * A {@link Count} from any search: a page of one item for `query(to)`, whose `total_count` is the answer; an answer
 * without one fails with {@link Uncounted}.
 *
 * @since 0.2.0
 * @category bounds
 */
export const countWith =
  <E, R>(
    resource: Plan.Resource,
    search: (
      body: SearchQuery.SearchRequest
    ) => Effect.Effect<{ readonly total_count?: number | null | undefined }, E, R>,
    query: (to: number | null) => SearchQuery.Query
  ): Count<E | Uncounted, R> =>
  (to) =>
    Effect.flatMap(search({ query: query(to), pagination: { per_page: 1 } }), (page) => {
      const n = page.total_count
      return typeof n === "number" && Number.isFinite(n) && n >= 0 ? Effect.succeed(n) : new Uncounted({ resource })
    })

/**
 * The services a count searches with.
 *
 * @since 0.2.0
 * @category models
 */
export type Searches = Contacts.Contacts | Conversations.Conversations | Tickets.Tickets

/**
 * A {@link Count} of one resource's items changed before a day, by search. Asked through the resource's service, as
 * the walks' pages are, so the request is the one the operation table describes (its path, its encoding, its retry
 * on a lost answer).
 *
 * @since 0.2.0
 * @category bounds
 */
export const searchCount = (
  resource: Exclude<Plan.Resource, "companies">,
  timeZone: string
): Count<IntercomError.IntercomError | Uncounted, Searches> =>
  countWith<IntercomError.IntercomError, Searches>(
    resource,
    (body) =>
      resource === "contacts"
        ? Effect.flatMap(Contacts.Contacts, (s) => s.searchPage(body))
        : resource === "conversations"
          ? Effect.flatMap(Conversations.Conversations, (s) => s.searchPage(body))
          : Effect.flatMap(Tickets.Tickets, (s) => s.searchPage(body)),
    (to) => SearchQuery.days("updated_at", { ...(to === null ? {} : { to }), timeZone: Window.zone(timeZone) })
  )
