/**
 * One page of each walk a run makes, fetched and stored: the unit a workflow activity wraps. Each function takes the
 * position a page starts at and returns the position after it (with counts), so replaying stored results walks
 * the same pages without fetching them.
 *
 * Every write is an idempotent upsert, so a page fetched again after a crash (its result was not yet stored) leaves
 * the copy as one fetch would have.
 *
 * @since 0.1.0
 */
import { IntercomError } from "@intercom-effect/http"
import { Paginate, Position } from "@intercom-effect/pagination"
import { type Conversation, SearchQuery } from "@intercom-effect/schemas"
import { Companies, Contacts, Conversations, Paging, Tickets } from "@intercom-effect/services"
import { Duration, Effect, Either, Option, Schema } from "effect"
import { Copy, CopyError, type PartRow, type Row } from "./Copy.js"
import * as Patience from "./Patience.js"
import type * as Plan from "./Plan.js"
import { Progress } from "./Progress.js"
import * as Window from "./Window.js"

/**
 * Where a sweep stands: the last id it looked at, in id order.
 *
 * @since 0.1.0
 * @category schemas
 */
export const After = Schema.TaggedStruct("After", { id: Schema.String })

/**
 * The companies walk goes on as a scroll from its start: the page-numbered list stops at 10,000 companies.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ScrollFromStart = Schema.TaggedStruct("ScrollFromStart", {})

/**
 * A position a walk resumes from: Intercom's (cursor, page, scroll) or the sync's own.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Next = Schema.Union(Position.Position, After, ScrollFromStart)

/**
 * @since 0.1.0
 * @category models
 */
export type Next = typeof Next.Type

/**
 * What one page did, or several pages walked in a row (a step of a run, see `Run.Config.requestsPerStep`), as the
 * workflow stores it.
 *
 * @since 0.1.0
 * @category schemas
 */
export class PageResult extends Schema.Class<PageResult>("@intercom-effect/sync/PageResult")({
  /** Where the walk goes on; `null` when this was its last page. */
  next: Schema.NullOr(Next),
  /** Items on the pages. */
  items: Schema.Number,
  /** Requests the pages took (a page of conversations fetches each one). */
  requests: Schema.Number,
  /** Items removed from the copy: Intercom answered 404 for them. */
  removed: Schema.Number,
  /** The walk must start over (an expired scroll). */
  restart: Schema.Boolean,
  /** Pages walked; results stored before steps held several pages have none, and were one. */
  pages: Schema.optionalWith(Schema.Number, { default: () => 1 })
}) {}

/**
 * What a page may fail with.
 *
 * @since 0.1.0
 * @category models
 */
export type PageError = IntercomError.IntercomError | CopyError

/**
 * The schema of {@link PageError}, for the workflow's stored results.
 *
 * @since 0.1.0
 * @category schemas
 */
export const PageError = Schema.Union(IntercomError.IntercomError, CopyError)

/**
 * What a page needs from its run.
 *
 * @since 0.1.0
 * @category models
 */
export interface RunInfo {
  readonly runId: string
  readonly until: number
  readonly perPage: number
  /** The plan's time zone, whose days the window searches are whole days of. */
  readonly timeZone: string
  /** Conversations fetched at once on a page of changed conversations. */
  readonly fetchConcurrency: number
}

const seconds = (value: number | null | undefined): number => (typeof value === "number" ? value : 0)

const rowOf = (item: { readonly id: string; readonly updated_at?: number | null | undefined }): Row => ({
  id: item.id,
  updated_at: seconds(item.updated_at),
  json: JSON.stringify(item)
})

const cursorOf = (next: Next | null): string | undefined =>
  next !== null && next._tag === "Cursor" ? next.startingAfter : undefined

const result = (next: Option.Option<Next>, items: number, requests: number, removed = 0) =>
  new PageResult({ next: Option.getOrNull(next), items, requests, removed, restart: false })

const searchBody = (partition: Plan.Partition, run: RunInfo, position: Next | null) => {
  const startingAfter = cursorOf(position)
  return {
    query: SearchQuery.days("updated_at", {
      from: partition.from ?? undefined,
      to: partition.to ?? undefined,
      timeZone: Window.zone(run.timeZone)
    }),
    pagination:
      startingAfter === undefined ? { per_page: run.perPage } : { per_page: run.perPage, starting_after: startingAfter }
  }
}

/** A conversation as stored: its parts go to their own table, and the JSON keeps their count. */
const splitConversation = (conversation: Conversation): { readonly row: Row; readonly parts: Array<PartRow> } => {
  const list = conversation.conversation_parts
  const parts = (list?.conversation_parts ?? []).map((part) => ({
    id: part.id,
    created_at: seconds(part.created_at),
    updated_at: seconds(part.updated_at ?? part.created_at),
    json: JSON.stringify(part)
  }))
  const { conversation_parts: _, ...rest } = conversation
  const stored =
    list === null || list === undefined ? rest : { ...rest, conversation_parts: { ...list, conversation_parts: [] } }
  return { row: rowOf(stored as Conversation), parts }
}

