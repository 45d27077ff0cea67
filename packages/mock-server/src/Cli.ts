/**
 * The `intercom-mock` command: serves a seeded mock Intercom until stopped.
 *
 * ```sh
 * intercom-mock --port 4711 --seed 42 --contacts 20000 --companies 500 --conversations 5000 \
 *   --limit 166 --window 10s --fault-5xx 0.05 --fault-429 0.01 --latency 5ms..40ms
 * ```
 *
 * The token to accept comes from `--token` or `INTERCOM_MOCK_TOKEN`; without either, any bearer token is accepted.
 * The token is never printed.
 *
 * `--living` makes the workspace living (see `Living`): its clock starts at `--start` and moves only through
 * `POST /__mock/advance`, changes happen at the `--rate`s, search lags by `--search-lag` and compares dates by the
 * days of `--timezone`. The first line printed is always `intercom-mock listening on <url>`; a failure is one line
 * on stderr and exit code 1.
 *
 * @since 0.1.0
 */
import { Command, HelpDoc, Options, ValidationError } from "@effect/cli"
import type * as NodeContext from "@effect/platform-node/NodeContext"
import { Cause, Config, Console, Duration, Effect, HashMap, Layer, Option, Predicate, Redacted } from "effect"
import * as Living from "./Living.js"
import * as MockIntercom from "./MockIntercom.js"

/**
 * Reads a duration written `500ms`, `10s`, `2m`, or as Effect writes it (`10 seconds`).
 *
 * @since 0.1.0
 * @category parsing
 */
export const parseDuration = (text: string): Option.Option<Duration.Duration> => {
  const short = /^(\d+(?:\.\d+)?)\s*(ms|s|m)$/.exec(text.trim())
  if (short !== null) {
    const n = Number(short[1])
    return Option.some(
      short[2] === "ms" ? Duration.millis(n) : short[2] === "s" ? Duration.seconds(n) : Duration.minutes(n)
    )
  }
  return Duration.decodeUnknown(text.trim())
}

const invalid = (name: string, problem: string) => ValidationError.invalidValue(HelpDoc.p(`--${name}: ${problem}`))

const duration = (name: string): Options.Options<Duration.Duration> =>
  Options.text(name).pipe(
    Options.mapEffect((text) =>
      Option.match(parseDuration(text), {
        onNone: () => Effect.fail(invalid(name, `"${text}" is not a duration (e.g. 500ms, 10s)`)),
        onSome: Effect.succeed
      })
    )
  )

const latencyOf = (text: string) => {
  const [min = "", max = min] = text.split("..")
  const lo = parseDuration(min)
  const hi = parseDuration(max)
  return Option.isSome(lo) && Option.isSome(hi)
    ? Effect.succeed({ min: lo.value, max: hi.value })
    : Effect.fail(invalid("latency", `"${text}" is not a duration or a range of two (e.g. 50ms, 20ms..80ms)`))
}

const rate = (name: string, what: string) =>
  Options.float(name).pipe(Options.withDefault(0), Options.withDescription(`probability per request of ${what}`))

