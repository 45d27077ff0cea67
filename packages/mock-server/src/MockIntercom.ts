/**
 * The mock Intercom as a service: a seeded workspace served over HTTP on 127.0.0.1 (a random port unless asked),
 * with its base URL, its state and its counters at hand. Build the layer in a test, point an Intercom client at
 * `url`, and read `counters` afterwards.
 *
 * @example
 * ```ts
 * import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
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
 * With `workspaces: [...]` the mock serves several independent workspaces, each picked by its own bearer token and
 * listed in `workspaces`; the mock's other options are each workspace's defaults (an option a workspace leaves
 * undefined takes the mock's, so a workspace cannot unset one).
 *
 * With `living: {...}` the workspace lives (see `Living`): it has a clock of its own, moved only by `advance` and
 * `advanceTo`, and changes on a seeded schedule as the clock moves; `snapshot` is the copy a client that read every
 * change should hold.
 *
 * @since 0.1.0
 */
import { HttpServer } from "@effect/platform"
import type { ServeError } from "@effect/platform/HttpServerError"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import { Clock, Context, Data, Duration, Effect, Either, Layer, Option, Redacted } from "effect"
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
  /**
   * Several workspaces in one server, each chosen by its own bearer token (a request with any other token is a
   * 401). Every option above but `accessToken`, `port` and `host` is the default of each workspace, which may set
   * its own. Left out, the mock serves one workspace, to `accessToken` or to any token.
   */
  readonly workspaces?: ReadonlyArray<WorkspaceOptions> | undefined
}

/**
 * One workspace of several: its token, a name for logs and lookups, and whatever it sets apart from the mock's
 * options.
 *
 * @since 0.3.0
 * @category models
 */
export interface WorkspaceOptions extends Omit<Options, "accessToken" | "port" | "host" | "workspaces"> {
  /** The bearer token that picks this workspace; never printed. */
  readonly token: string | Redacted.Redacted<string>
  /** What logs and `byName` call the workspace; `ws-1`, `ws-2`, ... by position when left out. */
  readonly name?: string | undefined
}

/**
 * Workspaces the mock cannot serve together: none at all, `accessToken` beside them, a token that is empty or holds
 * a space, two workspaces with the same token or the same name. The message names workspaces, never tokens.
 *
 * @since 0.3.0
 * @category errors
 */
export class InvalidWorkspaces extends Data.TaggedError("InvalidWorkspaces")<{ readonly message: string }> {}

/**
 * One workspace of a running mock, live: its data, counters, rate limit and clock, apart from every other one.
 *
 * @since 0.3.0
 * @category models
 */
export interface Workspace {
  /** `default` for the single workspace; otherwise the name given, or `ws-1`, `ws-2`, ... by position. */
  readonly name: string
  /** The token that picks it; `None` for a single workspace that accepts any token. */
  readonly token: Option.Option<Redacted.Redacted<string>>
  readonly state: State.Store
  readonly counters: Counters.Service
  readonly rateLimit: RateLimit.RateLimiter
  /** Finishes every export job still pending or in progress. */
  readonly completeExports: Effect.Effect<void>
  /** The engine of a living workspace; undefined when the workspace is not living. */
  readonly workspace: Living.Workspace | undefined
  /** The workspace clock in epoch milliseconds: Effect's `Clock` when the workspace is not living. */
  readonly now: Effect.Effect<number>
  /** Moves the workspace clock forward, applying the changes due on the way. */
  readonly advance: (duration: Duration.DurationInput) => Effect.Effect<Living.Advanced, Living.AdvanceError>
  /** Moves the workspace clock to `epochMillis`, applying the changes due on the way. */
  readonly advanceTo: (epochMillis: number) => Effect.Effect<Living.Advanced, Living.AdvanceError>
  /** The workspace as the API sends it, every conversation with all its parts (see `Snapshot`). */
  readonly snapshot: Effect.Effect<Snapshot.Snapshot>
}

/**
 * A running mock. Its own fields are those of its first workspace (the only one unless `workspaces` was given).
 *
 * @since 0.1.0
 * @category models
 */