const isNotFound = (error: PageError): boolean => error._tag === "NotFound"

type RefetchNeeds = Copy | Contacts.Contacts | Companies.Companies | Conversations.Conversations

/** Fetches one item by id and stores it; a 404 (deleted, or merged into another contact) removes it instead. */
const refetch = (
  resource: "contacts" | "companies" | "conversations",
  id: string,
  run: RunInfo
): Effect.Effect<number, PageError, RefetchNeeds> =>
  Effect.gen(function* () {
    const copy = yield* Copy
    const stored: Effect.Effect<void, PageError, RefetchNeeds> =
      resource === "contacts"
        ? Effect.flatMap(Contacts.Contacts, (s) => s.get(id)).pipe(
            Effect.flatMap((contact) => copy.upsert("contacts", [rowOf(contact)], run))
          )
        : resource === "companies"
          ? Effect.flatMap(Companies.Companies, (s) => s.get(id)).pipe(
              Effect.flatMap((company) => copy.upsert("companies", [rowOf(company)], run))
            )
          : Effect.flatMap(Conversations.Conversations, (s) => s.get(id)).pipe(
              Effect.flatMap((conversation) => {
                const { parts, row } = splitConversation(conversation)
                return copy.upsertConversation(row, parts, run)
              })
            )
    const outcome = yield* Effect.either(stored)
    if (Either.isRight(outcome)) return 0
    if (!isNotFound(outcome.left)) return yield* Effect.fail(outcome.left)
    yield* copy.remove(resource, [id])
    return 1
  })

/** {@link refetch} for each id, `fetchConcurrency` at a time; how many were removed. */
const refetchAll = (
  resource: "contacts" | "companies" | "conversations",
  ids: ReadonlyArray<string>,
  run: RunInfo
): Effect.Effect<number, PageError, RefetchNeeds> =>
  Effect.map(
    Effect.forEach(ids, (id) => refetch(resource, id, run), { concurrency: run.fetchConcurrency }),
    (removed) => removed.reduce((a, b) => a + b, 0)
  )

/**
 * One page of a search walk of contacts, conversations or tickets by `updated_at`, from `position`.
 * Conversations are fetched one by one for their parts (lists carry none); one answering 404 meanwhile is removed.
 *
 * @since 0.1.0
 * @category pages
 */
export const searchPage = (
  partition: Plan.Partition,
  run: RunInfo,
  position: Next | null
): Effect.Effect<PageResult, PageError, RefetchNeeds | Tickets.Tickets> =>
  Effect.gen(function* () {
    const copy = yield* Copy
    const body = searchBody(partition, run, position)
    switch (partition.resource) {
      case "contacts": {
        const page = yield* Effect.flatMap(Contacts.Contacts, (s) => s.searchPage(body))
        yield* copy.upsert("contacts", page.data.map(rowOf), run)
        return result(Paginate.nextCursor(page), page.data.length, 1)
      }
      case "tickets": {
        const page = yield* Effect.flatMap(Tickets.Tickets, (s) => s.searchPage(body))
        const tickets = page.tickets ?? []
        yield* copy.upsert("tickets", tickets.map(rowOf), run)
        return result(Paginate.nextCursor(page), tickets.length, 1)
      }
      case "conversations": {
        const page = yield* Effect.flatMap(Conversations.Conversations, (s) => s.searchPage(body))
        const ids = page.conversations.map((item) => item.id)
        const removed = yield* refetchAll("conversations", ids, run)
        return result(Paginate.nextCursor(page), ids.length, 1 + ids.length, removed)
      }
      case "companies":
        return yield* Effect.dieMessage("companies have no search; they are scrolled")
    }
  })

/** The most companies `GET /companies` pages through; past them only the scroll reaches the rest. */
const listableCompanies = 10_000

/**
 * One page of the walk over every company. Up to 10,000 companies it is the page-numbered list: a page asked twice
 * (after a crash, or a lost answer) is simply asked again, where a scroll allows one open scroll per app and a lost
 * answer keeps it open for a minute. A workspace with more starts over as a scroll from the first page's count. A
 * company skipped because another was deleted meanwhile (pages shift) is unseen by the run, so the sweep fetches it.
 *
 * @since 0.1.0
 * @category pages
 */
export const companiesPage = (
  run: RunInfo,
  position: Next | null
): Effect.Effect<PageResult, PageError, Copy | Companies.Companies> =>
  position !== null && (position._tag === "Scroll" || position._tag === "ScrollFromStart")
    ? scrollPage(run, position)
    : Effect.gen(function* () {
        const copy = yield* Copy
        const companies = yield* Companies.Companies
        const at = position !== null && position._tag === "PageNumber" ? Option.some(position) : Option.none()
        const page = yield* companies.listPage({
          page: Option.match(at, { onNone: () => 1, onSome: (p) => p.page }),
          per_page: Paging.clampPerPage("Companies.list", run.perPage)
        })
        if (Option.isNone(at) && (page.total_count ?? 0) > listableCompanies) {
          return result(Option.some(ScrollFromStart.make({})), 0, 1)
        }
        yield* copy.upsert("companies", page.data.map(rowOf), run)
        return result(Paginate.nextPageNumber(page, at), page.data.length, 1)
      })