const options = {
  port: Options.integer("port").pipe(Options.withDefault(4711), Options.withDescription("0 picks a free port")),
  host: Options.text("host").pipe(Options.withDefault("127.0.0.1")),
  seed: Options.text("seed").pipe(Options.withDefault("1"), Options.withDescription("the same seed, the same data")),
  contacts: Options.integer("contacts").pipe(Options.withDefault(100)),
  companies: Options.integer("companies").pipe(Options.withDefault(10)),
  conversations: Options.integer("conversations").pipe(Options.withDefault(50)),
  token: Options.redacted("token").pipe(
    Options.withFallbackConfig(Config.redacted("INTERCOM_MOCK_TOKEN")),
    Options.optional,
    Options.withDescription("the only bearer token accepted (default: any)")
  ),
  limit: Options.integer("limit").pipe(Options.withDefault(1666), Options.withDescription("requests per window")),
  window: duration("window").pipe(Options.withDefault(Duration.seconds(10))),
  fault5xx: rate("fault-5xx", "a 500, 502 or 503"),
  fault429: rate("fault-429", "a burst of 429s"),
  burst: Options.integer("burst").pipe(Options.withDefault(3), Options.withDescription("429s per burst")),
  faultReset: rate("fault-reset", "a connection reset mid-body"),
  faultTruncate: rate("fault-truncate", "a truncated JSON body"),
  latency: Options.text("latency").pipe(
    Options.mapEffect(latencyOf),
    Options.optional,
    Options.withDescription("added latency: 50ms, or a range 20ms..80ms")
  ),
  exportPending: duration("export-pending").pipe(Options.withDefault(Duration.seconds(1))),
  exportRunning: duration("export-running").pipe(Options.withDefault(Duration.seconds(2))),
  tickets: Options.integer("tickets").pipe(Options.withDefault(0), Options.withDescription("seeded tickets")),
  living: Options.boolean("living").pipe(
    Options.withDescription("a workspace that changes as its clock moves (POST /__mock/advance)")
  ),
  start: Options.text("start").pipe(
    Options.optional,
    Options.withDescription("living: the clock's start, ISO 8601 or epoch ms (default 2024-06-01T00:00:00Z)")
  ),
  rate: Options.keyValueMap("rate").pipe(
    Options.optional,
    Options.withDescription(
      `living: changes per simulated hour, e.g. --rate contacts.updated=30 (${Living.changeKinds.join(", ")})`
    )
  ),
  searchLag: duration("search-lag").pipe(
    Options.optional,
    Options.withDescription("living: how long a new record stays out of search (default 3m)")
  ),
  timezone: Options.text("timezone").pipe(
    Options.optional,
    Options.withDescription("living: the workspace's IANA timezone, for searches by day (default UTC)")
  ),
  longConversations: Options.integer("long-conversations").pipe(
    Options.optional,
    Options.withDescription("living: conversations that grow past 500 parts (default 2)")
  ),
  longParts: Options.integer("long-parts").pipe(
    Options.optional,
    Options.withDescription("living: parts a long conversation gains per simulated hour (default 60, at most 100)")
  ),
  quietAfter: Options.text("quiet-after").pipe(
    Options.optional,
    Options.withDescription("living: no changes after this time, ISO 8601 or epoch ms (default: never quiet)")
  ),
  workspaces: Options.integer("workspaces").pipe(
    Options.optional,
    Options.withDescription(
      "serve N workspaces ws-1..ws-N, each with its own data, clock, rate limit and counters, picked by the bearer " +
        "token ws-1..ws-N (<token>-1..<token>-N with --token)"
    )
  )
}

type Parsed = {
  readonly [K in keyof typeof options]: (typeof options)[K] extends Options.Options<infer A> ? A : never
}

const timeOf = (flag: string) => (text: string) => {
  const millis = /^\d+$/.test(text.trim()) ? Number(text) : Date.parse(text)
  return Number.isFinite(millis)
    ? Effect.succeed(millis)
    : Effect.fail(invalid(flag, `"${text}" is not an ISO 8601 time or epoch milliseconds`))
}

const ratesOf = (map: HashMap.HashMap<string, string>) =>
  Effect.forEach(HashMap.toEntries(map), ([kind, text]) => {
    const rate = Number(text)
    return text.trim() !== "" && Number.isFinite(rate)
      ? Effect.succeed([kind, rate] as const)
      : Effect.fail(invalid("rate", `${kind}: "${text}" is not a number of changes per hour`))
  }).pipe(Effect.map((entries) => Object.fromEntries(entries) as Partial<Record<Living.ChangeKind, number>>))

const livingOf = (parsed: Parsed): Effect.Effect<Living.Options | undefined, ValidationError.ValidationError> => {
  if (!parsed.living) {
    const given: ReadonlyArray<readonly [string, Option.Option<unknown>]> = [
      ["--start", parsed.start],
      ["--rate", parsed.rate],
      ["--search-lag", parsed.searchLag],
      ["--timezone", parsed.timezone],
      ["--long-conversations", parsed.longConversations],
      ["--long-parts", parsed.longParts],
      ["--quiet-after", parsed.quietAfter]
    ]
    const stray = given.find(([, value]) => Option.isSome(value))
    return stray === undefined
      ? Effect.succeed(undefined)
      : Effect.fail(
          ValidationError.invalidValue(HelpDoc.p(`${stray[0]} applies to a living workspace only: add --living`))
        )
  }
  return Effect.all({
    start: Option.match(parsed.start, { onNone: () => Effect.succeed(undefined), onSome: timeOf("start") }),
    quietAfter: Option.match(parsed.quietAfter, {
      onNone: () => Effect.succeed(undefined),
      onSome: timeOf("quiet-after")
    }),
    rates: Option.match(parsed.rate, { onNone: () => Effect.succeed(undefined), onSome: ratesOf })
  }).pipe(
    Effect.map(({ quietAfter, rates, start }) => ({
      start,
      quietAfter,
      rates,
      searchLag: Option.getOrUndefined(parsed.searchLag),
      timezone: Option.getOrUndefined(parsed.timezone),
      longConversations: {
        count: Option.getOrUndefined(parsed.longConversations),
        partsPerHour: Option.getOrUndefined(parsed.longParts)
      }
    }))
  )
}

