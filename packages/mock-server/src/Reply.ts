/**
 * How the mock answers: bodies are values of the generated response schemas, encoded with `Schema.encode` (so every
 * body decodes with the SDK), and failures are Intercom's error list, `{type: "error.list", request_id, errors:
 * [{code, message, field}]}`. Request bodies are decoded with the generated request schemas, which refuse unknown
 * fields, and a body they refuse becomes a 400 naming the field.
 *
 * @since 0.1.0
 */
import { HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { ErrorList } from "@intercom-effect/schemas"
import { Data, Effect, ParseResult, Schema } from "effect"

/**
 * One entry of Intercom's error list.
 *
 * @since 0.1.0
 * @category models
 */
export interface ErrorEntry {
  readonly code: string
  readonly message: string
  readonly field?: string | undefined
}

/**
 * A request the mock refuses, with the status and error list Intercom would answer.
 *
 * @since 0.1.0
 * @category errors
 */
export class ApiError extends Data.TaggedError("ApiError")<{
  readonly status: number
  readonly errors: ReadonlyArray<ErrorEntry>
  /** Extra response headers, e.g. the rate-limit window of a 429. */
  readonly headers?: Readonly<Record<string, string>> | undefined
}> {}

/**
 * An `ApiError` with one entry.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fail = (status: number, code: string, message: string, field?: string): Effect.Effect<never, ApiError> =>
  Effect.fail(new ApiError({ status, errors: [{ code, message, field }] }))

/**
 * 404 with Intercom's wording for a resource, e.g. `notFound("not_found", "User Not Found")`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const notFound = (code: string, message: string): Effect.Effect<never, ApiError> => fail(404, code, message)

/**
 * 400 for a parameter or body field Intercom would refuse.
 *
 * @since 0.1.0
 * @category constructors
 */
export const invalid = (field: string, message: string): Effect.Effect<never, ApiError> =>
  fail(400, "parameter_invalid", message, field)

/**
 * 422: well formed, but refused (a merge of two users, removing the last customer, ...).
 *
 * @since 0.1.0
 * @category constructors
 */
export const unprocessable = (message: string, field?: string): Effect.Effect<never, ApiError> =>
  fail(422, "parameter_invalid", message, field)

/**
 * The error list body of an `ApiError`, encoded with the `ErrorList` schema.
 *
 * @since 0.1.0
 * @category encoding
 */
export const errorResponse = (error: ApiError, requestId: string): HttpServerResponse.HttpServerResponse =>
  HttpServerResponse.unsafeJson(
    Schema.encodeSync(ErrorList)({
      type: "error.list",
      request_id: requestId,
      errors: error.errors.map((e) => ({ code: e.code, message: e.message, field: e.field ?? null }))
    }),
    { status: error.status, headers: error.headers }
  )

/**
 * A JSON response whose body is `value` encoded with `schema`. A value the schema refuses is a bug in the mock, so
 * it dies rather than sending something the SDK could not decode.
 *
 * @since 0.1.0
 * @category encoding
 */
export const json = <A, I>(
  schema: Schema.Schema<A, I>,
  value: A,
  status = 200
): Effect.Effect<HttpServerResponse.HttpServerResponse> =>
  Schema.encode(schema)(value).pipe(
    Effect.map((encoded) => HttpServerResponse.unsafeJson(encoded, { status })),
    Effect.orDie
  )

/**
 * A list answer: the envelope encoded with its schema, its `key` holding items already encoded one by one with
 * theirs (records are encoded once per change, and a page reuses them).
 *
 * @since 0.1.0
 * @category encoding
 */
export const list = <A, I>(
  schema: Schema.Schema<A, I>,
  envelope: A,
  key: string,
  items: ReadonlyArray<unknown>
): Effect.Effect<HttpServerResponse.HttpServerResponse> =>
  Schema.encode(schema)(envelope).pipe(
    Effect.map((encoded) => HttpServerResponse.unsafeJson({ ...(encoded as object), [key]: items })),
    Effect.orDie
  )

const entries = (error: ParseResult.ParseError): Array<ErrorEntry> =>
  ParseResult.ArrayFormatter.formatErrorSync(error).map((issue) => ({
    code: issue._tag === "Missing" ? "parameter_not_found" : "parameter_invalid",
    message: issue.message,
    field: issue.path.length === 0 ? undefined : issue.path.join(".")
  }))

/**
 * The request body decoded with a request schema; anything else answers 400 with one entry per problem.
 *
 * @since 0.1.0
 * @category decoding
 */
export const body = <A, I>(
  schema: Schema.Schema<A, I>
): Effect.Effect<A, ApiError, HttpServerRequest.HttpServerRequest> =>
  Effect.flatMap(rawBody, (text) => decodeText(schema, text))

/**
 * The request body as text ("" when there is none).
 *
 * @since 0.1.0
 * @category decoding
 */
export const rawBody: Effect.Effect<string, ApiError, HttpServerRequest.HttpServerRequest> = Effect.flatMap(
  HttpServerRequest.HttpServerRequest,
  (request) =>
    Effect.catchAll(request.text, () =>
      Effect.fail(new ApiError({ status: 400, errors: [{ code: "bad_request", message: "Unreadable body" }] }))
    )
)

/**
 * Decodes a JSON text with a request schema, answering 400 when it is not JSON or the schema refuses it.
 *
 * @since 0.1.0
 * @category decoding
 */
export const decodeText = <A, I>(schema: Schema.Schema<A, I>, text: string): Effect.Effect<A, ApiError> => {
  let parsed: unknown
  try {
    parsed = text.trim() === "" ? {} : JSON.parse(text)
  } catch {
    return fail(400, "bad_request", "Request body is not valid JSON")
  }
  return Schema.decodeUnknown(schema, { errors: "all", onExcessProperty: "error" })(parsed).pipe(
    Effect.mapError((error) => new ApiError({ status: 400, errors: entries(error) }))
  )
}

/**
 * The query parameters of the request.
 *
 * @since 0.1.0
 * @category decoding
 */
export const query: Effect.Effect<URLSearchParams, never, HttpServerRequest.HttpServerRequest> = Effect.map(
  HttpServerRequest.HttpServerRequest,
  (request) => new URL(request.url, "http://mock.invalid").searchParams
)

/**
 * An integer query parameter within bounds: absent gives `fallback`, above `max` is capped (as Intercom caps
 * `per_page`), anything else that is not a whole number in range answers 400.
 *
 * @since 0.1.0
 * @category decoding
 */
export const intParam = (
  params: URLSearchParams,
  name: string,
  fallback: number,
  bounds: { readonly min: number; readonly max?: number | undefined }
): Effect.Effect<number, ApiError> => {
  const raw = params.get(name)
  if (raw === null || raw === "") return Effect.succeed(fallback)
  const n = Number(raw)
  if (!/^-?\d+$/.test(raw) || n < bounds.min)
    return invalid(name, `${name} must be an integer of at least ${bounds.min}`)
  return Effect.succeed(bounds.max === undefined ? n : Math.min(n, bounds.max))
}
