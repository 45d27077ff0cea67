/**
 * The mock Intercom as a service: a seeded workspace served over HTTP on 127.0.0.1 (a random port unless asked),
 * with its base URL, its state and its counters at hand. Build the layer in a test, point an Intercom client at
 * `url`, and read `counters` afterwards.
 *
 * @example
 * ```ts
 * import { NodeHttpClient } from "@effect/platform-node"
 * import { IntercomConfig } from "@intercom-effect/http"
 * import { MockIntercom } from "@intercom-effect/mock-server"
 * import { Contacts, Intercom } from "@intercom-effect/services"
 * import { Effect, Layer, Stream } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const mock = yield* MockIntercom.MockIntercom
 *   const count = yield* Effect.flatMap(Contacts.Contacts, (contacts) => Stream.runCount(contacts.list().items)).pipe(
 *     Effect.provide(
 *       Intercom.layer.pipe(
 *         Layer.provide(IntercomConfig.layer({ accessToken: "test-token", baseUrl: mock.url })),
 *         Layer.provide(NodeHttpClient.layerUndici)
 *       )
 *     )
 *   )
 *   const counters = yield* mock.counters.snapshot
 *   return { count, requests: counters.requests, throttled: counters.responses[429] ?? 0 }
 * }).pipe(
 *   Effect.provide(MockIntercom.layer({ seed: 7, contacts: 500, accessToken: "test-token", rateLimit: { limit: 20 } }))
 * )
 * ```
 *
 *
 * With `living: {...}` the workspace lives (see `Living`): it has a clock of its own, moved only by `advance` and
 * `advanceTo`, and changes on a seeded schedule as the clock moves; `snapshot` is the copy a client that read every
 * change should hold.
 *
 * @since 0.1.0
 */
import { HttpServer } from "@effect/platform"
import type { ServeError } from "@effect/platform/HttpServerError"
import { NodeHttpServer } from "@effect/platform-node"
import { Clock, Context, Duration, Effect, Either, Layer, Option, Redacted } from "effect"
import { createServer } from "node:http"
import * as Counters from "./Counters.js"
import * as Faults from "./Faults.js"
import * as Living from "./Living.js"
import * as RateLimit from "./RateLimit.js"
import * as Seed from "./Seed.js"
import * as Server from "./Server.js"
import type * as Snapshot from "./Snapshot.js"
import * as State from "./State.js"

/**
 * How to build the mock. Everything has a default: a workspace seeded from seed 1 with 100 contacts, 10 companies
 * and 50 conversations, any bearer token accepted, Intercom's default window limit, no faults.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly seed?: number | string | undefined
  readonly contacts?: number | undefined
  readonly companies?: number | undefined
  readonly conversations?: number | undefined
  /** Seeded tickets; none by default. */
  readonly tickets?: number | undefined
  readonly admins?: number | undefined
  /** A workspace made beforehand with `Seed.make` (wins over the sizes above). */
  readonly data?: Seed.Data | undefined
  /** The only token accepted; when left out, any bearer token is. */
  readonly accessToken?: string | Redacted.Redacted<string> | undefined
  /** Versions served; defaults to `["2.10"]`, the first being the default for requests without the header. */
  readonly versions?: ReadonlyArray<string> | undefined
  readonly rateLimit?:
    | { readonly limit?: number | undefined; readonly window?: Duration.DurationInput | undefined }
    | undefined
  readonly faults?: Faults.Options | undefined
  /** How long an export job stays pending, then in progress (1 s and 2 s by default). */
  readonly exports?:
    | { readonly pending?: Duration.DurationInput | undefined; readonly running?: Duration.DurationInput | undefined }
    | undefined
  /** 0 (the default) picks a free port. */
  readonly port?: number | undefined
  /** Defaults to 127.0.0.1. */
  readonly host?: string | undefined
  /**
   * A living workspace (see `Living.Options`; `{}` takes every default). Its seeded history ends at `living.start`
   * unless `data` is given, and its app reports `living.timezone`.
   */
  readonly living?: Living.Options | undefined
}

/**
 * A running mock.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** The base URL to give the client, e.g. `http://127.0.0.1:49152`. */
  readonly url: string
  /** The workspace, live. */
  readonly state: State.Store
  readonly counters: Counters.Service
  readonly rateLimit: RateLimit.RateLimiter
  /** Finishes every export job still pending or in progress. */
  readonly completeExports: Effect.Effect<void>
  /** The engine of a living workspace; undefined when the mock is not living. */
  readonly workspace: Living.Workspace | undefined
  /** The workspace clock in epoch milliseconds: Effect's `Clock` when the mock is not living. */
  readonly now: Effect.Effect<number>
  /** Moves the workspace clock forward, applying the changes due on the way. */
  readonly advance: (duration: Duration.DurationInput) => Effect.Effect<Living.Advanced, Living.AdvanceError>
  /** Moves the workspace clock to `epochMillis`, applying the changes due on the way. */
  readonly advanceTo: (epochMillis: number) => Effect.Effect<Living.Advanced, Living.AdvanceError>
  /** The workspace as the API sends it, every conversation with all its parts (see `Snapshot`). */
  readonly snapshot: Effect.Effect<Snapshot.Snapshot>
}

