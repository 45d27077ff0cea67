/**
 * The five paging styles of 2.10 as the generated list methods use them: each turns a "fetch one page" call of the
 * service into a `Paginator`, writing the position where that style wants it.
 *
 * Before a walk starts, its options are checked: the counts must be whole numbers, and a `start` must be a position
 * of this style taken on this walk's basis. Page numbers carry the walk's page size and a fingerprint of its query
 * (the operation, its path parameters, its filters); search cursors carry the fingerprint of their search. A start
 * from another page size or another query would skip or repeat items, so it is refused with `InvalidRequest`
 * (`field: "start"`) before anything is sent, as is a position saved before positions carried their basis.
 *
 * @internal
 */
import { IntercomError } from "@intercom-effect/http"
import { Paginate, Position } from "@intercom-effect/pagination"
import { SearchQuery } from "@intercom-effect/schemas"
import { type Effect, Either, Option, ParseResult, Schema, Stream } from "effect"
import type { Options, Paginator } from "../Paging.js"
import type { Operation } from "./operation.js"

type Fetch<Q, R> = (query: Q) => Effect.Effect<R, IntercomError.IntercomError>

const limits = <P>(options: Options<P> | undefined) => ({
  start: options?.start,
  maxItems: options?.maxItems,
  maxPages: options?.maxPages,
  prefetch: options?.prefetch
})

/** The counts of the options; `per_page` is checked with the query (or the search body) it is sent in. */
const Counts = Schema.Struct({
  maxItems: Schema.optional(Schema.NonNegativeInt),
  maxPages: Schema.optional(Schema.NonNegativeInt),
  prefetch: Schema.optional(Schema.NonNegativeInt)
})

/**
 * Why a walk cannot start with these options, if it cannot: a count that is not a whole number `>= 0`, a start that
 * is not a position of the walk's style, or one taken on another basis.
 */
const problem = <P extends Position.Position>(
  operation: Operation,
  position: Schema.Schema<P, Schema.Schema.Encoded<Schema.Schema<P>>>,
  basis: Position.Basis | undefined,
  options: Options<P> | undefined
): IntercomError.InvalidRequest | undefined => {
  if (options === undefined) return undefined
  const invalid = (field: string, issue: string) =>
    new IntercomError.InvalidRequest({ method: operation.method, path: operation.path, location: null, field, issue })
  try {
    const counts = Schema.decodeUnknownEither(Counts)(options)
    if (Either.isLeft(counts)) {
      const [first] = ParseResult.ArrayFormatter.formatErrorSync(counts.left)
      const field = String(first?.path[0] ?? "options")
      return invalid(field, `option ${field} must be a whole number >= 0: ${first?.message ?? ""}`)
    }
    const start = options.start
    if (start === undefined) return undefined
    const valid = Schema.decodeUnknownEither(position)(start)
    if (Either.isLeft(valid)) {
      return invalid(
        "start",
        `start is not a position of this list: ${ParseResult.TreeFormatter.formatErrorSync(valid.left)}`
      )
    }
    const mismatch = basis === undefined ? undefined : Position.mismatch(valid.right, basis)
    return mismatch === undefined ? undefined : invalid("start", mismatch.message)
  } catch (error) {
    return invalid("options", `the options could not be read: ${error instanceof Error ? error.message : "they threw"}`)
  }
}

/** Runs `walk` unless the options are refused, in which case both streams fail with the refusal and send nothing. */
const checked = <R, A, P extends Position.Position>(
  operation: Operation,
  position: Schema.Schema<P, Schema.Schema.Encoded<Schema.Schema<P>>>,
  basis: Position.Basis | undefined,
  options: Options<P> | undefined,
  walk: () => Paginator<R, A, P>
): Paginator<R, A, P> => {
  const refused = problem(operation, position, basis, options)
  return refused === undefined ? walk() : { pages: Stream.fail(refused), items: Stream.fail(refused) }
}

/** The fingerprint of what decides a walk's rows: its operation and its query (path parameters and filters). */
const queryOf = (operation: Operation, query: unknown): string =>
  Position.fingerprint({ operation: `${operation.method} ${operation.path}`, query })

