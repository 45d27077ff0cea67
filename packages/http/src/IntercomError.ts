/**
 * Every way a call to Intercom can fail, as tagged errors in the error channel. Each keeps what is needed to
 * diagnose the failure (status, method, path, Intercom's request id, its error list and a bounded body snippet)
 * and nothing secret: the access token is removed from every field before an error is built.
 *
 * Each error has a short `_tag` to `catchTag` on (`"NotFound"`, `"RateLimited"`, ...) and a namespaced schema
 * identifier (`"@intercom-effect/http/IntercomError/NotFound"`) for serialized and pretty-printed forms, where a
 * bare `NotFound` could be anybody's. {@link isIntercomError} tells an Intercom error from any other.
 *
 * @since 0.1.0
 */
import { Option, Predicate, Schema } from "effect"

/**
 * Marks every error of this module, so {@link isIntercomError} can recognise them whatever their tag.
 *
 * @since 0.1.0
 * @category type ids
 */
export const TypeId: unique symbol = Symbol.for("@intercom-effect/http/IntercomError")

/**
 * @since 0.1.0
 * @category type ids
 */
export type TypeId = typeof TypeId

/**
 * Whether a value is one of the errors of this module.
 *
 * @example
 * ```ts
 * import { IntercomError } from "@intercom-effect/http"
 *
 * IntercomError.isIntercomError(new Error("boom")) // false
 * ```
 *
 * @since 0.1.0
 * @category guards
 */
export const isIntercomError = (u: unknown): u is IntercomError => Predicate.hasProperty(u, TypeId)

const identifier = (tag: string) => `@intercom-effect/http/IntercomError/${tag}`

/**
 * One entry of Intercom's `errors` array.
 *
 * @since 0.1.0
 * @category models
 */
export class ErrorEntry extends Schema.Class<ErrorEntry>(identifier("ErrorEntry"))({
  code: Schema.String,
  message: Schema.optionalWith(Schema.NullOr(Schema.String), { default: () => null }),
  field: Schema.optionalWith(Schema.NullOr(Schema.String), { default: () => null })
}) {}

/**
 * The error bodies Intercom answers with: the usual `error.list`, and the `{error_key, message}` shape that
 * POST /phone_call_redirects uses instead. Unknown fields are ignored.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ErrorBody = Schema.Struct({
  type: Schema.optional(Schema.String),
  request_id: Schema.optional(Schema.NullOr(Schema.String)),
  errors: Schema.optional(Schema.Array(ErrorEntry)),
  error_key: Schema.optional(Schema.String),
  message: Schema.optional(Schema.NullOr(Schema.String))
}).annotations({ identifier: identifier("ErrorBody") })

/**
 * The decoded type of {@link ErrorBody}.
 *
 * @since 0.1.0
 * @category models
 */
export type ErrorBody = typeof ErrorBody.Type

const requestFields = {
  /** HTTP method, upper case. */
  method: Schema.String,
  /** Request path without the query string (queries may carry e-mail addresses). */
  path: Schema.String
}

const responseFields = {
  ...requestFields,
  status: Schema.Number,
  /** Intercom's `request_id` (body) or `X-Request-Id` (header): quote it to Intercom support. */
  requestId: Schema.NullOr(Schema.String),
  errors: Schema.Array(ErrorEntry),
  /** Set by the endpoints that answer `{error_key, message}`. */
  errorKey: Schema.NullOr(Schema.String),
  /** The first bytes of the response body, for diagnosis; bounded so a huge HTML page cannot flood logs. */
  body: Schema.String
}

/**
 * Bytes of a response body an error keeps.
 *
 * @since 0.1.0
 * @category constants
 */
export const snippetLength = 1024

const requestIdSuffix = (requestId: string | null): string => (requestId === null ? "" : ` [request_id ${requestId}]`)

const describe = (
  self: {
    readonly method: string
    readonly path: string
    readonly status: number
    readonly requestId: string | null
    readonly errors: ReadonlyArray<ErrorEntry>
    readonly errorKey: string | null
    readonly body: string
  },
  title: string
): string => {
  const details =
    self.errors.length > 0
      ? self.errors
          .map((e) => `${e.code}${e.message ? `: ${e.message}` : ""}${e.field ? ` (field ${e.field})` : ""}`)
          .join("; ")
      : self.errorKey !== null
        ? self.errorKey
        : self.body.slice(0, 200)
  return `${self.method} ${self.path} answered ${self.status} ${title}${requestIdSuffix(self.requestId)}${details ? ` — ${details}` : ""}`
}

/**
 * 400: Intercom rejected the request's parameters or body.
 *
 * @since 0.1.0
 * @category errors
 */
export class BadRequest extends Schema.TaggedError<BadRequest>(identifier("BadRequest"))("BadRequest", responseFields) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId

  override get message(): string {
    return describe(this, "Bad Request")
  }
}

