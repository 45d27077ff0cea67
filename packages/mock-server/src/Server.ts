/**
 * The mock as an HTTP application: every route of every resource behind what Intercom does before a request
 * reaches them, in Intercom's order:
 *
 * 1. the bearer token (a missing or wrong one is a 401 `unauthorized`, without rate-limit headers);
 * 2. the window rate limit (`X-RateLimit-*` on every authenticated response, a 429 once the window is spent);
 * 3. the `Intercom-Version` header: a version the mock does not serve is a 400 `intercom_version_invalid`; a missing
 *    header is served with the workspace's default version (2.10), as Intercom serves the app's configured version,
 *    and counted (`Counters.missingVersion`) so a test can tell;
 * 4. faults, if any (see `Faults`);
 * 5. the route, whose `ApiError`s become Intercom's error list; an unknown route is a 404 `not_found`.
 *
 * Every response carries an `X-Request-Id`, also found as `request_id` in error bodies, and, in a living workspace,
 * a `Date` of the workspace clock (as Intercom's responses carry its time: a client can take "now" from it rather
 * than from a clock of its own). Nothing is logged: the token never leaves the process.
 *
 * The control routes under `/__mock/` (see `Control`) come before all of this but the token: they are neither
 * rate-limited, nor faulted, nor counted.
 *
 * `byToken` serves several workspaces' applications behind one: the bearer token picks the workspace.
 *
 * @since 0.1.0
 */
import { type HttpApp, HttpRouter, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import * as NodeHttpServerRequest from "@effect/platform-node/NodeHttpServerRequest"
import { Clock, Duration, Effect, Option, Redacted } from "effect"
import * as Control from "./Control.js"
import { Counters, type Service as CountersService } from "./Counters.js"
import type * as Faults from "./Faults.js"
import type * as Living from "./Living.js"
import * as RateLimit from "./RateLimit.js"
import * as Reply from "./Reply.js"
import * as Admins from "./routes/Admins.js"
import * as Companies from "./routes/Companies.js"
import * as Contacts from "./routes/Contacts.js"
import * as Conversations from "./routes/Conversations.js"
import * as DataAttributes from "./routes/DataAttributes.js"
import * as DataEvents from "./routes/DataEvents.js"
import * as DataExport from "./routes/DataExport.js"
import * as Tags from "./routes/Tags.js"
import * as Tickets from "./routes/Tickets.js"
import { State, type Store } from "./State.js"

/**
 * What the application checks and injects.
 *
 * @since 0.1.0
 * @category models
 */
export interface Config {
  /** The token to accept; `None` accepts any bearer token. */
  readonly accessToken: Option.Option<Redacted.Redacted<string>>
  /** Versions served; the first is the default for requests without the header. */
  readonly versions: ReadonlyArray<string>
  readonly rateLimit: RateLimit.RateLimiter
  readonly faults: Faults.Faults
  /** The engine of a living workspace, whose clock the control routes move. */
  readonly workspace?: Living.Workspace | undefined
}

/**
 * Every route of the mock.
 *
 * @since 0.1.0
 * @category routers
 */
export const router = HttpRouter.concatAll(
  Admins.router,
  Companies.router,
  Contacts.router,
  Conversations.router,
  DataAttributes.router,
  DataEvents.router,
  DataExport.router,
  Tags.router,
  Tickets.router
)

const bearer = /^bearer\s+(\S+)\s*$/i

/**
 * The token of an `Authorization: Bearer <token>` header; undefined for any other header or none.
 *
 * @since 0.3.0
 * @category authentication
 */
export const bearerToken = (header: string | undefined): string | undefined =>
  header === undefined ? undefined : bearer.exec(header)?.[1]

const authorized = (config: Config, header: string | undefined): boolean => {
  const token = bearerToken(header)
  if (token === undefined) return false
  return Option.match(config.accessToken, { onNone: () => true, onSome: (t) => Redacted.value(t) === token })
}

// The control routes ask for the token only when one is set: a test without one needs no header at all.
const controlAuthorized = (config: Config, header: string | undefined): boolean =>
  Option.isNone(config.accessToken) || authorized(config, header)

const error = (status: number, code: string, message: string, headers?: Record<string, string>) =>
  new Reply.ApiError({ status, errors: [{ code, message }], headers })

// The half of the body that gets through before the connection is reset, as when a proxy or the network drops it.
const resetMidBody = (
  request: HttpServerRequest.HttpServerRequest,
  response: HttpServerResponse.HttpServerResponse
): Effect.Effect<never> =>
  Effect.async<never>(() => {
    const body = response.body
    const bytes = body._tag === "Uint8Array" ? body.body : new Uint8Array()
    const contentType = body._tag === "Uint8Array" ? body.contentType : "application/json"
    const node = NodeHttpServerRequest.toServerResponse(request)
    node.writeHead(response.status, {
      ...response.headers,
      "content-type": contentType,
      "content-length": String(bytes.length)
    })
    node.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => {
      const socket = node.socket
      if (socket !== null) socket.resetAndDestroy()
    })
    // The closed connection interrupts this fiber (the platform watches for it).
  })

