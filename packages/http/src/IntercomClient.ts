/**
 * The HTTP service every Intercom call goes through. It knows no endpoint: callers (the domain services, or users
 * reaching an endpoint directly) describe a request with its path, its body schema and its response schema.
 *
 * Per call: encode the input with its schema (bad input fails before anything is sent) → retry policy, outermost
 * → concurrency cap → optional client-side budget → rate-limit gate → one attempt with its own timeout (send,
 * status mapping, body read) → decode the body with its schema.
 *
 * @since 0.1.0
 */
import { Headers, HttpClient, HttpClientRequest, type HttpClientResponse, type UrlParams } from "@effect/platform"
import type { HttpClientError } from "@effect/platform/HttpClientError"
import { RateLimiter } from "@effect/experimental"
import {
  Clock,
  Context,
  Duration,
  Effect,
  Layer,
  Option,
  ParseResult,
  Redacted,
  Ref,
  Schema,
  Stream,
  type ConfigError,
  type Schedule
} from "effect"
import * as IntercomConfig from "./IntercomConfig.js"
import {
  BadRequest,
  Conflict,
  DecodeError,
  ErrorBody,
  Forbidden,
  type IntercomError,
  InvalidRequest,
  NotFound,
  RateLimited,
  ServerError,
  type StatusError,
  TimeoutError,
  TransportError,
  Unauthorized,
  UnexpectedStatus,
  UnprocessableEntity
} from "./IntercomError.js"
import * as Gate from "./internal/gate.js"
import { version } from "./internal/version.js"
import * as RateLimit from "./RateLimit.js"
import * as RetryPolicy from "./RetryPolicy.js"

/**
 * HTTP methods Intercom's REST API uses.
 *
 * @since 0.1.0
 * @category models
 */
export type Method = "GET" | "POST" | "PUT" | "DELETE"

/**
 * A request body: a value and the schema that encodes it. Build one with {@link jsonBody}.
 *
 * @since 0.1.0
 * @category models
 */
export interface JsonBody {
  readonly _tag: "JsonBody"
  /** Encodes strictly: unknown keys and wrong types are errors, so a typo never reaches Intercom. */
  readonly encode: Effect.Effect<unknown, ParseResult.ParseError>
}

/**
 * Pairs a value with its schema. The value is encoded when the request runs; a failure becomes `InvalidRequest`
 * and nothing is sent.
 *
 * @since 0.1.0
 * @category constructors
 */
export const jsonBody = <A, I>(schema: Schema.Schema<A, I>, value: NoInfer<A>): JsonBody => ({
  _tag: "JsonBody",
  encode: Schema.encodeUnknown(schema, { errors: "all", onExcessProperty: "error" })(value)
})

/**
 * Describes one call.
 *
 * @since 0.1.0
 * @category models
 */
export interface RequestOptions {
  readonly method: Method
  /** Path below the base URL, starting with "/"; path parameters already URL-encoded (see {@link path}). */
  readonly path: string
  readonly urlParams?: UrlParams.Input | undefined
  /** A JSON body; DELETE may carry one too (some Intercom endpoints expect `{admin_id}` there). */
  readonly body?: JsonBody | undefined
  /**
   * Whether repeating the call is harmless. Defaults to true for GET, PUT and DELETE and false for POST; set it
   * for POSTs that only read (the /search endpoints, /companies/list) so they are retried after 5xx and timeouts.
   */
  readonly idempotent?: boolean | undefined
  /** The Accept header; `application/json` unless set (the CSV download wants `application/octet-stream`). */
  readonly accept?: string | undefined
}

/**
 * What a caller can learn about the response to one call.
 *
 * @since 0.1.0
 * @category models
 */
export interface ResponseMeta {
  readonly method: Method
  readonly path: string
  readonly status: number
  /** `X-Request-Id` header, or `request_id` of an error body. */
  readonly requestId: string | null
  readonly rateLimit: Option.Option<RateLimit.RateLimitSnapshot>
}

/**
 * The service interface.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** Sends a call and decodes its JSON body with `response` (unknown fields ignored). */
  readonly request: <A, I>(
    options: RequestOptions & { readonly response: Schema.Schema<A, I> }
  ) => Effect.Effect<A, IntercomError>
  /** Like `request`, and also returns the response's metadata (request id, rate-limit window). */
  readonly requestWithMeta: <A, I>(
    options: RequestOptions & { readonly response: Schema.Schema<A, I> }
  ) => Effect.Effect<{ readonly value: A; readonly meta: ResponseMeta }, IntercomError>
  /** Sends a call whose 2xx body is empty or of no interest (202 on POST /events, 200 on DELETE /tags/{id}). */
  readonly requestVoid: (options: RequestOptions) => Effect.Effect<void, IntercomError>
  /**
   * Sends a call and streams the response body as it arrives, never buffering it whole (the data export CSV).
   * Retries apply until the response headers arrive; interrupting the stream aborts the download.
   */
  readonly stream: (options: RequestOptions) => Stream.Stream<Uint8Array, IntercomError>
  /** The metadata of the last response this client received, from any fiber. */
  readonly lastResponse: Effect.Effect<Option.Option<ResponseMeta>>
  /** The latest rate-limit window reported by Intercom to this client. */
  readonly rateLimit: Effect.Effect<Option.Option<RateLimit.RateLimitSnapshot>>
}

