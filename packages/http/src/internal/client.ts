import { Headers, HttpClient, HttpClientRequest, type HttpClientResponse } from "@effect/platform"
import type { HttpClientError } from "@effect/platform/HttpClientError"
import { RateLimiter } from "@effect/experimental"
import {
  Context,
  Duration,
  Effect,
  Either,
  Exit,
  Option,
  Redacted,
  Schedule,
  type Schema,
  type Scope,
  Stream,
  type Tracer
} from "effect"
import { dual } from "effect/Function"
import type * as Client from "../IntercomClient.js"
import type { Method, RequestOptions, ResponseMeta, RetryOverride, Service } from "../IntercomClient.js"
import * as ClientMetrics from "../ClientMetrics.js"
import * as IntercomConfig from "../IntercomConfig.js"
import * as SharedBudget from "../SharedBudget.js"
import {
  type DecodeError,
  fromResponse,
  IncompleteResponse,
  type InputLocation,
  type IntercomError,
  InvalidRequest,
  snippetLength,
  TimeoutError,
  TransportError
} from "../IntercomError.js"
import { retryOptions } from "./config.js"
import { decodeJson } from "./decode.js"
import * as Gate from "./gate.js"
import * as RateLimit from "./rateLimit.js"
import * as Request from "./request.js"
import * as RetryPolicy from "./retryPolicy.js"
import * as Scrub from "./scrub.js"
import { appKey } from "./sharedBudget.js"
import { version } from "./version.js"
import { timeoutFail } from "./timeout.js"

/** @internal */
export const CurrentTimeout = Context.Reference<Client.CurrentTimeout>()(
  "@intercom-effect/http/IntercomClient/CurrentTimeout",
  { defaultValue: (): Option.Option<Duration.Duration> => Option.none() }
)

/** @internal */
export const CurrentRetry = Context.Reference<Client.CurrentRetry>()(
  "@intercom-effect/http/IntercomClient/CurrentRetry",
  { defaultValue: (): Option.Option<RetryOverride> => Option.none() }
)

/** @internal */
export const withTimeout = dual<
  (timeout: Duration.DurationInput) => <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>,
  <A, E, R>(self: Effect.Effect<A, E, R>, timeout: Duration.DurationInput) => Effect.Effect<A, E, R>
>(2, (self, timeout) => Effect.provideService(self, CurrentTimeout, Option.some(Duration.decode(timeout))))

/** @internal */
export const withRetry = dual<
  (retry: RetryOverride) => <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>,
  <A, E, R>(self: Effect.Effect<A, E, R>, retry: RetryOverride) => Effect.Effect<A, E, R>
>(2, (self, retry) => Effect.provideService(self, CurrentRetry, Option.some(retry)))

/** One call, resolved once before its first attempt. */
interface Call {
  /** The call's span, for what only the response can tell (status, request id) and for failed attempts. */
  readonly span: Tracer.Span
  readonly method: Method
  readonly path: string
  readonly request: HttpClientRequest.HttpClientRequest
  readonly idempotent: boolean
  /** A 429 is a rule of the operation, not a spent window (see `Operation.finalRateLimit`). */
  readonly finalRateLimit: boolean
  readonly timeout: Duration.Duration
  readonly retry: RetryOverride | undefined
}

/** What happens to a 2xx response within its attempt (and its timeout). */
type Read<A> = (response: HttpClientResponse.HttpClientResponse, meta: ResponseMeta) => Effect.Effect<A, IntercomError>

/**
 * What one client instance resolves once, at construction, and every call then reads: the steps below are plain
 * functions of it, so a call allocates nothing for them.
 */
interface Client {
  readonly config: IntercomConfig.IntercomConfig["Type"]
  readonly scrub: (text: string) => string
  readonly gate: Gate.Gate
  /** The client-side budget of `rateLimit.budget`, if any. */
  readonly budget: ((call: Call) => Effect.Effect<void, TransportError>) | undefined
  /** This client's membership of its app's shared budget, if one is in the context. */
  readonly member: SharedBudget.Member | undefined
  readonly httpClient: HttpClient.HttpClient
  /** One request per method with the headers that never change, which every call starts from. */
  readonly templates: Record<Method, HttpClientRequest.HttpClientRequest>
  /** The latest response's meta, for `lastResponse`. */
  last: ResponseMeta | undefined
}

