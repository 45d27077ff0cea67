/**
 * The HTTP service every Intercom call goes through. It knows no endpoint: callers (the domain services, or users
 * reaching an endpoint directly) describe a request with its path, its body schema and its response schema.
 *
 * Per call, in one span named after the method: encode the input with its schema (bad input fails before anything
 * is sent) → retry policy, outermost → optional client-side budget → the gate (concurrency cap and rate limit) →
 * the app's turn in a `SharedBudget`, when one is provided → one attempt with its own timeout (send, status
 * mapping, body read) → parse the JSON → decode it with the response schema.
 *
 * @since 0.1.0
 */
import type { HttpClient, UrlParams } from "@effect/platform"
import {
  Context,
  type ConfigError,
  type Duration,
  type Effect,
  Layer,
  type Option,
  type ParseResult,
  Schema,
  type Scope,
  type Stream
} from "effect"
import * as internal from "./internal/client.js"
import * as IntercomConfig from "./IntercomConfig.js"
import type { IntercomError } from "./IntercomError.js"
import type * as RateLimit from "./RateLimit.js"

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
 * A retry policy for some calls: settings of the built-in policy over the configured ones (`{ maxRetries: 0 }`
 * turns retrying off), or a schedule of one's own that replaces the policy.
 *
 * @since 0.1.0
 * @category models
 */
export type RetryOverride = IntercomConfig.RetryInput | IntercomConfig.RetrySchedule

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
  /**
   * This call's per-attempt timeout instead of the configured one, for an operation known to be slow. A scoped
   * {@link withTimeout} around the call wins over it.
   */
  readonly timeout?: Duration.DurationInput | undefined
  /** This call's retry policy instead of the configured one. A scoped {@link withRetry} around the call wins. */
  readonly retry?: RetryOverride | undefined
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
  /** The `X-Request-Id` header. */
  readonly requestId: string | null
  readonly rateLimit: Option.Option<RateLimit.RateLimitSnapshot>
  /**
   * The `Date` header as sent (an HTTP date), unparsed: the server's clock, for callers that must not trust their
   * own (a sync takes its window end from it). Parsing is left to them, so ordinary calls pay nothing for it.
   */
  readonly date: string | null
}

/**
 * The service interface. Each method runs in its own span, named after it (`IntercomClient.request`, ...).
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** Sends a call and decodes its JSON body with `response`; fields the schema does not name are no error. */
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
   * Retries and the timeout apply until the response headers arrive; interrupting the stream aborts the download.
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
 * ```ts
 * import { IntercomClient } from "@intercom-effect/http"
 *
 * const id = "a/b"
 * IntercomClient.path`/contacts/${id}/tags` // "/contacts/a%2Fb/tags"
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const path: (strings: TemplateStringsArray, ...params: ReadonlyArray<string | number>) => string = internal.path

/**
 * The identifier of {@link CurrentTimeout}.
 *
 * @since 0.1.0
 * @category references
 */
export interface CurrentTimeout {
  readonly _: unique symbol
}

/**
 * The per-attempt timeout that calls made within its scope use, when set; read when a call starts. Set it with
 * {@link withTimeout}, or on a stream with `Stream.provideService(CurrentTimeout, Option.some(duration))`.
 *
 * @since 0.1.0
 * @category references
 */
export const CurrentTimeout: Context.Reference<
  CurrentTimeout,
  Option.Option<Duration.Duration>
> = internal.CurrentTimeout

/**
 * The identifier of {@link CurrentRetry}.
 *
 * @since 0.1.0
 * @category references
 */
export interface CurrentRetry {
  readonly _: unique symbol
}

/**
 * The retry policy that calls made within its scope use, when set; read when a call starts. Set it with
 * {@link withRetry}, or on a stream with `Stream.provideService(CurrentRetry, Option.some(policy))`.
 *
 * @since 0.1.0
 * @category references
 */
export const CurrentRetry: Context.Reference<CurrentRetry, Option.Option<RetryOverride>> = internal.CurrentRetry

/**
 * Gives every Intercom call made by `self` this per-attempt timeout, over the configured one and over any a
 * service passed for its operation. Works through any service built on `IntercomClient`, which need not know.
 *
 * @example
 * ```ts
 * import { IntercomClient } from "@intercom-effect/http"
 * import { Effect, Schema } from "effect"
 *
 * const me = Effect.flatMap(IntercomClient.IntercomClient, (client) =>
 *   client.request({ method: "GET", path: "/me", response: Schema.Unknown })
 * ).pipe(IntercomClient.withTimeout("5 seconds"))
 * ```
 *
 * @since 0.1.0
 * @category combinators
 */
export const withTimeout: {
  (timeout: Duration.DurationInput): <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  <A, E, R>(self: Effect.Effect<A, E, R>, timeout: Duration.DurationInput): Effect.Effect<A, E, R>
} = internal.withTimeout

/**
 * Gives every Intercom call made by `self` this retry policy: settings over the configured ones, or a schedule of
 * one's own. For example `withRetry({ maxRetries: 0 })` for a caller that retries at a higher level itself.
 *
 * @example
 * ```ts
 * import { IntercomClient } from "@intercom-effect/http"
 * import { Effect, Schema } from "effect"
 *
 * const once = Effect.flatMap(IntercomClient.IntercomClient, (client) =>
 *   client.request({ method: "GET", path: "/me", response: Schema.Unknown })
 * ).pipe(IntercomClient.withRetry({ maxRetries: 0 }))
 * ```
 *
 * @since 0.1.0
 * @category combinators
 */
export const withRetry: {
  (retry: RetryOverride): <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  <A, E, R>(self: Effect.Effect<A, E, R>, retry: RetryOverride): Effect.Effect<A, E, R>
} = internal.withRetry

/**
 * Creates the client from an `HttpClient` and an `IntercomConfig`. One client is one rate-limit gate: share it.
 * When a `SharedBudget` is in the context, the client joins the budget of its app for the lifetime of the scope
 * (see `SharedBudget`).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Service, never, HttpClient.HttpClient | IntercomConfig.IntercomConfig | Scope.Scope> =
  internal.make

/**
 * The client as a layer over any `HttpClient` (pick the transport in the app: undici, fetch, ...). Provide a
 * `SharedBudget` below it to share one budget between the workers of an app.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<IntercomClient, never, HttpClient.HttpClient | IntercomConfig.IntercomConfig> =
  Layer.scoped(IntercomClient, make)

/**
 * The client configured through `Config` (see `IntercomConfig.layerConfig`): by default from
 * `INTERCOM_ACCESS_TOKEN`, `INTERCOM_REGION` and `INTERCOM_BASE_URL`, or from the `Config` values given.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  options?: IntercomConfig.ConfigOptions
): Layer.Layer<IntercomClient, ConfigError.ConfigError, HttpClient.HttpClient> =>
  Layer.provide(layer, IntercomConfig.layerConfig(options))