/**
 * 401: the access token is missing, wrong or revoked.
 *
 * @since 0.1.0
 * @category errors
 */
export class Unauthorized extends Schema.TaggedError<Unauthorized>(identifier("Unauthorized"))(
  "Unauthorized",
  responseFields
) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId

  override get message(): string {
    return describe(this, "Unauthorized")
  }
}

/**
 * 403: the token lacks a scope, or the workspace's plan does not include the API.
 *
 * @since 0.1.0
 * @category errors
 */
export class Forbidden extends Schema.TaggedError<Forbidden>(identifier("Forbidden"))("Forbidden", responseFields) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId

  override get message(): string {
    return describe(this, "Forbidden")
  }
}

/**
 * 404: the resource does not exist (or is not visible to this app).
 *
 * @since 0.1.0
 * @category errors
 */
export class NotFound extends Schema.TaggedError<NotFound>(identifier("NotFound"))("NotFound", responseFields) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId

  override get message(): string {
    return describe(this, "Not Found")
  }
}

/**
 * 409: the request conflicts with the resource's state (for example a duplicate contact).
 *
 * @since 0.1.0
 * @category errors
 */
export class Conflict extends Schema.TaggedError<Conflict>(identifier("Conflict"))("Conflict", responseFields) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId

  override get message(): string {
    return describe(this, "Conflict")
  }
}

/**
 * 422: the body was well formed but its content was refused.
 *
 * @since 0.1.0
 * @category errors
 */
export class UnprocessableEntity extends Schema.TaggedError<UnprocessableEntity>(identifier("UnprocessableEntity"))(
  "UnprocessableEntity",
  responseFields
) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId

  override get message(): string {
    return describe(this, "Unprocessable Entity")
  }
}

/**
 * 429: the request was not processed because a limit was reached. `retryAfterMillis` is the wait the server asked
 * for (Retry-After or X-RateLimit-Reset), when it said. `transient` is false for limits that waiting does not lift
 * within a retry budget, such as the one-pending-data-export-job rule.
 *
 * @since 0.1.0
 * @category errors
 */
export class RateLimited extends Schema.TaggedError<RateLimited>(identifier("RateLimited"))("RateLimited", {
  ...responseFields,
  retryAfterMillis: Schema.NullOr(Schema.Number),
  transient: Schema.Boolean
}) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId

  override get message(): string {
    const wait = this.retryAfterMillis === null ? "" : ` (retry after ${Math.ceil(this.retryAfterMillis)} ms)`
    return describe(this, `Too Many Requests${wait}`)
  }
}

/**
 * 5xx, or 408: Intercom or a proxy in front of it failed. Retried only when the call is idempotent.
 * `retryAfterMillis` comes from a `Retry-After` header only: the rate-limit window says nothing about a failure.
 *
 * @since 0.1.0
 * @category errors
 */
export class ServerError extends Schema.TaggedError<ServerError>(identifier("ServerError"))("ServerError", {
  ...responseFields,
  retryAfterMillis: Schema.NullOr(Schema.Number)
}) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId

  override get message(): string {
    return describe(this, "Server Error")
  }
}

/**
 * Any other non-2xx status (405, 406, 415, ...), which points at an SDK or proxy problem rather than a data problem.
 *
 * @since 0.1.0
 * @category errors
 */
export class UnexpectedStatus extends Schema.TaggedError<UnexpectedStatus>(identifier("UnexpectedStatus"))(
  "UnexpectedStatus",
  responseFields
) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId

  override get message(): string {
    return describe(this, "Unexpected Status")
  }
}

/**
 * The request never produced a response: DNS, connection refused or reset, TLS, or a client-side budget store that
 * could not be reached (`reason: "RateLimiterStore"`). The request may or may not have reached Intercom, which is
 * why only idempotent calls are retried after it.
 *
 * @since 0.1.0
 * @category errors
 */
export class TransportError extends Schema.TaggedError<TransportError>(identifier("TransportError"))("TransportError", {
  ...requestFields,
  reason: Schema.String,
  detail: Schema.String
}) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId

  override get message(): string {
    return `${this.method} ${this.path} failed in transport (${this.reason}): ${this.detail}`
  }
}

/**
 * A 2xx status arrived, but its body did not: the connection failed while it was read (`"Interrupted"`), the JSON
 * ends early (`"Truncated"`), or it is not JSON at all (`"NotJson"`, e.g. a proxy's HTML page). Like a
 * `TransportError` this is a failure of the exchange, not of the data, so idempotent calls retry it.
 *
 * A call that is not idempotent (a create) is not retried. Intercom answered 2xx, so it has most likely done the
 * write, but what it returned is lost: the outcome is unknown, and `outcomeUnknown` is true. Look the resource up
 * before sending the call again, or it may be duplicated.
 *
 * @since 0.1.0
 * @category errors
 */
