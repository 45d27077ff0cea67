/**
 * The one helper every generated method stands on: it fills a path template with safely encoded parameters, turns a
 * query object into URL parameters, and sends the call through `IntercomClient`.
 *
 * @internal
 */
import { type IntercomClient, IntercomError } from "@intercom-effect/http"
import { Effect, type Schema, Stream } from "effect"

/** What a generated method knows about its operation. @internal */
export interface Operation {
  readonly method: IntercomClient.Method
  /** The path template of the spec, `/contacts/{id}`: errors name it, never the ids filled in. */
  readonly path: string
  /** Whether repeating the call is harmless; reads and read-only POSTs are, creates are not. */
  readonly idempotent: boolean
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

/**
 * Ids that would still change the route once encoded: `encodeURIComponent` leaves `.` and `..` alone and the URL
 * parser resolves them (`/contacts/c1/tags/..` is `/contacts/c1/`), and an empty id turns "get one" into "list all".
 */
const unsafeSegment = (value: string): string | undefined => {
  if (value === "") return "is empty"
  if (value === "." || value === "..") return `is "${value}", which the URL would resolve away`
  return undefined
}

/** Fills `{name}` placeholders with encoded values; a missing or unsafe value is an `InvalidRequest`. @internal */
export const fillPath = (
  operation: Operation,
  params: Readonly<Record<string, string>> = {}
): Effect.Effect<string, IntercomError.InvalidRequest> => {
  let problem: string | undefined
  const path = operation.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name]
    const issue = typeof value !== "string" ? "is missing" : unsafeSegment(value)
    if (issue !== undefined) {
      problem ??= `path parameter ${name} ${issue}`
      return ""
    }
    return encodeURIComponent(value!)
  })
  return problem === undefined
    ? Effect.succeed(path)
    : Effect.fail(new IntercomError.InvalidRequest({ method: operation.method, path: operation.path, issue: problem }))
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
    Effect.map(fillPath(operation, input?.path), (path) => ({
      method: operation.method,
      path,
      urlParams: urlParams(input?.query),
      body: input?.body,
      idempotent: operation.idempotent,
      accept: input?.accept
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
    idempotent: operation.idempotent
  })
}