const methods: ReadonlyArray<Method> = ["GET", "POST", "PUT", "DELETE"]

/** Runs `effect` and records how long it took as a wait of `reason`, when it took any time at all. */
const timedWait = <A, E>(reason: ClientMetrics.WaitReason, effect: Effect.Effect<A, E>): Effect.Effect<A, E> =>
  Effect.clockWith((clock) => {
    const start = clock.unsafeCurrentTimeMillis()
    return Effect.tap(effect, () => {
      const waited = clock.unsafeCurrentTimeMillis() - start
      if (waited > 0) ClientMetrics.unsafeRecord(reason, waited)
    })
  })

/**
 * The optional client-side budget, spent before each attempt. A `RateLimiter` provided by the user (e.g. over
 * Redis, shared by several processes) wins over the in-memory one.
 */
const makeBudget = (
  budget: IntercomConfig.RateLimitOptions["budget"]
): Effect.Effect<((call: Call) => Effect.Effect<void, TransportError>) | undefined> =>
  Option.match(budget, {
    onNone: () => Effect.succeed(undefined),
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
        const spend = timedWait(
          "budget",
          sleep({ algorithm: "fixed-window", limit: options.limit, window: options.window, key: options.key })
        )
        return (call: Call): Effect.Effect<void, TransportError> =>
          Effect.asVoid(
            Effect.mapError(
              spend,
              (error) =>
                new TransportError({
                  method: call.method,
                  path: call.path,
                  reason: "RateLimiterStore",
                  detail: error.message
                })
            )
          )
      })
  })

/**
 * With a shared budget in the context, this client spends the budget of its app together with the other workers of
 * that app, and its gate also holds for the windows they report spent.
 */
const joinSharedBudget = (
  accessToken: string,
  gate: Gate.Gate
): Effect.Effect<SharedBudget.Member | undefined, never, Scope.Scope> =>
  Effect.flatMap(Effect.clock, (clock) =>
    Effect.flatMap(
      Effect.serviceOption(SharedBudget.SharedBudget),
      Option.match({
        onNone: () => Effect.succeed(undefined),
        onSome: (shared) =>
          Effect.flatMap(appKey(accessToken), (key) =>
            shared.join({ key }, (until) => gate.unsafeHold(until, clock.unsafeCurrentTimeMillis()))
          )
      })
    )
  )

/** The `User-Agent` this library sends: its name and version, then the user's suffix if configured. */
const userAgentOf = (config: IntercomConfig.IntercomConfig["Type"]): string =>
  `intercom-effect/${version} (@intercom-effect/http; effect)${Option.match(config.userAgentSuffix, {
    onNone: () => "",
    onSome: (suffix) => ` ${suffix}`
  })}`

/** Every request starts from one of these: the headers that never change are built once per client. */
const makeTemplates = (
  config: IntercomConfig.IntercomConfig["Type"]
): Record<Method, HttpClientRequest.HttpClientRequest> => {
  const headers = Headers.fromInput({
    accept: "application/json",
    authorization: `Bearer ${Redacted.value(config.accessToken)}`,
    "intercom-version": config.version,
    "user-agent": userAgentOf(config)
  })
  return Object.fromEntries(
    methods.map((method) => [method, HttpClientRequest.make(method)("", { headers })])
  ) as Record<Method, HttpClientRequest.HttpClientRequest>
}

// --- errors: every text that may come from outside is scrubbed of the token before it becomes part of one --------

const transportError = (client: Client, call: Call) => (error: HttpClientError) =>
  new TransportError({
    method: call.method,
    path: call.path,
    reason: error._tag === "RequestError" ? error.reason : `Response${error.reason}`,
    detail: client.scrub(error.cause instanceof Error ? error.cause.message : error.message)
  })