/** The most workspaces one process serves: each holds a whole seeded workspace in memory. */
const maxWorkspaces = 1000

// Workspace i of N: seed `seed + i - 1` (or `seed-i`), so that ws-1 holds the workspace a single mock would and the
// others hold different ids (a client mixing two workspaces up shows in its data).
const workspacesOf = (
  parsed: Parsed
): Effect.Effect<ReadonlyArray<MockIntercom.WorkspaceOptions> | undefined, ValidationError.ValidationError> =>
  Option.match(parsed.workspaces, {
    onNone: () => Effect.succeed(undefined),
    onSome: (n) =>
      n < 1 || n > maxWorkspaces
        ? Effect.fail(invalid("workspaces", `${n} is not a number of workspaces from 1 to ${maxWorkspaces}`))
        : Effect.succeed(
            Array.from({ length: n }, (_, k) => {
              const name = `ws-${k + 1}`
              return {
                name,
                token: Option.match(parsed.token, {
                  onNone: () => Redacted.make(name),
                  onSome: (token) => Redacted.make(`${Redacted.value(token)}-${k + 1}`)
                }),
                seed: seedOf(parsed.seed, k)
              }
            })
          )
  })

const seedOf = (text: string, index = 0): number | string =>
  /^-?\d+$/.test(text) ? Number(text) + index : index === 0 ? text : `${text}-${index + 1}`

/**
 * The mock's options from the command line.
 *
 * @since 0.1.0
 * @category constructors
 */
export const toOptions = (parsed: Parsed): Effect.Effect<MockIntercom.Options, ValidationError.ValidationError> =>
  Effect.all([livingOf(parsed), workspacesOf(parsed)]).pipe(
    Effect.map(([living, workspaces]) => ({
      port: parsed.port,
      host: parsed.host,
      seed: seedOf(parsed.seed),
      contacts: parsed.contacts,
      companies: parsed.companies,
      conversations: parsed.conversations,
      tickets: parsed.tickets,
      // With workspaces, the token is the stem of theirs.
      accessToken: workspaces === undefined ? Option.getOrUndefined(parsed.token) : undefined,
      workspaces,
      rateLimit: { limit: parsed.limit, window: parsed.window },
      faults: {
        serverError: parsed.fault5xx,
        rateLimited: parsed.fault429,
        burstLength: parsed.burst,
        reset: parsed.faultReset,
        truncate: parsed.faultTruncate,
        latency: Option.getOrUndefined(parsed.latency)
      },
      exports: { pending: parsed.exportPending, running: parsed.exportRunning },
      living
    }))
  )

// What one workspace holds, in a line, and its clock when it lives: never its token.
const describeWorkspace = (workspace: MockIntercom.Workspace, label: string) => {
  const { state } = workspace
  const living = workspace.workspace
  return [
    `  ${label}: ${state.contacts.size} contacts, ${state.companies.size} companies, ${state.conversations.size} conversations, ${state.tickets.size} tickets`,
    ...(living === undefined
      ? []
      : [
          `  living: clock at ${new Date(living.now).toISOString()}, timezone ${living.config.timezone}, search lag ${Duration.format(living.config.searchLag)}`
        ])
  ]
}

/**
 * The `intercom-mock` command.
 *
 * @since 0.1.0
 * @category commands
 */
