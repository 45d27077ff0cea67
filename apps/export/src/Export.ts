/**
 * The export: every contact, company and conversation of a workspace into a `Store`, page by page, each page's items
 * stored together with the position after it. A walk that was interrupted resumes right after its last stored page;
 * a finished walk is skipped. Contacts may be walked as partitions (search by `created_at` day ranges) merged with
 * bounded concurrency, each partition resumable on its own.
 */
import type { IntercomError } from "@intercom-effect/http"
import type { Paginate, Position } from "@intercom-effect/pagination"
import { SearchQuery } from "@intercom-effect/schemas"
import { Companies, Contacts, Conversations } from "@intercom-effect/services"
import { Clock, Context, Effect, Layer, Option, Stream } from "effect"
import { type Item, type Progress, type Resource, Store, type StoreError } from "./Store.js"

/** What to export, and how. */
export interface Options {
  readonly resources: ReadonlyArray<Resource>
  /** Items per page (Intercom allows up to 150). */
  readonly perPage: number
  /** Contacts in this many `created_at` partitions (1: one list walk). */
  readonly partitions: number
  /** Partitions walked at the same time. */
  readonly concurrency: number
  /** The earliest `created_at` the partitions cover (unix seconds); contacts created before are in the first. */
  readonly since: number
  /** The latest `created_at` the partitions cover; now when omitted. Contacts created after are in the last. */
  readonly until?: number | undefined
}

/** Sensible defaults: everything, full pages, contacts in one walk. */
export const defaults: Options = {
  resources: ["contacts", "companies", "conversations"],
  perPage: 150,
  partitions: 1,
  concurrency: 4,
  since: Date.UTC(2011, 0, 1) / 1000
}

/** One stored page, for whoever reports progress. */
export interface PageEvent {
  readonly resource: Resource
  readonly walk: string
  readonly items: number
  readonly done: boolean
}

/** Where progress goes (a terminal, a log, nowhere). */
export class Reporter extends Context.Tag("@intercom-effect/export/Reporter")<
  Reporter,
  {
    readonly walkStarted: (walk: string, resumed: boolean) => Effect.Effect<void>
    readonly page: (event: PageEvent) => Effect.Effect<void>
  }
>() {
  /** Reports nothing. */
  static readonly silent: Layer.Layer<Reporter> = Layer.succeed(Reporter, {
    walkStarted: () => Effect.void,
    page: () => Effect.void
  })
}

/** What a run did. */
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

/** Day-aligned `created_at` ranges: boundaries at UTC midnights, the first open below, the last open above. */
export const partitionsOf = (since: number, until: number, count: number): Array<SearchQuery.Query> => {
  const day = 86_400
  const first = Math.floor(since / day)
  const last = Math.ceil(until / day)
  const n = Math.max(1, Math.min(count, last - first))
  const bounds = Array.from({ length: n + 1 }, (_, i) => (first + Math.round(((last - first) * i) / n)) * day)
  const created = SearchQuery.field("created_at")
  // Intercom compares dates by calendar day: `> midnight - 1s` keeps that midnight's day and after, `< midnight`
  // stops before it; on plain timestamps the same bounds mean the same thing.
  return bounds.slice(0, -1).map((start, i) => {
    const end = bounds[i + 1]!
    if (n === 1) return created.gt(-1)
    if (i === 0) return created.lt(end)
    if (i === n - 1) return created.gt(start - 1)
    return SearchQuery.and(created.gt(start - 1), created.lt(end))
  })
}

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

/** Runs the export. */
export const run = (
  options: Options
): Effect.Effect<
  Summary,
  IntercomError.IntercomError | StoreError,
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
          const until = options.until ?? Math.floor(started / 1000)
          partitionsOf(options.since, until, options.partitions).forEach((query, i) => {
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
          // GET /companies takes at most 60 a page.
          walks.push(
            walkOf(
              "companies",
              resource,
              "PageNumber",
              (start) => companies.list(undefined, { per_page: Math.min(per_page, 60), start }).pages
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
        const stream = yield* pages(progress)
        yield* Stream.runForEach(stream, (page) => {
          const done = Option.isNone(page.next)
          stats.pages++
          return Effect.zipRight(
            store.write(walk, resource, page.items, { position: page.next, done }),
            reporter.page({ resource, walk, items: page.items.length, done })
          )
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
