// Fake page sources, one per paging style, that slice an in-memory list and record every request.
import { Data, Effect, Option, type Schedule } from "effect"
import { Paginate, Position } from "../src/index.js"

export interface Item {
  readonly id: number
}

export class PageError extends Data.TaggedError("PageError")<{ readonly call: number }> {}

/** The options a test may pass on top of what the fake itself supplies. */
export interface Limits<P> {
  readonly start?: P | undefined
  readonly prefetch?: number | undefined
  readonly prefetchAfter?: number | undefined
  readonly maxPages?: number | undefined
  readonly maxItems?: number | undefined
  readonly retry?: Schedule.Schedule<unknown, PageError> | undefined
}

export interface Fake<P> {
  /** Every position `fetch` was called with, in call order (retries included). */
  readonly requests: () => ReadonlyArray<Option.Option<P>>
  readonly paginator: (limits?: Limits<P>) => Paginate.Paginator<unknown, Item, P, PageError, never>
}

export interface Style<P extends Position.Position> {
  readonly name: string
  /** Requests a complete walk over `total` items costs. */
  readonly requestsFor: (total: number, perPage: number) => number
  readonly make: (source: ReadonlyArray<Item>, perPage: number, fail?: (call: number) => boolean) => Fake<P>
}

export const items = (n: number): ReadonlyArray<Item> => Array.from({ length: n }, (_, id) => ({ id }))

const metadataRequests = (total: number, perPage: number): number => Math.max(1, Math.ceil(total / perPage))

/** Wraps a pure responder with call recording and failure injection. */
const recorder = <P, Response>(
  respond: (position: Option.Option<P>) => Response,
  fail: ((call: number) => boolean) | undefined
) => {
  const requests: Array<Option.Option<P>> = []
  const fetch = (position: Option.Option<P>): Effect.Effect<Response, PageError> =>
    Effect.suspend(() => {
      const call = requests.length
      requests.push(position)
      return fail?.(call) === true ? Effect.fail(new PageError({ call })) : Effect.succeed(respond(position))
    })
  return { requests, fetch }
}

const totalPages = (total: number, perPage: number): number => Math.ceil(total / perPage)

interface CursorResponse {
  readonly type: "list"
  readonly data: ReadonlyArray<Item>
  readonly pages?: {
    readonly type: "pages"
    readonly page: number
    readonly per_page: number
    readonly total_pages: number
    readonly next?: { readonly per_page: number; readonly starting_after: string } | null
  } | null
}

// Cursors are opaque to the library; the fake encodes the offset so it can stay stateless.
const cursorResponse = (source: ReadonlyArray<Item>, perPage: number, after: Option.Option<string>): CursorResponse => {
  const offset = Option.getOrElse(
    Option.map(after, (s) => Number(s.slice("after-".length))),
    () => 0
  )
  const end = offset + perPage
  const page = Math.floor(offset / perPage) + 1
  const last = end >= source.length
  // Intercom sends the last page in several shapes; vary it so all of them are exercised.
  const lastShape = page % 3
  return {
    type: "list",
    data: source.slice(offset, end),
    ...(last && lastShape === 0
      ? {}
      : {
          pages: {
            type: "pages",
            page,
            per_page: perPage,
            total_pages: totalPages(source.length, perPage),
            ...(last
              ? lastShape === 1
                ? { next: null }
                : {}
              : { next: { per_page: perPage, starting_after: `after-${end}` } })
          }
        })
  }
}

export const cursor: Style<Position.Cursor> = {
  name: "cursor (query)",
  requestsFor: metadataRequests,
  make: (source, perPage, fail) => {
    const { fetch, requests } = recorder(
      (position: Option.Option<Position.Cursor>) =>
        cursorResponse(
          source,
          perPage,
          Option.map(position, (c) => c.startingAfter)
        ),
      fail
    )
    return {
      requests: () => requests,
      paginator: (limits) => Paginate.cursor(fetch, { ...limits, getItems: (page) => page.data })
    }
  }
}

export interface SearchBody {
  readonly query: { readonly field: string; readonly operator: string; readonly value: number }
  readonly pagination?: { readonly per_page?: number; readonly starting_after?: string | null } | null
}

