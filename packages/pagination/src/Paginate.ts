/**
 * Lazy, resumable streams over Intercom's five paging styles.
 *
 * This module knows no URLs and no HTTP: each constructor is handed a "fetch one page" effect and decides only which
 * position to ask for next. A service turns the position into query parameters, a body or a URL.
 *
 * @example
 * ```ts
 * import { Effect, Option, Stream } from "effect"
 * import { Paginate, Position } from "@intercom-effect/pagination"
 *
 * interface ContactList {
 *   readonly data: ReadonlyArray<{ readonly id: string }>
 *   readonly pages?: { readonly next?: { readonly starting_after?: string } | null } | null
 * }
 * declare const listContacts: (query: { per_page: number; starting_after?: string }) => Effect.Effect<ContactList>
 * declare const save: (items: ReadonlyArray<{ readonly id: string }>, next: Option.Option<string>) => Effect.Effect<void>
 *
 * const contacts = Paginate.cursor(
 *   (position) =>
 *     listContacts({
 *       per_page: 150,
 *       ...Option.match(position, { onNone: () => ({}), onSome: (c) => ({ starting_after: c.startingAfter }) })
 *     }),
 *   { getItems: (page) => page.data }
 * )
 * // Walk everything, saving where to pick up after each page.
 * const sync = contacts.pages.pipe(
 *   Stream.runForEach((page) => save(page.items, Option.map(page.next, Position.toJson)))
 * )
 * ```
 *
 * @since 0.1.0
 */
import { type Effect, Option, type Schedule, type Stream } from "effect"
import * as internal from "./internal/pager.js"
import type { Cursor, NextUrl, PageNumber, Scroll } from "./Position.js"
import * as Position from "./Position.js"

/**
 * One fetched page as emitted by a `pages` stream.
 *
 * `next` resumes right after this page: passing it as `start` yields exactly the items that follow. It is `None` on
 * the last page (by the metadata, or because the page was empty). `position` is what this page was fetched from
 * (`None` for the first page of a walk), so passing it as `start` fetches this page again.
 *
 * @since 0.1.0
 * @category models
 */
export interface Page<Response, A, P> {
  readonly page: Response
  readonly items: ReadonlyArray<A>
  readonly position: Option.Option<P>
  readonly next: Option.Option<P>
}

/**
 * The two views of one walk. Both are descriptions: every run fetches afresh, starting at `start`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Paginator<Response, A, P, E, R> {
  /** Pages in order, each with the position that resumes after it. */
  readonly pages: Stream.Stream<Page<Response, A, P>, E, R>
  /** Items in order across page boundaries. */
  readonly items: Stream.Stream<A, E, R>
}

/**
 * Options shared by every constructor.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options<Response, A, P, E, RR> {
  /** Where the list lives in a page (`data`, `conversations`, `companies`...). */
  readonly getItems: (page: Response) => ReadonlyArray<A>
  /** Resume after a `Page.next` (or `Page.position`) from an earlier walk; omit to start at the beginning. */
  readonly start?: P | undefined
  /**
   * How many pages may be fetched ahead of the page the consumer is on; `0` fetches strictly on demand. Defaults to
   * `1`. `pages` allows them as soon as it hands a page over; `items` once the consumer is `prefetchAfter` of the way
   * through its page, so a short `take` costs no more pages than it reads. At most 64; a value that is not a number
   * `>= 0` fetches on demand.
   */
  readonly prefetch?: number | undefined
  /**
   * For `items`: the fraction of a page the consumer must have pulled before the next pages are fetched, in `[0, 1]`.
   * Defaults to `0.5`, which leaves the second half of a page to hide the next request behind. `1` waits until the
   * consumer asks for more than the page holds; `0` starts as soon as the page is handed over, as `pages` does. Values
   * outside the range are clamped to it.
   */
  readonly prefetchAfter?: number | undefined
  /** Stop after this many pages (a fraction is rounded down; below 1, or NaN, fetches nothing). */
  readonly maxPages?: number | undefined
  /**
   * Stop fetching once this many items were seen (rounded down like `maxPages`). `items` yields exactly this many; `pages` yields whole pages (the
   * last one may go past the limit) so that every `Page.next` stays an exact resume position.
   */
  readonly maxItems?: number | undefined
  /** Applied to each page's effect on its own: a retried page is fetched again, the stream is not restarted. */
  readonly retry?: Schedule.Schedule<unknown, NoInfer<E>, RR> | undefined
}

/**
 * Options of the style constructors: `getNext` defaults to reading Intercom's metadata for that style.
 *
 * @since 0.1.0
 * @category models
 */
