/**
 * @intercom-effect/mock-server in a process of its own (bundled, see bundle.ts), so that its clock and event loop
 * are apart from the workers' and the test's. The mock enforces the window limit (windows aligned to multiples of
 * the window on the clock, as Intercom's 10-second windows are) and counts the requests it served and refused per
 * window; around it this process also counts them per worker, the worker being named at the end of the User-Agent
 * (`worker/<id>`) and the window by the response's X-RateLimit-Reset.
 *
 * Started with its options as JSON in argv[2]; tells the parent its port over IPC, and answers "stats" messages.
 */
import { createServer } from "node:http"
import { HttpServer, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { MockIntercom } from "@intercom-effect/mock-server"
import { Clock, Effect, Schema } from "effect"
import type { ServerOptions, Stats, WindowCount } from "../MockServer.js"

const options = JSON.parse(process.argv[2] ?? "{}") as ServerOptions
const mock = MockIntercom.make({
  seed: 1,
  contacts: options.contacts,
  accessToken: options.accessToken,
  rateLimit: { limit: options.limit, window: `${options.windowMillis} millis` }
})

/** The part of a contact list page that leads to the next one. */
const Page = Schema.Struct({
  pages: Schema.optional(
    Schema.Struct({ next: Schema.optional(Schema.NullOr(Schema.Struct({ starting_after: Schema.String }))) })
  )
})

/** A clock stopped at the epoch, for the warm-up below. */
const epoch: Clock.Clock = {
  [Clock.ClockTypeId]: Clock.ClockTypeId,
  unsafeCurrentTimeMillis: () => 0,
  currentTimeMillis: Effect.succeed(0),
  unsafeCurrentTimeNanos: () => 0n,
  currentTimeNanos: Effect.succeed(0n),
  sleep: () => Effect.void
}

/**
 * Walks the contact list once, in this process, before the workers come. The mock encodes each record through its
 * Schema on the first walk and keeps the encoding: measured here, the 100 pages of 5,000 contacts took 1.1 s the first
 * time and 0.25 s after. On a loaded 2-core machine that cold start, in the one process serving all four workers,
 * held the first windows of a run below the budget: a cost of the mock, not of the budget under test. The walk runs
 * on a clock stopped at the epoch, so its calls fall in a window long gone and take nothing from the workers' first,
 * and the counters start afresh after it.
 */
const warmUp = Effect.gen(function* () {
  let cursor: string | undefined
  do {
    const query = `per_page=150${cursor === undefined ? "" : `&starting_after=${encodeURIComponent(cursor)}`}`
    const request = HttpServerRequest.fromWeb(
      new Request(`http://mock.local/contacts?${query}`, {
        headers: { authorization: `Bearer ${options.accessToken}`, "intercom-version": "2.10" }
      })
    )
    const response = HttpServerResponse.toWeb(
      yield* Effect.provideService(mock.app, HttpServerRequest.HttpServerRequest, request)
    )
    if (response.status !== 200) return yield* Effect.dieMessage(`warming up, the mock answered ${response.status}`)
    const page = yield* Schema.decodeUnknown(Page)(yield* Effect.promise(() => response.json()))
    cursor = page.pages?.next?.starting_after ?? undefined
  } while (cursor !== undefined)
  yield* mock.counters.reset
}).pipe(Effect.withClock(epoch), Effect.orDie)

/** Per window start, per worker: calls served and refused. */
const byWorker = new Map<number, Record<string, { ok: number; limited: number }>>()

const counted = Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) =>
  Effect.tap(mock.app, (response) =>
    Effect.sync(() => {
      const reset = Number(response.headers["x-ratelimit-reset"])
      if (!Number.isFinite(reset)) return
      const start = reset * 1000 - options.windowMillis
      const worker = /worker\/(\S+)/.exec(request.headers["user-agent"] ?? "")?.[1] ?? "other"
      const workers = byWorker.get(start) ?? {}
      byWorker.set(start, workers)
      const mine = (workers[worker] ??= { ok: 0, limited: 0 })
      if (response.status === 429) mine.limited++
      else mine.ok++
    })
  )
)

const stats = Effect.map(
  mock.counters.snapshot,
  (snapshot): Stats => ({
    limit: options.limit,
    windowMillis: options.windowMillis,
    requests: snapshot.requests,
    responses: snapshot.responses,
    maxPerWindow: snapshot.maxPerWindow,
    windows: snapshot.windows.map(
      (w): WindowCount => ({
        index: Math.floor(w.start / options.windowMillis),
        startMillis: w.start,
        ok: w.served,
        limited: w.limited,
        byWorker: byWorker.get(w.start) ?? {}
      })
    )
  })
)

const serve = Effect.gen(function* () {
  yield* warmUp
  yield* HttpServer.serveEffect(counted)
  const port = yield* HttpServer.addressWith((address) =>
    Effect.succeed(address._tag === "TcpAddress" ? address.port : 0)
  )
  process.on("message", (message) => {
    if (message === "stats") Effect.runPromise(stats).then((s) => process.send?.(s))
  })
  // The parent's end is this process's end: nothing stays behind a test that failed.
  process.on("disconnect", () => process.exit(0))
  process.send?.({ port })
  return yield* Effect.never
})

serve.pipe(
  Effect.scoped,
  Effect.provide(NodeHttpServer.layer(createServer, { port: 0, host: "127.0.0.1" })),
  NodeRuntime.runMain
)