export class IncompleteResponse extends Schema.TaggedError<IncompleteResponse>(identifier("IncompleteResponse"))(
  "IncompleteResponse",
  {
    ...requestFields,
    status: Schema.Number,
    requestId: Schema.NullOr(Schema.String),
    reason: Schema.Literal("Interrupted", "Truncated", "NotJson"),
    /** What the body reader or the JSON parser said. */
    detail: Schema.String,
    /** The first bytes of what did arrive. */
    body: Schema.String,
    /** True when the call was not idempotent: it may have taken effect, and repeating it may duplicate it. */
    outcomeUnknown: Schema.Boolean
  }
) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId

  override get message(): string {
    const what = {
      Interrupted: "the connection failed while its body was read",
      Truncated: "its JSON body was cut off",
      NotJson: "its body is not JSON"
    }[this.reason]
    const outcome = this.outcomeUnknown
      ? "; the outcome is unknown: Intercom has probably done the write, so look it up before sending it again"
      : ""
    return `${this.method} ${this.path} answered ${this.status} but ${what} (${this.detail})${outcome}${requestIdSuffix(this.requestId)}`
  }
}

/**
 * One attempt took longer than its timeout and was aborted.
 *
 * @since 0.1.0
 * @category errors
 */
export class TimeoutError extends Schema.TaggedError<TimeoutError>(identifier("TimeoutError"))("TimeoutError", {
  ...requestFields,
  timeoutMillis: Schema.Number
}) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId

  override get message(): string {
    return `${this.method} ${this.path} timed out after ${this.timeoutMillis} ms`
  }
}

/**
 * A 2xx JSON body that does not match the expected schema. Names where: `fieldPath` is the path to the first
 * offending field, with the item's index inside a list (`["data", 3, "email"]`). Keeps the status, the request id, a
 * snippet of the body and, in `json`, the whole parsed body (never printed: not in the message, `String`,
 * `JSON.stringify` or `Cause.pretty`, however large it is).
 *
 * @since 0.1.0
 * @category errors
 */
export class DecodeError extends Schema.TaggedError<DecodeError>(identifier("DecodeError"))("DecodeError", {
  ...requestFields,
  status: Schema.Number,
  requestId: Schema.NullOr(Schema.String),
  body: Schema.String,
  fieldPath: Schema.Array(Schema.Union(Schema.String, Schema.Number)),
  issue: Schema.String
}) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId

  /**
   * The parsed body the error was raised on (secrets scrubbed), kept whole for diagnosis. A non-enumerable property:
   * serialising or printing the error leaves it out.
   *
   * @since 0.2.0
   */
  declare readonly json: unknown

  /**
   * A `DecodeError` that keeps the parsed body in {@link DecodeError.json}.
   *
   * @since 0.2.0
   */
  static withBody(fields: ConstructorParameters<typeof DecodeError>[0], json: unknown): DecodeError {
    const error = new DecodeError(fields)
    Object.defineProperty(error, "json", { value: json, enumerable: false })
    return error
  }

  /** `data[3].email`, or `(the body)` for the top level. */
  get at(): string {
    return this.fieldPath.length === 0
      ? "(the body)"
      : this.fieldPath.map((step, i) => (typeof step === "number" ? `[${step}]` : i === 0 ? step : `.${step}`)).join("")
  }

  override get message(): string {
    return `${this.method} ${this.path} answered ${this.status} with a body that does not decode${requestIdSuffix(this.requestId)} at ${this.at}: ${this.issue}`
  }
}

/**
 * Where in a request an invalid input was: a path parameter, a query parameter or the body.
 *
 * @since 0.2.0
 * @category models
 */
export const InputLocation = Schema.Literal("path", "query", "body")

/**
 * @since 0.2.0
 * @category models
 */
export type InputLocation = typeof InputLocation.Type

/**
 * The caller's input cannot be sent: it fails the request schema, a path parameter would change the route (`..`,
 * `""`), a query parameter is out of the range Intercom accepts, or a body value cannot be carried by JSON as it is
 * (a BigInt, a cycle, NaN). Raised before anything is sent.
 *
 * `location` and `field` say where, when one input is to blame: `("path", "id")`, `("query", "per_page")`,
 * `("body", "custom_attributes.plan")`. For a path, `path` is the template (`/contacts/{id}/tags/{tag_id}`), so the
 * ids themselves are not repeated in logs.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidRequest extends Schema.TaggedError<InvalidRequest>(identifier("InvalidRequest"))("InvalidRequest", {
  ...requestFields,
  issue: Schema.String,
  /** @since 0.2.0 */
  location: Schema.optionalWith(Schema.NullOr(InputLocation), { default: () => null }),
  /** The parameter's name, or the body field's path (`custom_attributes.plan`, `tags[2].id`). @since 0.2.0 */
  field: Schema.optionalWith(Schema.NullOr(Schema.String), { default: () => null })
}) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId

  override get message(): string {
    return `${this.method} ${this.path} was not sent, its input is invalid: ${this.issue}`
  }
}