const incomplete = (
  client: Client,
  call: Call,
  meta: ResponseMeta,
  reason: IncompleteResponse["reason"],
  detail: string,
  text: string
) =>
  new IncompleteResponse({
    method: call.method,
    path: call.path,
    status: meta.status,
    requestId: meta.requestId,
    reason,
    detail: client.scrub(detail),
    body: client.scrub(text).slice(0, snippetLength),
    outcomeUnknown: !call.idempotent
  })

const bodyFailed = (client: Client, call: Call, meta: ResponseMeta) => (error: HttpClientError) =>
  incomplete(client, call, meta, "Interrupted", error.cause instanceof Error ? error.cause.message : error.message, "")

const invalid = (
  client: Client,
  options: RequestOptions,
  path: string,
  location: InputLocation | null,
  field: string | null,
  issue: string
) => new InvalidRequest({ method: options.method, path, location, field, issue: client.scrub(issue) })

// --- the steps of a call, in the order it takes them ---------------------------------------------------------------

/**
 * Everything about a call that can be checked before it is sent: the path, the query and the body. Whatever the
 * caller's values are, the outcome is a `Call` or an `InvalidRequest`, never a defect and never a request.
 */
const prepare = (client: Client, options: RequestOptions, span: Tracer.Span): Effect.Effect<Call, InvalidRequest> =>
  Effect.contextWithEffect((context: Context.Context<never>) => {
    const resolved = Request.resolvePath(options.path)
    if (Either.isLeft(resolved)) {
      const { template, parameter, issue } = resolved.left
      return Effect.fail(invalid(client, options, template, "path", parameter, issue))
    }
    const path = resolved.right
    let request = HttpClientRequest.setUrl(client.templates[options.method], client.config.baseUrl + path)
    if (options.accept !== undefined) request = HttpClientRequest.setHeader(request, "accept", options.accept)
    if (options.urlParams !== undefined) {
      const issue = Request.urlParamsIssue(options.urlParams)
      if (issue !== undefined) return Effect.fail(invalid(client, options, path, "query", issue.field, issue.issue))
      request = HttpClientRequest.setUrlParams(request, options.urlParams)
    }
    const call = (request: HttpClientRequest.HttpClientRequest): Call => ({
      span,
      method: options.method,
      path,
      request,
      idempotent: options.idempotent ?? options.method !== "POST",
      finalRateLimit: options.operation?.finalRateLimit === true,
      // A scoped override is the caller's wish and wins over the one a service passed for its operation.
      timeout: Option.getOrElse(Context.get(context, CurrentTimeout), () =>
        options.timeout === undefined ? client.config.timeout : Duration.decode(options.timeout)
      ),
      retry: Option.getOrElse(Context.get(context, CurrentRetry), () => options.retry)
    })
    if (options.body === undefined) return Effect.succeed(call(request))
    return Effect.map(
      Request.encodeBody(options.body, (field, issue) => invalid(client, options, path, "body", field, issue)),
      (text) => call(HttpClientRequest.bodyText(request, text, "application/json"))
    )
  })

/** What the response says about itself, read once from its headers; the call's span gets the status and the id. */
const metaOf = (client: Client, call: Call, response: HttpClientResponse.HttpClientResponse): ResponseMeta => {
  const headers = response.headers
  const header = headers["x-request-id"]
  const meta: ResponseMeta = {
    method: call.method,
    path: call.path,
    status: response.status,
    requestId: header === undefined ? null : client.scrub(header),
    rateLimit: RateLimit.fromHeaders(headers),
    date: headers["date"] ?? null
  }
  call.span.attribute("http.response.status_code", meta.status)
  if (meta.requestId !== null) call.span.attribute("intercom.request_id", meta.requestId)
  return meta
}

/**
 * Feeds the gate (and the other workers of a shared budget) with what a response says about the window. Runs once
 * per response. A 429 without a hint still holds the other fibers back for a moment.
 */