/**
 * The running mock's tag.
 *
 * @since 0.1.0
 * @category tags
 */
export class MockIntercom extends Context.Tag("@intercom-effect/mock-server/MockIntercom")<MockIntercom, Service>() {}

const notLiving = new Living.AdvanceError({
  reason: "NotLiving",
  message: "the mock's workspace is not living: start it with the living option to move its clock"
})

const build = (options: Options, living: Living.Config | undefined) => {
  const seed = options.seed ?? 1
  const seeded =
    options.data ??
    Seed.make({
      seed,
      contacts: options.contacts,
      companies: options.companies,
      conversations: options.conversations,
      tickets: options.tickets,
      admins: options.admins,
      // A living workspace's history ends where its clock starts.
      until: living === undefined ? undefined : Math.floor(living.start / 1000)
    })
  const data = living === undefined ? seeded : { ...seeded, app: { ...seeded.app, timezone: living.timezone } }
  const state = State.make(data)
  state.exportTiming = {
    pending: Duration.toMillis(options.exports?.pending ?? "1 second"),
    running: Duration.toMillis(options.exports?.running ?? "2 seconds")
  }
  const workspace = living === undefined ? undefined : new Living.Workspace(state, data.seed, living)
  const counters = Counters.make()
  const rateLimit = RateLimit.make({
    limit: options.rateLimit?.limit ?? RateLimit.defaults.limit,
    window: Duration.decode(options.rateLimit?.window ?? RateLimit.defaults.window)
  })
  const token = options.accessToken
  const app = Server.make(state, counters, {
    accessToken:
      token === undefined ? Option.none() : Option.some(typeof token === "string" ? Redacted.make(token) : token),
    versions: options.versions ?? ["2.10"],
    rateLimit,
    faults: Faults.make(data.seed, options.faults),
    workspace
  })
  const service: Omit<Service, "url"> = {
    state,
    counters,
    rateLimit,
    completeExports: Effect.flatMap(Clock.currentTimeMillis, (now) => Effect.sync(() => state.completeExports(now))),
    workspace,
    now: Effect.suspend(() => (state.clock === undefined ? Clock.currentTimeMillis : Effect.succeed(state.clock))),
    advance: Effect.fn("MockIntercom.advance")((duration: Duration.DurationInput) =>
      workspace === undefined ? Effect.fail(notLiving) : Effect.suspend(() => workspace.advance(duration))
    ),
    advanceTo: Effect.fn("MockIntercom.advanceTo")((epochMillis: number) =>
      workspace === undefined ? Effect.fail(notLiving) : Effect.suspend(() => workspace.advanceTo(epochMillis))
    ),
    snapshot: Effect.sync(() => state.snapshot()).pipe(Effect.withSpan("MockIntercom.snapshot"))
  }
  return { app, ...service }
}

/**
 * The workspace `options` describe, its counters and the application serving them, without a server: for
 * embedding the mock in another `HttpServer`, or for tests that call the application directly. Living options it
 * cannot run with throw `Living.InvalidOptions` (`layer` fails with it instead).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options = {}) =>
  build(
    options,
    options.living === undefined
      ? undefined
      : Either.getOrThrowWith(Living.resolve(options.living), (invalid) => invalid)
  )

/**
 * The mock served by `HttpServer` on the address `options` name (127.0.0.1 and a free port by default), for the
 * life of the layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options = {}): Layer.Layer<MockIntercom, ServeError | Living.InvalidOptions> =>
  Layer.scoped(
    MockIntercom,
    Effect.gen(function* () {
      const living = options.living === undefined ? undefined : yield* Living.resolve(options.living)
      const { app, ...mock } = build(options, living)
      yield* HttpServer.serveEffect(app)
      const url = yield* HttpServer.addressWith((address) =>
        Effect.succeed(
          address._tag === "TcpAddress" ? `http://${address.hostname}:${address.port}` : `http://${address.path}`
        )
      )
      return MockIntercom.of({ url, ...mock })
    })
  ).pipe(
    Layer.provide(NodeHttpServer.layer(createServer, { port: options.port ?? 0, host: options.host ?? "127.0.0.1" }))
  )
