/**
 * The five paging styles of 2.10 as the generated list methods use them: each turns a "fetch one page" call of the
 * service into a `Paginator`, writing the position where that style wants it.
 *
 * @internal
 */
import type { IntercomError } from "@intercom-effect/http"
import { Paginate, type Position } from "@intercom-effect/pagination"
import { SearchQuery } from "@intercom-effect/schemas"
import { type Effect, Option } from "effect"
import type { Options, Paginator } from "../Paging.js"

type Fetch<Q, R> = (query: Q) => Effect.Effect<R, IntercomError.IntercomError>

const limits = <P>(options: Options<P> | undefined) => ({
  start: options?.start,
  maxItems: options?.maxItems,
  maxPages: options?.maxPages,
  prefetch: options?.prefetch
})

/** `per_page` + `starting_after` in the query. @internal */
export const cursor = <R extends Paginate.CursorMetadata, A>(
  fetch: Fetch<{ readonly per_page?: number | undefined; readonly starting_after?: string | undefined }, R>,
  getItems: (page: R) => ReadonlyArray<A> | null | undefined,
  options: Options<Position.Cursor> | undefined
): Paginator<R, A, Position.Cursor> =>
  Paginate.cursor(
    (position) =>
      fetch({
        per_page: options?.per_page,
        starting_after: Option.getOrUndefined(position)?.startingAfter
      }),
    { ...limits(options), getItems: (page) => getItems(page) ?? [] }
  )

/** The cursor inside a search body's `pagination`. @internal */
export const search = <R extends Paginate.CursorMetadata, A>(
  fetch: Fetch<SearchQuery.SearchRequest, R>,
  getItems: (page: R) => ReadonlyArray<A> | null | undefined,
  query: SearchQuery.Query,
  options: Options<Position.Cursor> | undefined
): Paginator<R, A, Position.Cursor> =>
  Paginate.searchCursor(
    options?.per_page === undefined ? { query } : { query, pagination: { per_page: options.per_page } },
    fetch,
    { ...limits(options), withCursor: SearchQuery.withStartingAfter, getItems: (page) => getItems(page) ?? [] }
  )

/** `page` + `per_page` in the query. @internal */
export const pageNumber = <R extends Paginate.PageNumberMetadata, A>(
  fetch: Fetch<{ readonly page?: number | undefined; readonly per_page?: number | undefined }, R>,
  getItems: (page: R) => ReadonlyArray<A> | null | undefined,
  options: Options<Position.PageNumber> | undefined
): Paginator<R, A, Position.PageNumber> =>
  Paginate.pageNumber(
    (position) => fetch({ page: Option.getOrUndefined(position)?.page, per_page: options?.per_page }),
    { ...limits(options), getItems: (page) => getItems(page) ?? [] }
  )

/** `scroll_param`, ending on an empty page. @internal */
export const scroll = <R extends Paginate.ScrollMetadata, A>(
  fetch: Fetch<{ readonly scroll_param?: string | undefined }, R>,
  getItems: (page: R) => ReadonlyArray<A> | null | undefined,
  options: Options<Position.Scroll> | undefined
): Paginator<R, A, Position.Scroll> =>
  Paginate.scroll((position) => fetch({ scroll_param: Option.getOrUndefined(position)?.scrollParam }), {
    ...limits(options),
    getItems: (page) => getItems(page) ?? []
  })

/** The first page from the query, then `pages.next` as a URL. @internal */
export const nextUrl = <R extends Paginate.NextUrlMetadata, A>(
  first: Effect.Effect<R, IntercomError.IntercomError>,
  at: (url: string) => Effect.Effect<R, IntercomError.IntercomError>,
  getItems: (page: R) => ReadonlyArray<A> | null | undefined,
  options: Options<Position.NextUrl> | undefined
): Paginator<R, A, Position.NextUrl> =>
  Paginate.nextUrl(
    (position) =>
      Option.match(position, {
        onNone: () => first,
        onSome: ({ url }) => at(url)
      }),
    { ...limits(options), getItems: (page) => getItems(page) ?? [] }
  )