/**
 * The client service tag.
 *
 * @since 0.1.0
 * @category tags
 */
export class IntercomClient extends Context.Tag("@intercom-effect/http/IntercomClient")<IntercomClient, Service>() {}

/**
 * Builds a path from a template's literal parts and parameters, URL-encoding each parameter so an id such as
 * "a/b" or an e-mail address cannot change the path.
 *
 * @example
 * path`/contacts/${id}/tags/${tagId}`
 *
 * @since 0.1.0
 * @category constructors
 */
export const path = (strings: TemplateStringsArray, ...params: ReadonlyArray<string | number>): string =>
  strings.reduce((out, part, i) => out + part + (i < params.length ? encodeURIComponent(String(params[i])) : ""), "")

/** Bytes of a response body kept in an error. */
const snippetLength = 1024

const idempotentByDefault = (method: Method): boolean => method !== "POST"

/**
 * Creates the client from an `HttpClient` and an `IntercomConfig`. One client is one rate-limit gate: share it.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = Effect.gen(function* () {
  const config = yield* IntercomConfig.IntercomConfig
  const token = Redacted.value(config.accessToken)
  const gate = yield* Gate.make(config.rateLimit)
  const semaphore = yield* Effect.makeSemaphore(config.rateLimit.maxConcurrency)
  const last = yield* Ref.make(Option.none<ResponseMeta>())
  const timeoutMillis = Duration.toMillis(config.timeout)
  const userAgent = `intercom-effect/${version} (@intercom-effect/http; effect)${Option.match(config.userAgentSuffix, {
    onNone: () => "",
    onSome: (suffix) => ` ${suffix}`
  })}`

  // A client-side budget is opt-in. A RateLimiter provided by the user (e.g. over Redis, shared by processes)
  // wins over the in-memory one.
  const budget = yield* Option.match(config.rateLimit.budget, {
    onNone: () => Effect.succeed(Effect.void),
    onSome: (options) =>
      Effect.gen(function* () {
        const limiter = yield* Effect.serviceOption(RateLimiter.RateLimiter).pipe(
          Effect.flatMap(
            Option.match({
              onSome: Effect.succeed,
              onNone: () => RateLimiter.make.pipe(Effect.provide(RateLimiter.layerStoreMemory))
            })
          )
        )
        const sleep = yield* RateLimiter.makeSleep.pipe(Effect.provideService(RateLimiter.RateLimiter, limiter))
        return sleep({
          algorithm: "fixed-window",
          limit: options.limit,
          window: options.window,
          key: options.key
        }).pipe(Effect.asVoid)
      })
  })

  // Never let a body snippet carry the token, even if a proxy echoes request headers back.
  const scrub = (text: string): string => (token.length > 0 ? text.split(token).join("[redacted]") : text)
  const requestId = (headers: Headers.Headers, body: ErrorBody | undefined): string | null => {
    const id = requestIdOf(headers, body)
    return id === null ? null : scrub(id)
  }

  const httpClient = (yield* HttpClient.HttpClient).pipe(
    HttpClient.mapRequest((request) =>
      request.pipe(
        HttpClientRequest.prependUrl(config.baseUrl),
        HttpClientRequest.bearerToken(config.accessToken),
        HttpClientRequest.setHeaders({
          "Intercom-Version": config.version,
          "User-Agent": userAgent
        })
      )
    ),
    // A third-party API has no use for our trace ids, and they would leak internal topology.
    HttpClient.withTracerPropagation(false)
  )

  const statusError = (
    options: RequestOptions,
    response: HttpClientResponse.HttpClientResponse,
    raw: string,
    hint: number | null
  ): StatusError => {
    // Scrub before parsing, so no field taken from the body (errors, error_key, request_id) can carry the token.
    const text = scrub(raw)
    const parsed = Option.flatMap(
      Option.liftThrowable((t: string): unknown => JSON.parse(t))(text),
      Schema.decodeUnknownOption(ErrorBody)
    )
    const body = Option.getOrUndefined(parsed)
    const fields = {
      method: options.method,
      path: options.path,
      status: response.status,
      requestId: requestId(response.headers, body),
      errors: body?.errors ?? [],
      errorKey: body?.error_key ?? null,
      body: text.slice(0, snippetLength)
    }
    switch (response.status) {
      case 400:
        return new BadRequest(fields)
      case 401:
        return new Unauthorized(fields)
      case 403:
        return new Forbidden(fields)
      case 404:
        return new NotFound(fields)
      case 409:
        return new Conflict(fields)
      case 422:
        return new UnprocessableEntity(fields)
      case 429:
        return new RateLimited({ ...fields, retryAfterMillis: hint, transient: !isPendingExportLimit(options, text) })
      case 408:
        return new ServerError({ ...fields, retryAfterMillis: hint })
      default:
        return response.status >= 500
          ? new ServerError({ ...fields, retryAfterMillis: hint })
          : new UnexpectedStatus(fields)
    }
  }

  const transportError = (options: RequestOptions) => (error: HttpClientError) =>
    new TransportError({
      method: options.method,
      path: options.path,
      reason: error._tag === "RequestError" ? error.reason : `Response${error.reason}`,
      detail: scrub(error.cause instanceof Error ? error.cause.message : error.message)
    })

  const budgetFor = (options: RequestOptions): Effect.Effect<void, TransportError> =>
    Effect.mapError(
      budget,
      (error) =>
        new TransportError({
          method: options.method,
          path: options.path,
          reason: "RateLimiterStore",
          detail: error.message
        })
    )

  /**
   * The exchange itself: send, feed the gate, map the status, and hand a 2xx response to `read`, all within the
   * per-attempt timeout. Interruption (including the timeout) aborts the socket.
   */
  const exchange = <A>(
    options: RequestOptions,
    request: HttpClientRequest.HttpClientRequest,
    read: (response: HttpClientResponse.HttpClientResponse, meta: ResponseMeta) => Effect.Effect<A, IntercomError>
  ): Effect.Effect<A, IntercomError> =>
    Effect.gen(function* () {
      const response = yield* httpClient.execute(request).pipe(Effect.mapError(transportError(options)))
      const now = yield* Clock.currentTimeMillis
      const rateLimit = RateLimit.fromHeaders(response.headers)
      const hint = RateLimit.serverDelayMillis(response.headers, now)
      // A 429 without a hint still holds the other fibers back for a moment.
      const penalty = response.status === 429 ? Option.some(Option.getOrElse(hint, () => 1000)) : Option.none()
      yield* gate.observe(rateLimit, penalty)
      const meta: ResponseMeta = {
        method: options.method,
        path: options.path,
        status: response.status,
        requestId: requestId(response.headers, undefined),
        rateLimit
      }
      yield* Ref.set(last, Option.some(meta))
      if (response.status >= 200 && response.status < 300) return yield* read(response, meta)
      // An unreadable error body still leaves the status to report.
      const text = yield* Effect.orElseSucceed(response.text, () => "")
      return yield* Effect.fail(statusError(options, response, text, Option.getOrNull(hint)))
    }).pipe(
      Effect.timeoutFail({
        duration: config.timeout,
        onTimeout: () => new TimeoutError({ method: options.method, path: options.path, timeoutMillis })
      })
    )

  /** One attempt: a concurrency slot, the optional budget, a place through the rate-limit gate, the exchange. */
  const attempt = <A>(
    options: RequestOptions,
    request: HttpClientRequest.HttpClientRequest,
    read: (response: HttpClientResponse.HttpClientResponse, meta: ResponseMeta) => Effect.Effect<A, IntercomError>
  ): Effect.Effect<A, IntercomError> =>
    semaphore.withPermits(1)(Effect.zipRight(budgetFor(options), gate.withSlot(exchange(options, request, read))))

  const retrying = <A>(options: RequestOptions, effect: Effect.Effect<A, IntercomError>) => {
    const context: IntercomConfig.RetryContext = {
      method: options.method,
      path: options.path,
      idempotent: options.idempotent ?? idempotentByDefault(options.method)
    }
    const policy: Schedule.Schedule<unknown, IntercomError> = Option.match(config.retrySchedule, {
      onNone: () => RetryPolicy.schedule(config.retry, context),
      onSome: (f) => f(context)
    })
    return Effect.retry(effect, policy)
  }

  const buildRequest = (options: RequestOptions): Effect.Effect<HttpClientRequest.HttpClientRequest, InvalidRequest> =>
    Effect.gen(function* () {
      let request = HttpClientRequest.make(options.method)(options.path).pipe(
        HttpClientRequest.setHeader("Accept", options.accept ?? "application/json")
      )
      if (options.urlParams !== undefined) request = HttpClientRequest.setUrlParams(request, options.urlParams)
      if (options.body !== undefined) {
        const encoded = yield* options.body.encode.pipe(
          Effect.mapError(
            (error) =>
              new InvalidRequest({
                method: options.method,
                path: options.path,
                issue: scrub(ParseResult.TreeFormatter.formatErrorSync(error))
              })
          )
        )
        request = HttpClientRequest.bodyUnsafeJson(request, encoded)
      }
      return request
    })

  const decodeJson =
    <A, I>(options: RequestOptions, schema: Schema.Schema<A, I>) =>
    (response: HttpClientResponse.HttpClientResponse, meta: ResponseMeta): Effect.Effect<A, IntercomError> =>
      Effect.gen(function* () {
        const text = yield* response.text.pipe(Effect.mapError(transportError(options)))
        const fail = (issue: string) =>
          new DecodeError({
            method: options.method,
            path: options.path,
            status: meta.status,
            requestId: meta.requestId,
            body: scrub(text).slice(0, snippetLength),
            // A schema failure report quotes the offending value, which could be anything the server sent.
            issue: scrub(issue)
          })
        // An empty 2xx body decodes as `undefined`, so a schema that allows it (Schema.Void, Schema.Undefined) works.
        const json =
          text.trim() === ""
            ? undefined
            : yield* Effect.try({
                try: (): unknown => JSON.parse(text),
                catch: (error) => fail(`body is not JSON (${error instanceof Error ? error.message : String(error)})`)
              })
        return yield* Schema.decodeUnknown(schema, { errors: "all", onExcessProperty: "ignore" })(json).pipe(
          Effect.mapError((error) => fail(ParseResult.TreeFormatter.formatErrorSync(error)))
        )
      })

  const requestWithMeta = <A, I>(options: RequestOptions & { readonly response: Schema.Schema<A, I> }) =>
    Effect.gen(function* () {
      const request = yield* buildRequest(options)
      return yield* retrying(
        options,
        attempt(options, request, (response, meta) =>
          Effect.map(decodeJson(options, options.response)(response, meta), (value) => ({ value, meta }))
        )
      )
    })

  const service: Service = {
    requestWithMeta: Effect.fn("IntercomClient.request")(function* <A, I>(
      options: RequestOptions & { readonly response: Schema.Schema<A, I> }
    ) {
      yield* Effect.annotateCurrentSpan({ "http.request.method": options.method, "intercom.path": options.path })
      return yield* requestWithMeta(options)
    }),
    request: Effect.fn("IntercomClient.request")(function* <A, I>(
      options: RequestOptions & { readonly response: Schema.Schema<A, I> }
    ) {
      yield* Effect.annotateCurrentSpan({ "http.request.method": options.method, "intercom.path": options.path })
      return (yield* requestWithMeta(options)).value
    }),
    requestVoid: Effect.fn("IntercomClient.request")(function* (options: RequestOptions) {
      yield* Effect.annotateCurrentSpan({ "http.request.method": options.method, "intercom.path": options.path })
      const request = yield* buildRequest(options)
      // Drain the body so the connection can be reused.
      yield* retrying(
        options,
        attempt(options, request, (response) =>
          Effect.asVoid(Effect.mapError(response.arrayBuffer, transportError(options)))
        )
      )
    }),
    stream: (options) =>
      Stream.unwrap(
        Effect.gen(function* () {
          const request = yield* buildRequest(options)
          const response = yield* retrying(options, attempt(options, request, Effect.succeed))
          return Stream.mapError(response.stream, transportError(options))
        }).pipe(
          Effect.withSpan("IntercomClient.stream", {
            attributes: { "http.request.method": options.method, "intercom.path": options.path }
          })
        )
      ),
    lastResponse: Ref.get(last),
    rateLimit: gate.snapshot
  }
  return IntercomClient.of(service)
})

const requestIdOf = (headers: Headers.Headers, body: ErrorBody | undefined): string | null =>
  Option.getOrNull(Headers.get(headers, "x-request-id")) ?? body?.request_id ?? null

// Intercom allows one pending data export job per workspace and answers a second with 429; waiting a few seconds
// does not help, so that 429 must not be retried like a window limit.
const isPendingExportLimit = (options: RequestOptions, text: string): boolean =>
  (options.method === "POST" && options.path === "/export/content/data") || /pending .*export job/i.test(text)

/**
 * The client as a layer over any `HttpClient` (pick the transport in the app: undici, fetch, ...).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<IntercomClient, never, HttpClient.HttpClient | IntercomConfig.IntercomConfig> =
  Layer.effect(IntercomClient, make)

/**
 * The client configured from the environment (`INTERCOM_ACCESS_TOKEN`, `INTERCOM_REGION`, `INTERCOM_BASE_URL`).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  options?: Parameters<typeof IntercomConfig.layerConfig>[0]
): Layer.Layer<IntercomClient, ConfigError.ConfigError, HttpClient.HttpClient> =>
  Layer.provide(layer, IntercomConfig.layerConfig(options))