/**
 * One page of the companies scroll. A scroll Intercom no longer knows (idle for a minute, e.g. while the process was
 * down) is not an error: the walk starts over, and what it stored stays (upserts).
 */
const scrollPage = (run: RunInfo, position: Next): Effect.Effect<PageResult, PageError, Copy | Companies.Companies> =>
  Effect.gen(function* () {
    const copy = yield* Copy
    const companies = yield* Companies.Companies
    const param = position._tag === "Scroll" ? position.scrollParam : undefined
    const answer = yield* Effect.either(companies.scrollPage(param === undefined ? {} : { scroll_param: param }))
    if (Either.isLeft(answer)) {
      if (param !== undefined && isNotFound(answer.left)) {
        return new PageResult({ next: null, items: 0, requests: 1, removed: 0, restart: true })
      }
      return yield* Effect.fail(answer.left)
    }
    const page = answer.right
    yield* copy.upsert("companies", page.data.map(rowOf), run)
    // A scroll ends on its first empty page.
    const next = page.data.length === 0 ? Option.none() : Paginate.nextScroll(page)
    return result(next, page.data.length, 1)
  })

/**
 * One page of a reconciling walk over every contact or conversation (`GET /contacts`, `GET /conversations`). Lists
 * are not subject to search's lag or its day-granular dates, so the walk also heals what searches missed: listed
 * contacts are upserted (a list carries whole contacts), listed conversations the copy lacks are fetched. Every id
 * listed is marked seen; what the copy holds and no walk of the run saw is looked up by the sweep.
 *
 * @since 0.1.0
 * @category pages
 */
export const listPage = (
  resource: "contacts" | "conversations",
  run: RunInfo,
  position: Next | null
): Effect.Effect<PageResult, PageError, RefetchNeeds> =>
  Effect.gen(function* () {
    const copy = yield* Copy
    const query = { per_page: run.perPage, starting_after: cursorOf(position) }
    if (resource === "contacts") {
      const page = yield* Effect.flatMap(Contacts.Contacts, (s) => s.listPage(query))
      yield* copy.upsert("contacts", page.data.map(rowOf), run)
      return result(Paginate.nextCursor(page), page.data.length, 1)
    }
    const page = yield* Effect.flatMap(Conversations.Conversations, (s) => s.listPage(query))
    const ids = page.conversations.map((c) => c.id)
    yield* copy.markSeen("conversations", ids, run.runId)
    const missing = yield* copy.missing("conversations", ids)
    const removed = yield* refetchAll("conversations", missing, run)
    return result(Paginate.nextCursor(page), ids.length, 1 + missing.length, removed)
  })

/**
 * One batch of a sweep: ids the copy holds that no walk of this run saw, each fetched by id; 404 (deleted, or merged
 * into another contact) removes it, anything else stores what came back.
 *
 * @since 0.1.0
 * @category pages
 */
export const sweepPage = (
  resource: "contacts" | "companies" | "conversations",
  run: RunInfo,
  position: Next | null
): Effect.Effect<PageResult, PageError, RefetchNeeds> =>
  Effect.gen(function* () {
    const copy = yield* Copy
    const after = position !== null && position._tag === "After" ? position.id : ""
    const ids = yield* copy.unseen(resource, run.runId, after, run.perPage)
    const removed = yield* refetchAll(resource, ids, run)
    const last = ids[ids.length - 1]
    const next = ids.length < run.perPage || last === undefined ? Option.none() : Option.some(After.make({ id: last }))
    return result(next, ids.length, ids.length, removed)
  })

/**
 * Retries a page through transient failures (`Patience.isTransient`) for up to `patienceMillis`, waiting longer each
 * time (1 s, doubling to 30 s), and says so through `Progress` at every wait. The client has already retried each
 * call a few times; this is for outages that outlast those retries, so a long run does not die of a five-minute blip.
 *
 * @since 0.1.0
 * @category patience
 */
export const patiently =
  (walk: string, patienceMillis: number) =>
  <A, R>(page: Effect.Effect<A, PageError, R>): Effect.Effect<A, PageError, R | Progress> =>
    Effect.flatMap(Progress, (progress) =>
      Patience.retry(page, {
        patience: Duration.millis(patienceMillis),
        isTransient: Patience.isTransient,
        baseDelay: "1 second",
        maxDelay: "30 seconds",
        onWait: (wait) =>
          progress.waiting({
            walk,
            reason: wait.error.message,
            waitedMillis: Duration.toMillis(wait.waited),
            patienceMillis
          })
      })
    )