export interface StyleOptions<Response, A, P, E, RR> extends Options<Response, A, P, E, RR> {
  /** Overrides where the next position is read from. */
  readonly getNext?: ((page: Response, position: Option.Option<P>) => Option.Option<P>) | undefined
  /**
   * The walk's page size and query fingerprint, stamped on every position it hands out (`Page.next`), so that a
   * later run can tell whether a saved position belongs to it: check a `start` with `Position.mismatch` in `fetch`,
   * where a refusal can fail with the walk's own error type. Page numbers carry both; cursors carry the query.
   *
   * @since 0.2.0
   */
  readonly basis?: Position.Basis | undefined
}

/** `getNext` (the style's default unless overridden) with the walk's basis stamped on what it returns. */
const nextOf = <Response, A, P extends Position.Position, E, RR>(
  options: StyleOptions<Response, A, P, E, RR>,
  fallback: (page: Response, position: Option.Option<P>) => Option.Option<P>
): ((page: Response, position: Option.Option<P>) => Option.Option<P>) => {
  const getNext = options.getNext ?? fallback
  const basis = options.basis
  return basis === undefined
    ? getNext
    : (page, position) => Option.map(getNext(page, position), (next) => Position.withBasis(next, basis))
}

/**
 * Options of {@link make}, which has no default for `getNext`.
 *
 * @since 0.1.0
 * @category models
 */
export interface MakeOptions<Response, A, P, E, RR> extends Options<Response, A, P, E, RR> {
  /** The position after `page`, or `None` when `page` is the last; `position` is what `page` was fetched from. */
  readonly getNext: (page: Response, position: Option.Option<P>) => Option.Option<P>
}

/**
 * A paginator over any paging scheme.
 *
 * `fetch` receives `None` for the first page (or `Some(start)`), then each `next` in turn.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = <Response, A, P, E, R, RR = never>(
  fetch: (position: Option.Option<P>) => Effect.Effect<Response, E, R>,
  options: MakeOptions<Response, A, P, E, RR>
): Paginator<Response, A, P, E, R | RR> => {
  // Two separate streams: `items` needs to see the consumer's progress through a page, which `pages` cannot.
  return { pages: internal.pages(fetch, options), items: internal.items(fetch, options) }
}

// ---------------------------------------------------------------------------------------------------------------------
// metadata shapes
// ---------------------------------------------------------------------------------------------------------------------

/**
 * What cursor paging reads from a response: `pages.next.starting_after`. Page-numbered lists share the `pages` shape
 * and send `next` as a URL string there, which carries no cursor.
 *
 * @since 0.1.0
 * @category metadata
 */
export interface CursorMetadata {
  readonly pages?:
    | {
        readonly next?: { readonly starting_after?: string | null | undefined } | string | null | undefined
      }
    | null
    | undefined
}

/**
 * What page-number paging reads from a response: `pages.page` and `pages.total_pages`.
 *
 * @since 0.1.0
 * @category metadata
 */
export interface PageNumberMetadata {
  readonly pages?:
    | {
        readonly page?: number | null | undefined
        readonly total_pages?: number | null | undefined
      }
    | null
    | undefined
}

/**
 * What scroll paging reads from a response: `scroll_param`.
 *
 * @since 0.1.0
 * @category metadata
 */
export interface ScrollMetadata {
  readonly scroll_param?: string | null | undefined
}

/**
 * What next-URL paging reads from a response: `pages.next` as a URL.
 *
 * @since 0.1.0
 * @category metadata
 */
export interface NextUrlMetadata {
  readonly pages?: { readonly next?: string | null | undefined } | null | undefined
}

const nonEmpty = (s: string | null | undefined): Option.Option<string> =>
  typeof s === "string" && s.length > 0 ? Option.some(s) : Option.none()

/**
 * The cursor after a page; `None` when `pages`, `pages.next` or `next.starting_after` is missing, null or empty (or
 * `next` is a URL).
 *
 * @since 0.1.0
 * @category metadata
 */
export const nextCursor = (page: CursorMetadata): Option.Option<Cursor> => {
  const next = page.pages?.next
  return typeof next === "object" && next !== null
    ? Option.map(nonEmpty(next.starting_after), Position.cursor)
    : Option.none()
}

/**
 * The page number after a page; `None` once `page >= total_pages` (so also for `total_pages: 0`) or without `pages`.
 *
 * A response without `pages.page` is taken to be the page that was asked for.
 *
 * @since 0.1.0
 * @category metadata
 */
export const nextPageNumber = (
  page: PageNumberMetadata,
  position: Option.Option<PageNumber>
): Option.Option<PageNumber> => {
  const pages = page.pages
  if (pages === null || pages === undefined) return Option.none()
  const current =
    typeof pages.page === "number"
      ? pages.page
      : Option.getOrElse(
          Option.map(position, (p) => p.page),
          () => 1
        )
  const total = pages.total_pages
  return typeof total === "number" && Number.isInteger(current) && current >= 1 && current < total
    ? Option.some(Position.pageNumber(current + 1))
    : Option.none()
}