export const command = Command.make("intercom-mock", options, (parsed) =>
  Effect.gen(function* () {
    const mockOptions = yield* toOptions(parsed)
    yield* Layer.launch(
      Layer.effectDiscard(
        Effect.gen(function* () {
          const mock = yield* MockIntercom.MockIntercom
          yield* Console.log(
            [
              `intercom-mock listening on ${mock.url}`,
              ...(mockOptions.workspaces === undefined
                ? describeWorkspace(mock, `seed ${parsed.seed}`)
                : mock.workspaces.flatMap((workspace, i) =>
                    describeWorkspace(workspace, `${workspace.name} (seed ${mockOptions.workspaces?.[i]?.seed})`)
                  )),
              `  rate limit ${parsed.limit} per ${Duration.format(parsed.window)}${mockOptions.workspaces === undefined ? "" : " in each workspace"}`,
              `  token: ${
                mockOptions.workspaces !== undefined
                  ? Option.isSome(parsed.token)
                    ? "the configured one, suffixed -1, -2, ... by workspace"
                    : "the workspace's name"
                  : Option.isSome(parsed.token)
                    ? "the configured one"
                    : "any bearer token"
              }`,
              ...(mock.workspace === undefined ? [] : [`  control routes under ${mock.url}/__mock/`])
            ].join("\n")
          )
        })
      ).pipe(Layer.provide(MockIntercom.layer(mockOptions)))
    )
  })
).pipe(Command.withDescription("A stateful mock of the Intercom REST API 2.10"))

/**
 * Runs the command on `argv` (with the node and script paths first, as `process.argv`).
 *
 * @since 0.1.0
 * @category commands
 */
export const run = Command.run(command, { name: "intercom-mock", version: "0.1.0" })

// The styles @effect/cli's help text carries; a one-line message goes without them.
// eslint-disable-next-line no-control-regex
const ansiStyle = /\x1b\[[0-9;]*m/g

/** The innermost message of an error and its causes: "listen EADDRINUSE ..." rather than "An error has occurred". */
const innermost = (error: unknown): string => {
  let current = error
  while (Predicate.hasProperty(current, "cause") && Predicate.hasProperty(current.cause, "message"))
    current = current.cause
  return Predicate.hasProperty(current, "message") ? String(current.message) : String(current)
}

/**
 * What a failed run says, as one line, and its exit code: 2 for a command line @effect/cli refused, 1 otherwise.
 *
 * @since 0.2.0
 * @category commands
 */
export const describeFailure = (cause: Cause.Cause<unknown>): { readonly line: string; readonly exitCode: number } => {
  const failure = Cause.failureOption(cause)
  if (Option.isNone(failure)) {
    const defect = Option.getOrUndefined(Cause.dieOption(cause))
    return { line: `unexpected error: ${innermost(defect)}`, exitCode: 1 }
  }
  const error = failure.value
  if (ValidationError.isValidationError(error)) {
    const text = "error" in error ? HelpDoc.toAnsiText(error.error) : "the command line is incomplete"
    const plain = text.replace(ansiStyle, "").replace(/\s+/g, " ").trim()
    return { line: `${plain} (see intercom-mock --help)`, exitCode: 2 }
  }
  const message = innermost(error)
  const inUse = /EADDRINUSE/.test(message)
  return {
    line: inUse ? `${message}: pick another --port (0 picks a free one)` : message.replace(/\s+/g, " "),
    exitCode: 1
  }
}

/**
 * Runs the command on `argv` (as {@link run}) as a program: a failure is one line on stderr and a non-zero exit
 * code, without a stack trace.
 *
 * @since 0.2.0
 * @category commands
 */
export const main = (argv: ReadonlyArray<string>): Effect.Effect<void, never, NodeContext.NodeContext> =>
  Effect.flatMap(Effect.console, (console) =>
    run(argv).pipe(
      // Written directly: the console's error channel is silenced just below.
      Effect.onInterrupt(() =>
        Effect.sync(() => process.stderr.write("intercom-mock: interrupted, no longer serving\n"))
      ),
      // @effect/cli writes the problem of a refused command line to stderr, on several lines: told here instead.
      Effect.withConsole({ ...console, error: () => Effect.void }),
      Effect.catchAllCause((cause) =>
        Effect.sync(() => {
          const { line, exitCode } = describeFailure(cause)
          process.stderr.write(`intercom-mock: ${line}\n`)
          process.exitCode = exitCode
        })
      )
    )
  )