/** `per_page` + `starting_after` in the query. @internal */
export const cursor = <R extends Paginate.CursorMetadata, A>(
  operation: Operation,
  fetch: Fetch<{ readonly per_page?: number | undefined; readonly starting_after?: string | undefined }, R>,
  getItems: (page: R) => ReadonlyArray<A> | null | undefined,
  options: Options<Position.Cursor> | undefined
): Paginator<R, A, Position.Cursor> =>
  checked(operation, Position.Cursor, undefined, options, () =>
    Paginate.cursor(
      (position) =>
        fetch({
          per_page: options?.per_page,
          starting_after: Option.getOrUndefined(position)?.startingAfter
        }),
      { ...limits(options), getItems: (page) => getItems(page) ?? [] }
    )
  )

/** The cursor inside a search body's `pagination`; positions carry the search's fingerprint. @internal */
export const search = <R extends Paginate.CursorMetadata, A>(
  operation: Operation,
  fetch: Fetch<SearchQuery.SearchRequest, R>,
  getItems: (page: R) => ReadonlyArray<A> | null | undefined,
  query: SearchQuery.Query,
  options: Options<Position.Cursor> | undefined
): Paginator<R, A, Position.Cursor> => {
  const basis: Position.Basis = { query: queryOf(operation, query) }
  return checked(operation, Position.Cursor, basis, options, () =>
    Paginate.searchCursor(
      options?.per_page === undefined ? { query } : { query, pagination: { per_page: options.per_page } },
      fetch,
      {
        ...limits(options),
        basis,
        withCursor: SearchQuery.withStartingAfter,
        getItems: (page) => getItems(page) ?? []
      }
    )
  )
}

/**
 * `page` + `per_page` in the query; positions carry the page size and the fingerprint of `query` (the walk's path
 * parameters and filters). @internal
 */
export const pageNumber = <R extends Paginate.PageNumberMetadata, A>(
  operation: Operation,
  query: unknown,
  fetch: Fetch<{ readonly page?: number | undefined; readonly per_page?: number | undefined }, R>,
  getItems: (page: R) => ReadonlyArray<A> | null | undefined,
  options: Options<Position.PageNumber> | undefined
): Paginator<R, A, Position.PageNumber> => {
  const basis: Position.Basis = { perPage: options?.per_page, query: queryOf(operation, query) }
  return checked(operation, Position.PageNumber, basis, options, () =>
    Paginate.pageNumber(
      (position) => fetch({ page: Option.getOrUndefined(position)?.page, per_page: options?.per_page }),
      { ...limits(options), basis, getItems: (page) => getItems(page) ?? [] }
    )
  )
}

/** `scroll_param`, ending on an empty page. @internal */
export const scroll = <R extends Paginate.ScrollMetadata, A>(
  operation: Operation,
  fetch: Fetch<{ readonly scroll_param?: string | undefined }, R>,
  getItems: (page: R) => ReadonlyArray<A> | null | undefined,
  options: Options<Position.Scroll> | undefined
): Paginator<R, A, Position.Scroll> =>
  checked(operation, Position.Scroll, undefined, options, () =>
    Paginate.scroll((position) => fetch({ scroll_param: Option.getOrUndefined(position)?.scrollParam }), {
      ...limits(options),
      getItems: (page) => getItems(page) ?? []
    })
  )

/** The first page from the query, then `pages.next` as a URL (which holds the query itself). @internal */
export const nextUrl = <R extends Paginate.NextUrlMetadata, A>(
  operation: Operation,
  first: Effect.Effect<R, IntercomError.IntercomError>,
  at: (url: string) => Effect.Effect<R, IntercomError.IntercomError>,
  getItems: (page: R) => ReadonlyArray<A> | null | undefined,
  options: Options<Position.NextUrl> | undefined
): Paginator<R, A, Position.NextUrl> =>
  checked(operation, Position.NextUrl, undefined, options, () =>
    Paginate.nextUrl(
      (position) =>
        Option.match(position, {
          onNone: () => first,
          onSome: ({ url }) => at(url)
        }),
      { ...limits(options), getItems: (page) => getItems(page) ?? [] }
    )
  )
