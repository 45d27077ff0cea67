/**
 * The paging styles of 2.10 as the routes answer them: cursors (`pages.next.starting_after`, in the query or in a
 * search body's `pagination`) and page numbers (`page`, `per_page`, `total_pages`, `pages.next` as a URL).
 *
 * @internal
 */
import { HttpServerRequest } from "@effect/platform"
import { Effect } from "effect"
import * as Reply from "../Reply.js"
import type { SearchQuery } from "@intercom-effect/schemas"
import { type Keyed, type Slice, sliceAfter } from "./collection.js"
import * as Cursor from "./cursor.js"

/** The position a `starting_after` points after; 400 when it is not a cursor the mock handed out. @internal */
export const after = (
  startingAfter: string | null | undefined,
  field = "starting_after"
): Effect.Effect<Cursor.Position | undefined, Reply.ApiError> => {
  if (startingAfter === null || startingAfter === undefined || startingAfter === "") return Effect.succeed(undefined)
  const position = Cursor.decode(startingAfter)
  return position === undefined ? Reply.invalid(field, `${field} is not a valid cursor`) : Effect.succeed(position)
}

/** `pages` of a cursor-paged answer. @internal */
export const cursorPages = (slice: Slice<Keyed>, perPage: number, from: Cursor.Position | undefined, total: number) => {
  const page = (from?.page ?? 0) + 1
  const last = slice.items[slice.items.length - 1]
  return {
    type: "pages" as const,
    page,
    per_page: perPage,
    total_pages: Math.ceil(total / perPage),
    next:
      slice.more && last !== undefined
        ? { per_page: perPage, starting_after: Cursor.encode({ seq: last.seq, page }) }
        : null
  }
}

/** The scheme and host the request came to, for the URLs Intercom puts in `pages.next`. @internal */
export const origin: Effect.Effect<string, never, HttpServerRequest.HttpServerRequest> = Effect.map(
  HttpServerRequest.HttpServerRequest,
  (request) => `http://${request.headers["host"] ?? "127.0.0.1"}`
)

/** One page of `items` by page number, with `pages.next` as the URL of the next page. @internal */
export const byPageNumber = <A>(
  items: ReadonlyArray<A>,
  page: number,
  perPage: number,
  nextUrl: (page: number) => string
) => {
  const totalPages = Math.ceil(items.length / perPage)
  return {
    data: items.slice((page - 1) * perPage, page * perPage),
    total_count: items.length,
    pages: {
      type: "pages" as const,
      page,
      per_page: perPage,
      total_pages: totalPages,
      next: page < totalPages ? nextUrl(page + 1) : null
    }
  }
}

/** `page` and `per_page` of the query. @internal */
export const pageQuery = (params: URLSearchParams, defaultPerPage: number, maxPerPage: number) =>
  Effect.all({
    page: Reply.intParam(params, "page", 1, { min: 1 }),
    perPage: Reply.intParam(params, "per_page", defaultPerPage, { min: 1, max: maxPerPage })
  })

/** One page of search `results`, from the cursor and page size in the search body's `pagination`. @internal */
export const searched = <R extends Keyed>(
  body: SearchQuery.SearchRequest,
  defaultPerPage: number,
  results: ReadonlyArray<R>
) =>
  Effect.map(after(body.pagination?.starting_after, "pagination.starting_after"), (from) => {
    const perPage = body.pagination?.per_page ?? defaultPerPage
    const slice = sliceAfter(results, from?.seq, perPage)
    return { items: slice.items, total_count: results.length, pages: cursorPages(slice, perPage, from, results.length) }
  })

/**
 * One page of `items` by the request's `page` and `per_page`, `pages.next` pointing at `path` with the same query
 * (`extra` adds parameters). @internal
 */
export const pageOf = <A>(
  items: ReadonlyArray<A>,
  path: string,
  perPage: { readonly default: number; readonly max: number },
  extra = ""
) =>
  Effect.gen(function* () {
    const query = yield* pageQuery(yield* Reply.query, perPage.default, perPage.max)
    const at = yield* origin
    return byPageNumber(
      items,
      query.page,
      query.perPage,
      (n) => `${at}${path}?page=${n}&per_page=${query.perPage}${extra}`
    )
  })