export interface Service extends Workspace {
  /** The base URL to give the client, e.g. `http://127.0.0.1:49152`. */
  readonly url: string
  /** Every workspace, in the order of `Options.workspaces` (one, named `default`, without it). */
  readonly workspaces: ReadonlyArray<Workspace>
  /** The workspace of that name. */
  readonly byName: (name: string) => Option.Option<Workspace>
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

/** A workspace's options with the mock's filling in what it leaves out, checked. */
interface Resolved {
  readonly name: string
  readonly token: Option.Option<Redacted.Redacted<string>>
  readonly options: Options
  readonly living: Living.Config | undefined
}

const redacted = (token: string | Redacted.Redacted<string>) =>
  typeof token === "string" ? Redacted.make(token) : token

// An option a workspace leaves undefined takes the mock's, so a spread of partial options cannot erase a default.
const withDefaults = (defaults: Options, own: Options): Options => {
  const merged: Record<string, unknown> = { ...defaults }
  for (const [key, value] of Object.entries(own)) if (value !== undefined) merged[key] = value
  return merged as Options
}

const invalidWorkspaces = (message: string) => Either.left(new InvalidWorkspaces({ message }))

const checkWorkspaces = (
  options: Options,
  list: ReadonlyArray<WorkspaceOptions>
): Either.Either<ReadonlyArray<Omit<Resolved, "living">>, InvalidWorkspaces> => {
  if (list.length === 0) {
    return invalidWorkspaces("workspaces is empty: give at least one, or leave it out for one workspace")
  }
  if (options.accessToken !== undefined) {
    return invalidWorkspaces("accessToken and workspaces exclude each other: give each workspace its token")
  }
  const byToken = new Map<string, string>()
  const names = new Set<string>()
  const resolved: Array<Omit<Resolved, "living">> = []
  for (const [i, { name: given, token, ...own }] of list.entries()) {
    const name = given ?? `ws-${i + 1}`
    const value = Redacted.value(redacted(token))
    if (!/^\S+$/.test(value)) {
      return invalidWorkspaces(
        `workspace ${name}: its token is empty or holds a space, so no bearer header can carry it`
      )
    }
    const twin = byToken.get(value)
    if (twin !== undefined) return invalidWorkspaces(`workspaces ${twin} and ${name} have the same token`)
    if (names.has(name)) return invalidWorkspaces(`two workspaces are named ${name}`)
    byToken.set(value, name)
    names.add(name)
    resolved.push({ name, token: Option.some(redacted(token)), options: withDefaults(options, own) })
  }
  return Either.right(resolved)
}

/** Every workspace `options` describe, checked, with its living configuration. */
const resolve = (options: Options): Either.Either<ReadonlyArray<Resolved>, InvalidWorkspaces | Living.InvalidOptions> =>
  Either.gen(function* () {
    const workspaces =
      options.workspaces === undefined
        ? [
            {
              name: "default",
              token: Option.map(Option.fromNullable(options.accessToken), redacted),
              options
            }
          ]
        : yield* checkWorkspaces(options, options.workspaces)
    const resolved: Array<Resolved> = []
    for (const workspace of workspaces) {
      const living = workspace.options.living
      resolved.push({ ...workspace, living: living === undefined ? undefined : yield* Living.resolve(living) })
    }
    return resolved
  })

const buildWorkspace = ({ living, name, options, token }: Resolved) => {
  const seeded =
    options.data ??
    Seed.make({
      seed: options.seed ?? 1,
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
  const app = Server.make(state, counters, {
    accessToken: token,
    versions: options.versions ?? ["2.10"],
    rateLimit,
    faults: Faults.make(data.seed, options.faults),
    workspace
  })
  const handle: Workspace = {
    name,
    token,
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
    snapshot: Effect.sync(() => state.snapshot()).pipe(
      Effect.withSpan("MockIntercom.snapshot", { attributes: { workspace: name } })
    )
  }
  return { app, handle }
}

const build = (options: Options, resolved: ReadonlyArray<Resolved>) => {
  const built = resolved.map(buildWorkspace)
  const workspaces = built.map(({ handle }) => handle)
  const app =
    options.workspaces === undefined
      ? built[0]!.app
      : Server.byToken(built.map(({ app, handle }) => ({ token: Option.getOrThrow(handle.token), app })))
  const service: Omit<Service, "url"> = {
    ...workspaces[0]!,
    workspaces,
    byName: (name) => Option.fromNullable(workspaces.find((w) => w.name === name))
  }
  return { app, ...service }
}

/**
 * The workspaces `options` describe, their counters and the application serving them, without a server: for
 * embedding the mock in another `HttpServer`, or for tests that call the application directly. Options it cannot
 * run with throw `Living.InvalidOptions` or `InvalidWorkspaces` (`layer` fails with them instead).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options = {}) =>
  build(
    options,
    Either.getOrThrowWith(resolve(options), (invalid) => invalid)
  )

/**
 * The mock served by `HttpServer` on the address `options` name (127.0.0.1 and a free port by default), for the
 * life of the layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: Options = {}
): Layer.Layer<MockIntercom, ServeError | Living.InvalidOptions | InvalidWorkspaces> =>
  Layer.scoped(
    MockIntercom,
    Effect.gen(function* () {
      const { app, ...mock } = build(options, yield* resolve(options))
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