const observe = (client: Client, slot: Gate.Slot, meta: ResponseMeta, hint: number | undefined, now: number) => {
  client.gate.unsafeObserve(slot, meta.rateLimit, meta.status === 429 ? (hint ?? 1000) : undefined, now)
  client.last = meta
  // The other workers of this app learn that the window is spent from whoever sees it first.
  const member = client.member
  if (member !== undefined && Option.isSome(meta.rateLimit) && meta.rateLimit.value.remaining === 0) {
    member.announce(meta.rateLimit.value.resetAtMillis)
  }
}

/** A non-2xx response as its typed error. An unreadable error body still leaves the status to report. */
const failure = (
  client: Client,
  call: Call,
  response: HttpClientResponse.HttpClientResponse,
  meta: ResponseMeta,
  hint: number | undefined,
  now: number
): Effect.Effect<never, IntercomError> =>
  Effect.flatMap(
    Effect.orElseSucceed(response.text, () => ""),
    (text) => {
      const error = fromResponse({
        method: call.method,
        path: call.path,
        status: meta.status,
        requestId: meta.requestId,
        // Scrubbed before parsing, so no field taken from the body can carry the token.
        body: client.scrub(text),
        retryAfterMillis: hint ?? null,
        finalRateLimit: call.finalRateLimit
      })
      // A 429 that waiting lifts is a spent window too; the one-pending-export rule is about this call only.
      if (client.member !== undefined && error._tag === "RateLimited" && error.transient) {
        client.member.announce(now + (hint ?? 1000))
      }
      return Effect.fail(error)
    }
  )

/**
 * The exchange itself: send, feed the gate, map the status, and hand a 2xx response to `read`. The response's
 * headers are materialised once and read once.
 */
const exchange = <A>(client: Client, call: Call, read: Read<A>, slot: Gate.Slot): Effect.Effect<A, IntercomError> =>
  Effect.flatMap(Effect.mapError(client.httpClient.execute(call.request), transportError(client, call)), (response) =>
    Effect.clockWith((clock) => {
      // This callback runs once per response, like `Effect.suspend`'s, so it may record the response here.
      const now = clock.unsafeCurrentTimeMillis()
      const meta = metaOf(client, call, response)
      const ok = meta.status >= 200 && meta.status < 300
      const hint = ok
        ? undefined
        : Option.getOrUndefined(RateLimit.serverDelayMillis(meta.status, response.headers, now))
      observe(client, slot, meta, hint, now)
      return ok ? read(response, meta) : failure(client, call, response, meta, hint, now)
    })
  )

/**
 * This attempt's turn in the shared budget. The window may have been reported spent while the request waited for
 * its turn (by a response here, or by another worker): it passed the gate before that, so it waits for the reset
 * now instead of spending into a 429.
 */
const turn = (client: Client, member: SharedBudget.Member) =>
  timedWait(
    "shared",
    Effect.zipRight(
      member.take,
      Effect.clockWith((clock) => {
        const wait = client.gate.unsafeSpentFor(clock.unsafeCurrentTimeMillis())
        return wait > 0 ? Effect.sleep(Duration.millis(wait)) : Effect.void
      })
    )
  )

/**
 * One attempt: the optional budget, a place through the gate (concurrency cap and rate limit), this app's turn in
 * the shared budget, and the exchange within the attempt's timeout. Interruption, including the timeout's, aborts
 * the socket.
 *
 * The shared turn is taken inside the gate's place, so the request leaves the moment its turn comes: waiting for
 * a place after the turn would let requests bunch up past the shared pace.
 */
const attempt = <A>(client: Client, call: Call, read: Read<A>): Effect.Effect<A, IntercomError> => {
  const member = client.member
  const slotted = client.gate.withSlot((slot) => {
    const timed = timeoutFail(
      exchange(client, call, read, slot),
      call.timeout,
      () => new TimeoutError({ method: call.method, path: call.path, timeoutMillis: Duration.toMillis(call.timeout) })
    )
    return member === undefined ? timed : Effect.zipRight(turn(client, member), timed)
  })
  return client.budget === undefined ? slotted : Effect.zipRight(client.budget(call), slotted)
}

