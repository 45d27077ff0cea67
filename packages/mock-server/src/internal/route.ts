/**
 * What every route handler needs: its path parameters, the time, the store, and the bookkeeping of creates.
 *
 * @internal
 */
import { HttpRouter, HttpServerRequest, type HttpServerResponse } from "@effect/platform"
import { Clock, Effect } from "effect"
import { Counters } from "../Counters.js"
import * as Reply from "../Reply.js"
import { State } from "../State.js"

/** A path parameter of the route. @internal */
export const param = (name: string): Effect.Effect<string, never, HttpRouter.RouteContext> =>
  Effect.map(HttpRouter.params, (params) => params[name] ?? "")

/** Now, in unix seconds, as Intercom's timestamps are. @internal */
export const now: Effect.Effect<number> = Effect.map(Clock.currentTimeMillis, (ms) => Math.floor(ms / 1000))

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
