/**
 * Every way a call to Intercom can fail, as tagged errors in the error channel. Each keeps what is needed to
 * diagnose the failure (status, method, path, Intercom's request id, its error list and a bounded body snippet)
 * and nothing secret: the access token is never part of a request description or a snippet.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/**
 * One entry of Intercom's `errors` array.
 *
 * @since 0.1.0
 * @category models
 */
export class ErrorEntry extends Schema.Class<ErrorEntry>("ErrorEntry")({
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
})

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
  const id = self.requestId === null ? "" : ` [request_id ${self.requestId}]`
  return `${self.method} ${self.path} answered ${self.status} ${title}${id}${details ? ` — ${details}` : ""}`
}

/**
 * 400: Intercom rejected the request's parameters or body.
 *
 * @since 0.1.0
 * @category errors
 */
export class BadRequest extends Schema.TaggedError<BadRequest>()("BadRequest", responseFields) {
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
export class Unauthorized extends Schema.TaggedError<Unauthorized>()("Unauthorized", responseFields) {
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
export class Forbidden extends Schema.TaggedError<Forbidden>()("Forbidden", responseFields) {
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
export class NotFound extends Schema.TaggedError<NotFound>()("NotFound", responseFields) {
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
export class Conflict extends Schema.TaggedError<Conflict>()("Conflict", responseFields) {
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
export class UnprocessableEntity extends Schema.TaggedError<UnprocessableEntity>()(
  "UnprocessableEntity",
  responseFields
) {
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
export class RateLimited extends Schema.TaggedError<RateLimited>()("RateLimited", {
  ...responseFields,
  retryAfterMillis: Schema.NullOr(Schema.Number),
  transient: Schema.Boolean
}) {
  override get message(): string {
    const wait = this.retryAfterMillis === null ? "" : ` (retry after ${Math.ceil(this.retryAfterMillis)} ms)`
    return describe(this, `Too Many Requests${wait}`)
  }
}

/**
 * 5xx, or 408: Intercom or a proxy in front of it failed. Retried only when the call is idempotent.
 *
 * @since 0.1.0
 * @category errors
 */
export class ServerError extends Schema.TaggedError<ServerError>()("ServerError", {
  ...responseFields,
  retryAfterMillis: Schema.NullOr(Schema.Number)
}) {
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
export class UnexpectedStatus extends Schema.TaggedError<UnexpectedStatus>()("UnexpectedStatus", responseFields) {
  override get message(): string {
    return describe(this, "Unexpected Status")
  }
}

/**
 * The request never produced a response: DNS, connection refused or reset, TLS. The request may or may not have
 * reached Intercom, which is why only idempotent calls are retried after it.
 *
 * @since 0.1.0
 * @category errors
 */
export class TransportError extends Schema.TaggedError<TransportError>()("TransportError", {
  ...requestFields,
  reason: Schema.String,
  detail: Schema.String
}) {
  override get message(): string {
    return `${this.method} ${this.path} failed in transport (${this.reason}): ${this.detail}`
  }
}

/**
 * One attempt took longer than the configured per-attempt timeout and was aborted.
 *
 * @since 0.1.0
 * @category errors
 */
export class TimeoutError extends Schema.TaggedError<TimeoutError>()("TimeoutError", {
  ...requestFields,
  timeoutMillis: Schema.Number
}) {
  override get message(): string {
    return `${this.method} ${this.path} timed out after ${this.timeoutMillis} ms`
  }
}

/**
 * A 2xx response whose body did not match the expected schema (or was not JSON). Keeps the status, the request id
 * and a snippet of the body, so nothing is lost for diagnosis.
 *
 * @since 0.1.0
 * @category errors
 */
export class DecodeError extends Schema.TaggedError<DecodeError>()("DecodeError", {
  ...requestFields,
  status: Schema.Number,
  requestId: Schema.NullOr(Schema.String),
  body: Schema.String,
  issue: Schema.String
}) {
  override get message(): string {
    const id = this.requestId === null ? "" : ` [request_id ${this.requestId}]`
    return `${this.method} ${this.path} answered ${this.status} with a body that does not decode${id}: ${this.issue}`
  }
}

/**
 * The caller's input did not satisfy the request schema. Raised before anything is sent.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidRequest extends Schema.TaggedError<InvalidRequest>()("InvalidRequest", {
  ...requestFields,
  issue: Schema.String
}) {
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
export type IntercomError = StatusError | TransportError | TimeoutError | DecodeError | InvalidRequest

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
  TimeoutError,
  DecodeError,
  InvalidRequest
)