/**
 * The application for a store, counters and configuration.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  store: Store,
  counters: CountersService,
  config: Config
): HttpApp.Default<never, HttpServerRequest.HttpServerRequest> => {
  const handle = HttpRouter.toHttpApp(router).pipe(
    Effect.map((app) =>
      app.pipe(
        Effect.catchTags({
          RouteNotFound: () => Effect.fail(error(404, "not_found", "Resource Not Found"))
        }),
        Effect.provideService(State, store),
        Effect.provideService(Counters, counters)
      )
    ),
    Effect.runSync
  )
  const control = Control.make({ store, counters, workspace: config.workspace })
  // Read when the answer leaves, so that an advance answers with the time it moved the clock to.
  const dated = (headers: Record<string, string>): Record<string, string> =>
    store.clock === undefined ? headers : { ...headers, date: new Date(store.clock).toUTCString() }

  return Effect.gen(function* () {
    const request = yield* HttpServerRequest.HttpServerRequest
    if (Control.isControl(request.url)) {
      const requestId = `mock-${store.ids.salt}-control`
      const response = controlAuthorized(config, request.headers["authorization"])
        ? yield* control.pipe(Effect.catchTag("ApiError", (e) => Effect.succeed(Reply.errorResponse(e, requestId))))
        : Reply.errorResponse(error(401, "unauthorized", "Access Token Invalid"), requestId)
      return HttpServerResponse.setHeaders(response, dated({ "x-request-id": requestId }))
    }
    const n = counters.unsafeRequest()
    const requestId = `mock-${store.ids.salt}-${n.toString(16).padStart(8, "0")}`
    const send = (response: HttpServerResponse.HttpServerResponse, headers: Record<string, string> = {}) => {
      counters.unsafeResponse(response.status)
      return HttpServerResponse.setHeaders(response, dated({ ...headers, "x-request-id": requestId }))
    }
    const refuse = (e: Reply.ApiError, headers: Record<string, string> = {}) =>
      send(Reply.errorResponse(e, requestId), headers)

    if (!authorized(config, request.headers["authorization"])) {
      return refuse(error(401, "unauthorized", "Access Token Invalid"))
    }

    const decision = config.rateLimit.unsafeTake(yield* Clock.currentTimeMillis)
    counters.unsafeWindow(decision.windowStart, decision.allowed)
    const window = RateLimit.headers(decision)
    if (!decision.allowed) {
      const { limit, window: length } = config.rateLimit.options
      return refuse(
        error(429, "rate_limit_exceeded", `Exceeded rate limit of ${limit} in ${Duration.format(length)}`),
        window
      )
    }

    const version = request.headers["intercom-version"]
    if (version === undefined) counters.unsafeMissingVersion()
    else if (!config.versions.includes(version)) {
      return refuse(
        error(
          400,
          "intercom_version_invalid",
          `Requested version ${version} is not served; use ${config.versions.join(", ")}`
        ),
        window
      )
    }

    const draw = config.faults.unsafeNext()
    if (Duration.toMillis(draw.latency) > 0) {
      counters.unsafeFault("delayed")
      yield* Effect.sleep(draw.latency)
    }
    switch (draw.fault._tag) {
      case "ServerError":
        counters.unsafeFault("serverErrors")
        return draw.fault.status === 500
          ? refuse(error(500, "server_error", "Server Error"), window)
          : refuse(error(503, "service_unavailable", "Service Unavailable"), window)
      case "RateLimited":
        counters.unsafeFault("rateLimited")
        return refuse(error(429, "rate_limit_exceeded", "Exceeded rate limit"), {
          ...window,
          "x-ratelimit-remaining": "0"
        })
    }

    const response = yield* handle.pipe(
      Effect.catchTag("ApiError", (e) => Effect.succeed(Reply.errorResponse(e, requestId)))
    )

    switch (draw.fault._tag) {
      case "BadGateway":
        counters.unsafeFault("badGateways")
        // A proxy's page, not Intercom's JSON: the upstream's answer never made it.
        return send(
          HttpServerResponse.text("<html><body><h1>502 Bad Gateway</h1></body></html>", {
            status: 502,
            contentType: "text/html"
          }),
          window
        )
      case "Reset":
        if (response.body._tag !== "Uint8Array" || response.body.body.length < 2) break
        counters.unsafeFault("resets")
        counters.unsafeResponse(response.status)
        return yield* resetMidBody(
          request,
          HttpServerResponse.setHeaders(response, dated({ ...window, "x-request-id": requestId }))
        )
      case "Truncate": {
        const body = response.body
        if (body._tag !== "Uint8Array" || body.body.length < 2) break
        counters.unsafeFault("truncated")
        return send(
          HttpServerResponse.uint8Array(body.body.subarray(0, Math.floor(body.body.length / 2)), {
            status: response.status,
            headers: response.headers,
            contentType: body.contentType
          }),
          window
        )
      }
    }
    return send(response, window)
  }).pipe(
    // A defect in a handler is a bug in the mock; answer like Intercom's 500 rather than dropping the connection.
    Effect.catchAllDefect(() =>
      Effect.succeed(
        HttpServerResponse.setHeaders(
          Reply.errorResponse(error(500, "server_error", "Server Error"), "mock-defect"),
          dated({})
        )
      )
    )
  )
}

/**
 * One workspace's application and the token that picks it.
 *
 * @since 0.3.0
 * @category models
 */
export interface Tenant {
  readonly token: Redacted.Redacted<string>
  readonly app: HttpApp.Default<never, HttpServerRequest.HttpServerRequest>
}

/**
 * Several workspaces behind one application: the bearer token picks the workspace, whose application (`make`)
 * answers everything, control routes included; a request with no token or an unknown one is a 401 `unauthorized`,
 * as Intercom answers it, counted by no workspace. Tokens must differ (`MockIntercom` checks them).
 *
 * @since 0.3.0
 * @category constructors
 */
export const byToken = (
  tenants: ReadonlyArray<Tenant>
): HttpApp.Default<never, HttpServerRequest.HttpServerRequest> => {
  const apps = new Map(tenants.map(({ app, token }) => [Redacted.value(token), app]))
  let refused = 0
  return Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
    const token = bearerToken(request.headers["authorization"])
    const app = token === undefined ? undefined : apps.get(token)
    if (app !== undefined) return app
    const requestId = `mock-unknown-${(++refused).toString(16).padStart(8, "0")}`
    return Effect.succeed(
      HttpServerResponse.setHeader(
        Reply.errorResponse(error(401, "unauthorized", "Access Token Invalid"), requestId),
        "x-request-id",
        requestId
      )
    )
  })
}
