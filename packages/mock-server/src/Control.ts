/**
 * The mock's own routes, for a test that runs it in another process: move the workspace clock, read it, take a
 * snapshot of the workspace, read and reset the counters. They live under `/__mock/`, a prefix no Intercom route
 * uses; they need the mock's bearer token when one is set, and are neither rate-limited, nor faulted, nor counted.
 * A mock of several workspaces serves them per workspace: the bearer token picks the workspace they act on.
 *
 * | route                       | body                         | answer                                       |
 * | --------------------------- | ---------------------------- | -------------------------------------------- |
 * | `POST /__mock/advance`      | `{"ms": n}` or `{"to": t}`   | {@link Living.Advanced}: `{now, applied, skipped}` |
 * | `GET /__mock/now`           |                              | {@link Now}: `{now, date, timezone, living}` |
 * | `GET /__mock/snapshot`      |                              | {@link Snapshot.Snapshot}                    |
 * | `GET /__mock/counters`      |                              | {@link CountersSnapshot}                     |
 * | `POST /__mock/counters/reset` |                            | 204                                          |
 *
 * @since 0.2.0
 */
import { type HttpApp, HttpRouter, type HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { Clock, Effect, Either, Schema } from "effect"
import type * as Counters from "./Counters.js"
import * as Living from "./Living.js"
import * as Reply from "./Reply.js"
import type { Store } from "./State.js"

/**
 * The prefix of the control routes.
 *
 * @since 0.2.0
 * @category constants
 */
export const prefix = "/__mock/"

/**
 * Whether a request path is a control route's.
 *
 * @since 0.2.0
 * @category predicates
 */
export const isControl = (url: string): boolean => url.startsWith(prefix)

/**
 * The body of `POST /__mock/advance`: move the clock forward by `ms` milliseconds, or to `to` (epoch milliseconds).
 *
 * @since 0.2.0
 * @category schemas
 */
export const AdvanceRequest = Schema.Union(
  Schema.Struct({ ms: Schema.NonNegativeInt }),
  Schema.Struct({ to: Schema.NonNegativeInt })
).annotations({ identifier: "AdvanceRequest" })

/**
 * The answer of `GET /__mock/now`.
 *
 * @since 0.2.0
 * @category schemas
 */
export const Now = Schema.Struct({
  /** The workspace clock (Effect's `Clock` when not living), in epoch milliseconds. */
  now: Schema.Number,
  /** The same time in ISO 8601. */
  date: Schema.String,
  timezone: Schema.String,
  living: Schema.Boolean
}).annotations({ identifier: "Now" })

const FaultCounts = Schema.Struct({
  serverErrors: Schema.Number,
  badGateways: Schema.Number,
  rateLimited: Schema.Number,
  resets: Schema.Number,
  truncated: Schema.Number,
  delayed: Schema.Number
})

/**
 * The answer of `GET /__mock/counters`: `Counters.Snapshot` as JSON (statuses are object keys, so strings).
 *
 * @since 0.2.0
 * @category schemas
 */
export const CountersSnapshot = Schema.Struct({
  requests: Schema.Number,
  responses: Schema.Record({ key: Schema.String, value: Schema.Number }),
  creates: Schema.Number,
  duplicateCreates: Schema.Number,
  maxPerWindow: Schema.Number,
  windows: Schema.Array(Schema.Struct({ start: Schema.Number, served: Schema.Number, limited: Schema.Number })),
  missingVersion: Schema.Number,
  faults: FaultCounts
}).annotations({ identifier: "CountersSnapshot" })

/**
 * What the control routes act on.
 *
 * @since 0.2.0
 * @category models
 */
export interface Options {
  readonly store: Store
  readonly counters: Counters.Service
  /** The living workspace's engine; without one, `advance` answers 409 `not_living`. */
  readonly workspace: Living.Workspace | undefined
}

const advanceError = (e: Living.AdvanceError) =>
  e.reason === "NotLiving"
    ? Reply.fail(409, "not_living", e.message)
    : Reply.fail(400, "parameter_invalid", e.message, e.reason === "Invalid" ? undefined : "to")

/**
 * The control routes as an application; `Server.make` serves them in front of the API's.
 *
 * @since 0.2.0
 * @category constructors
 */
export const make = ({
  counters,
  store,
  workspace
}: Options): HttpApp.Default<Reply.ApiError, HttpServerRequest.HttpServerRequest> => {
  const router = HttpRouter.empty.pipe(
    HttpRouter.post(
      "/__mock/advance",
      Effect.gen(function* () {
        const body = yield* Reply.body(AdvanceRequest)
        if (workspace === undefined) {
          return yield* advanceError(
            new Living.AdvanceError({ reason: "NotLiving", message: "the mock was not started living (--living)" })
          )
        }
        const result = "ms" in body ? workspace.advance(body.ms) : workspace.advanceTo(body.to)
        return yield* Either.match(result, {
          onLeft: advanceError,
          onRight: (advanced) => Reply.json(Living.Advanced, advanced)
        })
      })
    ),
    HttpRouter.get(
      "/__mock/now",
      Effect.gen(function* () {
        const now = store.clock ?? (yield* Clock.currentTimeMillis)
        return yield* Reply.json(Now, {
          now,
          date: new Date(now).toISOString(),
          timezone: store.calendar.timezone,
          living: workspace !== undefined
        })
      })
    ),
    // Every record is already encoded by its schema (and kept so until it changes); encoding the whole again would
    // cost seconds on a large workspace for nothing.
    HttpRouter.get(
      "/__mock/snapshot",
      Effect.sync(() => HttpServerResponse.unsafeJson(store.snapshot()))
    ),
    HttpRouter.get(
      "/__mock/counters",
      Effect.flatMap(counters.snapshot, (snapshot) => Reply.json(CountersSnapshot, snapshot))
    ),
    HttpRouter.post("/__mock/counters/reset", Effect.as(counters.reset, HttpServerResponse.empty({ status: 204 })))
  )
  return HttpRouter.toHttpApp(router).pipe(
    Effect.map((app) =>
      app.pipe(Effect.catchTags({ RouteNotFound: () => Reply.fail(404, "not_found", "No such control route") }))
    ),
    Effect.runSync
  )
}