/** The retry schedule of a call: its own override, else the client's schedule, else the client's options. */
const policy = (client: Client, call: Call): Schedule.Schedule<unknown, IntercomError> => {
  const config = client.config
  const context: IntercomConfig.RetryContext = { method: call.method, path: call.path, idempotent: call.idempotent }
  if (typeof call.retry === "function") return call.retry(context)
  if (call.retry !== undefined) return RetryPolicy.schedule(retryOptions(call.retry, config.retry), context)
  return Option.match(config.retrySchedule, {
    onNone: () => RetryPolicy.schedule(config.retry, context),
    onSome: (f) => f(context)
  })
}

// A failed attempt becomes an event of the call's span, so retries show in a trace.
const attemptFailed = (call: Call, error: IntercomError) =>
  Effect.clockWith((clock) => {
    call.span.event("intercom.attempt.failed", clock.unsafeCurrentTimeNanos(), {
      "error.type": error._tag,
      ...("status" in error ? { "http.response.status_code": error.status } : {})
    })
    return Effect.void
  })

/**
 * Same as `Effect.retry(attempt, policy)`, but the policy is built and driven only after a first failure, so a call
 * that succeeds at once pays nothing for it. The wait before each retry is recorded: a 429's as `retry-after`.
 */
const retrying = <A>(
  client: Client,
  call: Call,
  attempt: Effect.Effect<A, IntercomError>
): Effect.Effect<A, IntercomError> =>
  Effect.catchAll(attempt, (first) =>
    Effect.flatMap(Schedule.driver(policy(client, call)), (driver) => {
      const loop = (error: IntercomError): Effect.Effect<A, IntercomError> =>
        Effect.zipRight(
          attemptFailed(call, error),
          Effect.matchEffect(timedWait(error._tag === "RateLimited" ? "retry-after" : "retry", driver.next(error)), {
            onFailure: () => Effect.fail(error),
            onSuccess: () => Effect.catchAll(attempt, loop)
          })
        )
      return loop(first)
    })
  )

/**
 * Runs `body` in the call's span, named after the method. `Effect.fn` would also capture a stack trace per call
 * and need a separate step for the attributes; this span gets them when it starts, as the transport's does. A
 * call that carries its operation names the span after it instead (`Admins.me`): the services' one span.
 *
 * The span ends with the call's exit made void (`Effect.useSpan` would end it with the value): a span keeps its
 * exit, and one holding a decoded page (~2 MB of objects for 150 contacts) kept every page alive through
 * young-generation collections. Measured on a 30,000-contact walk: 0.65 ms more CPU per page with the value in
 * the span's exit, mostly the garbage collector copying pages. Tracers read only whether the span failed and why,
 * which the void exit keeps.
 */
const traced = <A, E>(
  name: string,
  options: RequestOptions,
  body: (span: Tracer.Span) => Effect.Effect<A, E>
): Effect.Effect<A, E> =>
  Effect.flatMap(
    Effect.makeSpan(options.operation?.name ?? name, {
      kind: "client",
      captureStackTrace: false,
      attributes: { "http.request.method": options.method, "intercom.path": Request.displayPath(options.path) }
    }),
    (span) =>
      Effect.onExit(Effect.withParentSpan(body(span), span), (exit) =>
        Effect.clockWith((clock) => {
          span.end(clock.unsafeCurrentTimeNanos(), Exit.asVoid(exit))
          return Effect.void
        })
      )
  )

/** A whole call: its span, its checks, then its attempts under the retry policy. */
const run = <A>(
  client: Client,
  name: string,
  options: RequestOptions,
  read: (call: Call) => Read<A>
): Effect.Effect<A, IntercomError> =>
  traced(name, options, (span) =>
    Effect.flatMap(prepare(client, options, span), (call) => retrying(client, call, attempt(client, call, read(call))))
  )

// --- reading a 2xx body ----------------------------------------------------------------------------------------------

