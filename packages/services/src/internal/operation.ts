/**
 * The one helper every generated method stands on: it fills a path template through the client's checked path
 * builder, checks a query against its operation's schema and turns it into URL parameters, and sends the call through
 * `IntercomClient`.
 *
 * @internal
 */
import { IntercomClient, IntercomError } from "@intercom-effect/http"
import { Effect, Either, ParseResult, Schema, Stream } from "effect"

/**
 * What a generated method knows about its operation: the part of its entry in the operation table (`operations` of
 * @intercom-effect/schemas) the calls read. The client reads its span name and error rules from it too.
 *
 * @internal
 */
export interface Operation extends IntercomClient.Operation {
  readonly method: IntercomClient.Method
  /** The path template of the spec, `/contacts/{id}`: errors name it, never the ids filled in. */
  readonly path: string
  /** Whether repeating the call is harmless; reads and read-only POSTs are, creates are not. */
  readonly idempotent: boolean
  /** What the query must satisfy (types, Intercom's ranges); absent when the operation takes none. */
  readonly query?: Schema.Schema.AnyNoContext | undefined
}

/** A scalar a query parameter may take. @internal */
export type QueryScalar = string | number | boolean

/**
 * A query object, typed precisely by each method (`object` here, so an interface is accepted). Values are scalars;
 * an object value is exploded into its own keys (GET /events takes `filter: {user_id}` as `?user_id=...`);
 * `undefined` values are left out.
 *
 * @internal
 */
export type Query = object

/** The parts of one call. @internal */
export interface Input {
  readonly path?: Readonly<Record<string, string>> | undefined
  readonly query?: Query | undefined
  readonly body?: IntercomClient.JsonBody | undefined
  /** Set for the data export download. */
  readonly accept?: string | undefined
}

/** The path of a call, filled by the one path builder of the workspace (see `IntercomClient.fillPath`). @internal */
export const fillPath = (operation: Operation, params: Readonly<Record<string, string>> = {}): IntercomClient.Path =>
  IntercomClient.fillPath(operation.path, params)

const queryOptions = { errors: "all", onExcessProperty: "error" } as const

/**
 * Checks a query against its operation's schema, as a body is checked: a value out of Intercom's range
 * (`per_page: 0`, `page: 1.5`, `NaN`) or a parameter the operation does not take is an `InvalidRequest` naming it,
 * and nothing is sent. A query that cannot even be read (a caller's throwing getter) is refused the same way.
 *
 * @internal
 */
export const checkQuery = (
  operation: Operation,
  query: Query | undefined
): Either.Either<Query | undefined, IntercomError.InvalidRequest> => {
  if (query === undefined) return Either.right(undefined)
  const invalid = (field: string | null, issue: string) =>
    new IntercomError.InvalidRequest({
      method: operation.method,
      path: operation.path,
      location: "query",
      field,
      issue
    })
  if (operation.query === undefined) return Either.left(invalid(null, "this operation takes no query parameters"))
  try {
    return Either.mapLeft(Schema.decodeUnknownEither(operation.query, queryOptions)(query), (error) => {
      const [first] = ParseResult.ArrayFormatter.formatErrorSync(error)
      const field = first === undefined || first.path.length === 0 ? null : first.path.map(String).join(".")
      return invalid(field, `${field === null ? "the query" : `query parameter ${field}`}: ${first?.message ?? ""}`)
    })
  } catch (error) {
    return Either.left(
      invalid(null, `the query could not be read: ${error instanceof Error ? error.message : "it threw"}`)
    )
  }
}

/** Query parameters as URL parameters. @internal */
export const urlParams = (query: Query | undefined): Array<[string, string]> => {
  const out: Array<[string, string]> = []
  if (query === undefined) return out
  for (const [key, value] of Object.entries(query) as Array<[string, unknown]>) {
    if (value === undefined) continue
    if (typeof value === "object" && value !== null) {
      for (const [inner, scalar] of Object.entries(value) as Array<[string, QueryScalar | undefined]>) {
        if (scalar !== undefined) out.push([inner, String(scalar)])
      }
    } else {
      out.push([key, String(value)])
    }
  }
  return out
}

/** The calls a service makes, bound to one client. @internal */
export interface Calls {
  readonly json: <A, I>(
    operation: Operation,
    response: Schema.Schema<A, I>,
    input?: Input
  ) => Effect.Effect<A, IntercomError.IntercomError>
  readonly void: (operation: Operation, input?: Input) => Effect.Effect<void, IntercomError.IntercomError>
  readonly bytes: (operation: Operation, input?: Input) => Stream.Stream<Uint8Array, IntercomError.IntercomError>
  /** A GET of a URL Intercom handed out (`pages.next`), kept on the operation's own path. */
  readonly jsonAt: <A, I>(
    operation: Operation,
    response: Schema.Schema<A, I>,
    url: string
  ) => Effect.Effect<A, IntercomError.IntercomError>
}

/** Binds the calls to a client. @internal */
export const make = (client: IntercomClient.Service): Calls => {
  const options = (operation: Operation, input: Input | undefined) =>
    Effect.map(checkQuery(operation, input?.query), (query) => ({
      method: operation.method,
      path: fillPath(operation, input?.path),
      urlParams: urlParams(query),
      body: input?.body,
      idempotent: operation.idempotent,
      accept: input?.accept,
      operation
    }))
  return {
    json: (operation, response, input) =>
      Effect.flatMap(options(operation, input), (o) => client.request({ ...o, response })),
    void: (operation, input) => Effect.flatMap(options(operation, input), client.requestVoid),
    bytes: (operation, input) => Stream.unwrap(Effect.map(options(operation, input), client.stream)),
    jsonAt: (operation, response, url) =>
      Effect.flatMap(nextRequest(operation, url), (o) => client.request({ ...o, response }))
  }
}

/**
 * The request for a next-page URL. Only its path and query are used (the host is always the configured one, so the
 * token never goes anywhere else), and the path must be the operation's own: a URL that leaves the endpoint is
 * refused rather than followed.
 */
const nextRequest = (
  operation: Operation,
  url: string
): Effect.Effect<
  {
    readonly method: IntercomClient.Method
    readonly path: string
    readonly urlParams: Array<[string, string]>
    readonly idempotent: boolean
    readonly operation: Operation
  },
  IntercomError.InvalidRequest
> => {
  const fail = (issue: string) =>
    Effect.fail(new IntercomError.InvalidRequest({ method: operation.method, path: operation.path, issue }))
  let parsed: URL
  try {
    parsed = new URL(url, "https://api.intercom.io")
  } catch {
    return fail("the next-page URL does not parse")
  }
  const template = new RegExp(`^${operation.path.replace(/\{\w+\}/g, "[^/]+")}$`)
  if (!template.test(parsed.pathname)) return fail(`the next-page URL leaves ${operation.path}`)
  return Effect.succeed({
    method: operation.method,
    path: parsed.pathname,
    urlParams: [...parsed.searchParams],
    idempotent: operation.idempotent,
    operation
  })
}