/** The fixture's cursor writer: a copy of the body with `pagination.starting_after` set, `per_page` kept. */
export const withStartingAfter = (body: SearchBody, startingAfter: string): SearchBody => ({
  ...body,
  pagination: { ...body.pagination, starting_after: startingAfter }
})

/** A search endpoint that keeps a copy of every body it was sent. */
export const searchWith = (
  source: ReadonlyArray<Item>,
  fail?: (call: number) => boolean
): {
  readonly bodies: Array<SearchBody>
  readonly search: (body: SearchBody) => Effect.Effect<CursorResponse, PageError>
} => {
  const bodies: Array<SearchBody> = []
  const search = (body: SearchBody): Effect.Effect<CursorResponse, PageError> =>
    Effect.suspend(() => {
      const call = bodies.length
      bodies.push(structuredClone(body))
      return fail?.(call) === true
        ? Effect.fail(new PageError({ call }))
        : Effect.succeed(
            cursorResponse(
              source,
              body.pagination?.per_page ?? 50,
              Option.fromNullable(body.pagination?.starting_after)
            )
          )
    })
  return { bodies, search }
}

export const search: Style<Position.Cursor> = {
  name: "cursor (search body)",
  requestsFor: metadataRequests,
  make: (source, perPage, fail) => {
    const body: SearchBody = {
      query: { field: "created_at", operator: ">", value: 0 },
      pagination: { per_page: perPage }
    }
    const { bodies, search: run } = searchWith(source, fail)
    return {
      requests: () => bodies.map((b) => Option.map(Option.fromNullable(b.pagination?.starting_after), Position.cursor)),
      paginator: (limits) =>
        Paginate.searchCursor(body, run, { ...limits, withCursor: withStartingAfter, getItems: (page) => page.data })
    }
  }
}

export const pageNumber: Style<Position.PageNumber> = {
  name: "page number",
  requestsFor: metadataRequests,
  make: (source, perPage, fail) => {
    const { fetch, requests } = recorder((position: Option.Option<Position.PageNumber>) => {
      const page = Option.getOrElse(
        Option.map(position, (p) => p.page),
        () => 1
      )
      return {
        type: "list" as const,
        data: source.slice((page - 1) * perPage, page * perPage),
        pages: { type: "pages" as const, page, per_page: perPage, total_pages: totalPages(source.length, perPage) }
      }
    }, fail)
    return {
      requests: () => requests,
      paginator: (limits) => Paginate.pageNumber(fetch, { ...limits, getItems: (page) => page.data })
    }
  }
}

export const scroll: Style<Position.Scroll> = {
  name: "scroll",
  // Only an empty page ends a scroll, so a complete walk always pays for one.
  requestsFor: (total, perPage) => Math.ceil(total / perPage) + 1,
  make: (source, perPage, fail) => {
    const { fetch, requests } = recorder((position: Option.Option<Position.Scroll>) => {
      const offset = Option.getOrElse(
        Option.map(position, (s) => Number(s.scrollParam.slice("scroll-".length))),
        () => 0
      )
      const data = source.slice(offset, offset + perPage)
      return { type: "list" as const, data, scroll_param: `scroll-${offset + data.length}` }
    }, fail)
    return {
      requests: () => requests,
      paginator: (limits) => Paginate.scroll(fetch, { ...limits, getItems: (page) => page.data })
    }
  }
}

export const nextUrl: Style<Position.NextUrl> = {
  name: "next url",
  requestsFor: metadataRequests,
  make: (source, perPage, fail) => {
    const { fetch, requests } = recorder((position: Option.Option<Position.NextUrl>) => {
      const offset = Option.getOrElse(
        Option.map(position, (u) => Number(new URL(u.url).searchParams.get("offset"))),
        () => 0
      )
      const end = offset + perPage
      return {
        type: "event.list" as const,
        events: source.slice(offset, end),
        pages: {
          type: "pages" as const,
          next: end < source.length ? `https://api.intercom.io/events?offset=${end}&per_page=${perPage}` : null
        }
      }
    }, fail)
    return {
      requests: () => requests,
      paginator: (limits) => Paginate.nextUrl(fetch, { ...limits, getItems: (page) => page.events })
    }
  }
}

// Widened for iteration; sound because a test only feeds a style the positions that same style produced.
export const styles = [cursor, search, pageNumber, scroll, nextUrl] as unknown as ReadonlyArray<
  Style<Position.Position>
>
