/**
 * What every route handler needs: its path parameters, the time, the store, and the bookkeeping of creates.
 *
 * @internal
 */
import { HttpRouter, HttpServerRequest, type HttpServerResponse } from "@effect/platform"
import type { SearchQuery } from "@intercom-effect/schemas"
import { Clock, Effect, type Schema } from "effect"
import { Counters } from "../Counters.js"
import * as Reply from "../Reply.js"
import * as Search from "../Search.js"
import { State, type Store } from "../State.js"
import type { Keyed } from "./collection.js"
import * as Paging from "./paging.js"

/** A path parameter of the route. @internal */
export const param = (name: string): Effect.Effect<string, never, HttpRouter.RouteContext> =>
  Effect.map(HttpRouter.params, (params) => params[name] ?? "")

/**
 * Now for the workspace's data, in epoch milliseconds: the workspace clock of a living workspace, Effect's `Clock`
 * otherwise. @internal
 */
export const nowMillis: Effect.Effect<number, never, State> = Effect.flatMap(State, (s) =>
  s.clock === undefined ? Clock.currentTimeMillis : Effect.succeed(s.clock)
)

/** Now for the workspace's data, in unix seconds, as Intercom's timestamps are. @internal */
export const now: Effect.Effect<number, never, State> = Effect.map(nowMillis, (ms) => Math.floor(ms / 1000))

/** The store. @internal */
export const store = State

/**
 * A create handler, counted once it succeeded: its method, path and body are recorded, so a create carried out
 * twice (a client's retry after a lost answer) shows up as a duplicate.
 *
 * @internal
 */
export const create = <E, R>(
  handler: Effect.Effect<HttpServerResponse.HttpServerResponse, E, R>
): Effect.Effect<
  HttpServerResponse.HttpServerResponse,
  E | Reply.ApiError,
  R | Counters | HttpServerRequest.HttpServerRequest
> =>
  Effect.gen(function* () {
    const response = yield* handler
    if (response.status >= 200 && response.status < 300) {
      const request = yield* HttpServerRequest.HttpServerRequest
      const body = yield* Reply.rawBody
      const counters = yield* Counters
      counters.unsafeCreate(request.method, new URL(request.url, "http://mock.invalid").pathname, body)
    }
    return response
  })

/** A handler for `/{resources}/:id`: the record `find` finds, answered by `respond`. @internal */
export const byId = <R, E, Q>(
  find: (s: Store, id: string) => Effect.Effect<R, Reply.ApiError>,
  respond: (s: Store, record: R) => Effect.Effect<HttpServerResponse.HttpServerResponse, E, Q>
) =>
  Effect.gen(function* () {
    const s = yield* State
    return yield* respond(s, yield* find(s, yield* param("id")))
  })

/**
 * A search endpoint: the body checked with `request`, the matches cached per version of the store, dates compared
 * by day of the workspace's calendar, and records younger than the store's search lag left out. @internal
 */
export const search = <R extends Keyed>(options: {
  readonly request: Schema.Schema<SearchQuery.SearchRequest>
  readonly records: (s: Store, keep: (record: R) => boolean) => ReadonlyArray<R>
  readonly fields: Search.Fields<R>
  /** The fields a living workspace compares by day besides those of `fields`. */
  readonly livingDays?: ReadonlyArray<string> | undefined
  /** When the record was created, in unix seconds. */
  readonly createdAt: (record: R) => number | null | undefined
  readonly perPage: number
  readonly respond: (
    s: Store,
    items: ReadonlyArray<R>,
    page: { readonly total_count: number; readonly pages: ReturnType<typeof Paging.cursorPages> }
  ) => Effect.Effect<HttpServerResponse.HttpServerResponse>
}) => {
  const cache = new Search.Cache<R>()
  const living: Search.Fields<R> = {
    ...options.fields,
    days: new Set([...(options.fields.days ?? []), ...(options.livingDays ?? [])])
  }
  return Effect.gen(function* () {
    const s = yield* State
    const body = yield* Reply.body(options.request)
    const fields = s.clock === undefined ? options.fields : living
    const results = cache.get(s, body.query, s.version, () =>
      options.records(s, (r) => Search.matches(body.query, r, fields, s.calendar))
    )
    // Not cached with the matches: the clock moves records into view without any change to the store.
    const newest = ((yield* nowMillis) - s.searchLag) / 1000
    const visible = s.searchLag > 0 ? results.filter((r) => (options.createdAt(r) ?? 0) <= newest) : results
    const { items, ...page } = yield* Paging.searched(body, options.perPage, visible)
    return yield* options.respond(s, items, page)
  })
}