/**
 * Errors that carry an HTTP response.
 *
 * @since 0.1.0
 * @category models
 */
export type StatusError =
  | BadRequest
  | Unauthorized
  | Forbidden
  | NotFound
  | Conflict
  | UnprocessableEntity
  | RateLimited
  | ServerError
  | UnexpectedStatus

/**
 * Everything an Intercom call can fail with.
 *
 * @since 0.1.0
 * @category models
 */
export type IntercomError =
  | StatusError
  | TransportError
  | IncompleteResponse
  | TimeoutError
  | DecodeError
  | InvalidRequest

/**
 * A schema of the whole union, for users that persist or send errors across a boundary.
 *
 * @since 0.1.0
 * @category schemas
 */
export const IntercomError = Schema.Union(
  BadRequest,
  Unauthorized,
  Forbidden,
  NotFound,
  Conflict,
  UnprocessableEntity,
  RateLimited,
  ServerError,
  UnexpectedStatus,
  TransportError,
  IncompleteResponse,
  TimeoutError,
  DecodeError,
  InvalidRequest
)

/**
 * What {@link fromResponse} needs to know about a non-2xx response.
 *
 * @since 0.1.0
 * @category models
 */
export interface ResponseDetails {
  readonly method: string
  /** Without the query string. */
  readonly path: string
  readonly status: number
  /** The `X-Request-Id` header; the body's `request_id` is used when it is null. */
  readonly requestId: string | null
  /** The whole body as text, already free of secrets (the client removes the token before it gets here). */
  readonly body: string
  /** The wait the server asked for, in milliseconds (see `RateLimit.serverDelayMillis`). */
  readonly retryAfterMillis: number | null
  /**
   * The operation says a 429 of its own is final: a rule that waiting does not lift (see
   * `IntercomClient.Operation`). @since 0.3.0
   */
  readonly finalRateLimit?: boolean | undefined
}

const parseErrorBody = (text: string): ErrorBody | undefined => {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return undefined
  }
  return Option.getOrUndefined(Schema.decodeUnknownOption(ErrorBody)(json))
}

// The statuses Intercom documents, each with its class; 429 and 5xx carry more and are built apart.
const errorByStatus: Readonly<
  Record<
    number,
    | typeof BadRequest
    | typeof Unauthorized
    | typeof Forbidden
    | typeof NotFound
    | typeof Conflict
    | typeof UnprocessableEntity
  >
> = {
  400: BadRequest,
  401: Unauthorized,
  403: Forbidden,
  404: NotFound,
  409: Conflict,
  422: UnprocessableEntity
}

// Which operation's 429 is final is a fact of the operation table, handed over with the call. Intercom's message for
// its one-pending-export-job rule is recognised as well, for a call sent without its operation.
const isFinalLimit = (details: ResponseDetails): boolean =>
  details.finalRateLimit === true || /pending .*export job/i.test(details.body)

/**
 * The error for a non-2xx response: one class per status Intercom documents (and 429), `ServerError` for 5xx and
 * 408, `UnexpectedStatus` for anything else. Reads Intercom's error list (or `{error_key, message}`) from the body
 * and keeps a bounded snippet of it.
 *
 * @example
 * ```ts
 * import { IntercomError } from "@intercom-effect/http"
 *
 * const error = IntercomError.fromResponse({
 *   method: "GET",
 *   path: "/contacts/1",
 *   status: 404,
 *   requestId: null,
 *   body: '{"type":"error.list","request_id":"r-1","errors":[{"code":"not_found","message":"User Not Found"}]}',
 *   retryAfterMillis: null
 * })
 * // error._tag === "NotFound", error.requestId === "r-1"
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromResponse = (details: ResponseDetails): StatusError => {
  const parsed = parseErrorBody(details.body)
  const fields = {
    method: details.method,
    path: details.path,
    status: details.status,
    requestId: details.requestId ?? parsed?.request_id ?? null,
    errors: parsed?.errors ?? [],
    errorKey: parsed?.error_key ?? null,
    body: details.body.slice(0, snippetLength)
  }
  if (details.status === 429) {
    return new RateLimited({
      ...fields,
      retryAfterMillis: details.retryAfterMillis,
      transient: !isFinalLimit(details)
    })
  }
  if (details.status === 408 || details.status >= 500) {
    return new ServerError({ ...fields, retryAfterMillis: details.retryAfterMillis })
  }
  const ErrorClass = errorByStatus[details.status] ?? UnexpectedStatus
  return new ErrorClass(fields)
}