// V8 says "Unexpected end of JSON input", or names a position at the very end of the text, when JSON stops early.
const isTruncation = (text: string, message: string): boolean => {
  if (message.includes("end of JSON input")) return true
  const position = /at position (\d+)/.exec(message)
  return position !== null && Number(position[1]) >= text.trimEnd().length
}

// Whether a body is empty or whitespace only, without scanning a large body: JSON text starts with `{` or `[` at once.
const isBlank = (text: string): boolean => {
  if (text.length === 0) return true
  const first = text.charCodeAt(0)
  return first <= 32 && text.trim().length === 0
}

const parseJson = (
  client: Client,
  call: Call,
  meta: ResponseMeta,
  text: string
): Either.Either<unknown, IncompleteResponse> => {
  // An empty 2xx body decodes as `undefined`, so a schema that allows it (Schema.Void, Schema.Undefined) works.
  if (isBlank(text)) return Either.right(undefined)
  try {
    return Either.right(JSON.parse(text))
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    return Either.left(
      incomplete(client, call, meta, isTruncation(text, message) ? "Truncated" : "NotJson", message, text)
    )
  }
}

/** Reads a 2xx body as JSON and decodes it with `schema`. */
const json =
  <A, I>(client: Client, schema: Schema.Schema<A, I>) =>
  (call: Call): Read<A> =>
  (response, meta) =>
    Effect.flatMap(
      Effect.mapError(response.text, bodyFailed(client, call, meta)),
      (text): Effect.Effect<A, IncompleteResponse | DecodeError> => {
        const parsed = parseJson(client, call, meta, text)
        if (Either.isLeft(parsed)) return Effect.fail(parsed.left)
        return decodeJson(schema, parsed.right, {
          method: meta.method,
          path: meta.path,
          status: meta.status,
          requestId: meta.requestId,
          text,
          scrub: client.scrub
        })
      }
    )

/** The service over one resolved client. */
const serviceOf = (client: Client): Service => ({
  request: (options) => run(client, "IntercomClient.request", options, json(client, options.response)),
  requestWithMeta: (options) =>
    run(client, "IntercomClient.requestWithMeta", options, (call) => {
      const read = json(client, options.response)(call)
      return (response, meta) => Effect.map(read(response, meta), (value) => ({ value, meta }))
    }),
  // The body is drained so that the connection can be reused.
  requestVoid: (options) =>
    run(
      client,
      "IntercomClient.requestVoid",
      options,
      (call) => (response, meta) => Effect.asVoid(Effect.mapError(response.arrayBuffer, bodyFailed(client, call, meta)))
    ),
  stream: (options) =>
    Stream.unwrap(
      traced("IntercomClient.stream", options, (span) =>
        Effect.gen(function* () {
          const call = yield* prepare(client, options, span)
          // Retries and the timeout cover the exchange up to the response headers; the body then streams.
          const response = yield* retrying(
            client,
            call,
            attempt(client, call, (response, meta) => Effect.succeed({ response, meta }))
          )
          return Stream.mapError(response.response.stream, bodyFailed(client, call, response.meta))
        })
      )
    ),
  lastResponse: Effect.sync(() => Option.fromNullable(client.last)),
  rateLimit: client.gate.snapshot
})

/** @internal */
export const make = Effect.gen(function* () {
  const config = yield* IntercomConfig.IntercomConfig
  const gate = Gate.make(config.rateLimit)
  const client: Client = {
    config,
    scrub: Scrub.make(Redacted.value(config.accessToken)),
    gate,
    budget: yield* makeBudget(config.rateLimit.budget),
    member: yield* joinSharedBudget(Redacted.value(config.accessToken), gate),
    // Each call has a span of its own (see `traced`), which carries what the transport's per-attempt span would, so
    // that one is switched off: one span per call instead of two was a measurable share of a call's cost. With it
    // off no trace headers are sent either; a third-party API has no use for them, and they would leak internal
    // topology.
    httpClient: HttpClient.withTracerDisabledWhen(yield* HttpClient.HttpClient, () => true),
    templates: makeTemplates(config),
    last: undefined
  }
  return serviceOf(client)
})
