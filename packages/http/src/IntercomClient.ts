/**
 * The HTTP service every Intercom call goes through. It knows no endpoint: callers (the domain services, or users
 * reaching an endpoint directly) describe a request with its path, its body schema and its response schema.
 *
 * Per call, in one span named after its operation (`Admins.me`), or after the client's method for a call without
 * one: encode the input with its schema (bad input fails before anything is sent) → retry policy, outermost →
 * optional client-side budget → the gate (concurrency cap and rate limit) → the app's turn in a `SharedBudget`, when
 * one is provided → one attempt with its own timeout (send, status mapping, body read) → parse the JSON → decode it
 * with the response schema.
 *
 * @since 0.1.0
 */
import type { HttpClient, UrlParams } from "@effect/platform"
import {
  Context,
  type ConfigError,
  type Duration,
  Effect,
  type Either,
  Layer,
  type Option,
  type ParseResult,
  Schema,
  type Scope,
  type Stream
} from "effect"
import * as internal from "./internal/client.js"
import * as internalPath from "./internal/path.js"
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
 * Pairs a value with its schema. The value is encoded when the request runs, then checked for what JSON cannot carry
 * as it is (a BigInt, a cycle, NaN or ±Infinity, `undefined` in an array, a function, a Date or a Map; see
 * `InvalidRequest`); a failure becomes `InvalidRequest` naming the field, and nothing is sent.
 *
 * @since 0.1.0
 * @category constructors
 */
export const jsonBody = <A, I>(schema: Schema.Schema<A, I>, value: NoInfer<A>): JsonBody => {
  const encode = Schema.encodeUnknown(schema, { errors: "all", onExcessProperty: "error" })
  // Suspended: a sync schema encodes as soon as it is applied, and a caller's getter may throw while it does.
  return { _tag: "JsonBody", encode: Effect.suspend(() => encode(value)) }
}

/**
 * A retry policy for some calls: settings of the built-in policy over the configured ones (`{ maxRetries: 0 }`
 * turns retrying off), or a schedule of one's own that replaces the policy.
 *
 * @since 0.1.0
 * @category models
 */
export type RetryOverride = IntercomConfig.RetryInput | IntercomConfig.RetrySchedule

/**
 * A path built by {@link path} or {@link fillPath}: the template and, once its parameters are checked, the encoded
 * path or why it cannot be sent. The client resolves it when the call runs; an unsafe parameter is an
 * `InvalidRequest` naming it, and nothing is sent.
 *
 * @since 0.2.0
 * @category models
 */
export interface Path {
  readonly _tag: "Path"
  /** The template with its parameters as `{name}` (numbered `{1}`, `{2}` for {@link path}): what errors show. */
  readonly template: string
  /** The encoded path, or the parameter (null for the path as a whole) that cannot be sent and why. */
  readonly resolved: Either.Either<string, { readonly parameter: string | null; readonly issue: string }>
}

/**
 * What the client reads about the operation a call belongs to. The services pass the entry of the operation table
 * (`operations` of @intercom-effect/schemas), which has these fields and more; a direct call may pass its own.
 *
 * @since 0.3.0
 * @category models
 */
export interface Operation {
  /** The call's span name, the service method a user called (`Admins.me`); never a value of the call. */
  readonly name: string
  /**
   * True when a 429 from this operation is a rule of the resource that waiting does not lift (one pending data
   * export job per workspace) rather than a spent window: the `RateLimited` is not transient, and not retried.
   */
  readonly finalRateLimit?: boolean | undefined
}

/**
 * Describes one call.
 *
 * @since 0.1.0
 * @category models
 */
export interface RequestOptions {
  /**
   * The operation the call belongs to, when known: it names the call's span (else `IntercomClient.request`, ...)
   * and carries the operation's own error rules.
   */
  readonly operation?: Operation | undefined
  readonly method: Method
  /**
   * Path below the base URL: a {@link Path} from {@link path} or {@link fillPath}, or a string starting with "/"
   * whose parameters are already URL-encoded. Either way it is checked before sending: an empty or dot segment
   * (`/contacts/c1/tags/..`, in any spelling the URL parser resolves), a control character or a lone surrogate is
   * an `InvalidRequest`.
   */
  readonly path: string | Path
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
 * The service interface. Each call runs in one span, named after its operation (`Contacts.list`) or, without one,
 * after the method (`IntercomClient.request`, ...).
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
 * Builds a path from a template's literal parts and parameters. Each parameter is URL-encoded, so an id such as
 * "a/b" or an e-mail address stays one segment; one that no encoding makes safe (`""`, `"."`, `".."`, a lone
 * surrogate, a number that is not a safe integer) makes the call fail with `InvalidRequest` naming it, and nothing
 * is sent. Parameters are numbered from 1 in errors.
 *
 * @example
 * ```ts
 * import { IntercomClient } from "@intercom-effect/http"
 * import { Either } from "effect"
 *
 * const id = "a/b"
 * IntercomClient.path`/contacts/${id}/tags`.resolved // Either.right("/contacts/a%2Fb/tags")
 * Either.isLeft(IntercomClient.path`/contacts/c1/tags/${".."}`.resolved) // true: never sent
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const path: (strings: TemplateStringsArray, ...params: ReadonlyArray<string | number>) => Path =
  internalPath.tagged

/**
 * Fills the `{name}` placeholders of a path template (as the spec writes them) with checked, URL-encoded
 * parameters; see {@link path}. Errors name the parameter and show the template, never the ids.
 *
 * @example
 * ```ts
 * import { IntercomClient } from "@intercom-effect/http"
 *
 * IntercomClient.fillPath("/contacts/{contact_id}/tags/{id}", { contact_id: "c1", id: "7" }).resolved
 * // Either.right("/contacts/c1/tags/7")
 * ```
 *
 * @since 0.2.0
 * @category constructors
 */
export const fillPath: (template: string, params: Readonly<Record<string, string | number>>) => Path = internalPath.fill

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