/**
 * The scroll after a page; `None` without a `scroll_param`. The end of a scroll is its empty page.
 *
 * @since 0.1.0
 * @category metadata
 */
export const nextScroll = (page: ScrollMetadata): Option.Option<Scroll> =>
  Option.map(nonEmpty(page.scroll_param), Position.scroll)

/**
 * The URL after a page; `None` when `pages` or `pages.next` is missing, null or empty.
 *
 * @since 0.1.0
 * @category metadata
 */
export const nextUrlOf = (page: NextUrlMetadata): Option.Option<NextUrl> =>
  Option.map(nonEmpty(page.pages?.next), Position.nextUrl)

// ---------------------------------------------------------------------------------------------------------------------
// styles
// ---------------------------------------------------------------------------------------------------------------------

/**
 * Cursor in the query (`GET /contacts`, `GET /conversations`): `fetch` sends the cursor as `starting_after`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const cursor = <Response extends CursorMetadata, A, E, R, RR = never>(
  fetch: (position: Option.Option<Cursor>) => Effect.Effect<Response, E, R>,
  options: StyleOptions<Response, A, Cursor, E, RR>
): Paginator<Response, A, Cursor, E, R | RR> => make(fetch, { ...options, getNext: nextOf(options, nextCursor) })

/**
 * Cursor in a POST body (`/contacts/search`, `/conversations/search`, `/tickets/search`).
 *
 * `search` receives `body` for the first page, then `withCursor(body, startingAfter)` for each next one. This module
 * knows no body shape: for Intercom's search bodies, `withCursor` is `SearchQuery.withStartingAfter` from
 * @intercom-effect/schemas, which returns a copy, so `body` is never mutated.
 *
 * @since 0.1.0
 * @category constructors
 */
export const searchCursor = <B, Response extends CursorMetadata, A, E, R, RR = never>(
  body: B,
  search: (body: B) => Effect.Effect<Response, E, R>,
  options: StyleOptions<Response, A, Cursor, E, RR> & {
    /** A copy of `body` asking for the page after `startingAfter`. */
    readonly withCursor: (body: B, startingAfter: string) => B
  }
): Paginator<Response, A, Cursor, E, R | RR> =>
  cursor(
    (position) =>
      search(
        Option.match(position, {
          onNone: () => body,
          onSome: ({ startingAfter }) => options.withCursor(body, startingAfter)
        })
      ),
    options
  )

/**
 * Page numbers (`/articles`, `/help_center/collections`, `/companies`, `POST /companies/list`,
 * `/contacts/{id}/notes`): `fetch` sends the page as `page` (`None` means page 1).
 *
 * @since 0.1.0
 * @category constructors
 */
export const pageNumber = <Response extends PageNumberMetadata, A, E, R, RR = never>(
  fetch: (position: Option.Option<PageNumber>) => Effect.Effect<Response, E, R>,
  options: StyleOptions<Response, A, PageNumber, E, RR>
): Paginator<Response, A, PageNumber, E, R | RR> =>
  make(fetch, { ...options, getNext: nextOf(options, nextPageNumber) })

/**
 * Scroll (`GET /companies/scroll`): `fetch` sends no `scroll_param` for `None`, else the given one.
 *
 * The walk ends on the first empty page, which costs one request: it is the API's only end signal. A scroll expires
 * after about a minute idle and an app may hold one scroll at a time, so resuming from a `Scroll` position only works
 * within that window.
 *
 * @since 0.1.0
 * @category constructors
 */
export const scroll = <Response extends ScrollMetadata, A, E, R, RR = never>(
  fetch: (position: Option.Option<Scroll>) => Effect.Effect<Response, E, R>,
  options: StyleOptions<Response, A, Scroll, E, RR>
): Paginator<Response, A, Scroll, E, R | RR> => make(fetch, { ...options, getNext: options.getNext ?? nextScroll })

/**
 * Next URL (`GET /events`, `GET /contacts/{id}/companies`): `fetch` requests the first page for `None`, else the URL.
 *
 * @since 0.1.0
 * @category constructors
 */
export const nextUrl = <Response extends NextUrlMetadata, A, E, R, RR = never>(
  fetch: (position: Option.Option<NextUrl>) => Effect.Effect<Response, E, R>,
  options: StyleOptions<Response, A, NextUrl, E, RR>
): Paginator<Response, A, NextUrl, E, R | RR> => make(fetch, { ...options, getNext: options.getNext ?? nextUrlOf })
