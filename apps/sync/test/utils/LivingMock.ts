/**
 * The living mock Intercom in a process of its own, and the test's hold on it: move its clock, read its snapshot
 * (the exact expected copy), read its counters. Control goes through the mock's `/__mock/` routes over plain fetch:
 * the test's own channel, apart from the SDK under test.
 */
import { Effect, type Scope } from "effect"
import { bundles, type Started, startScoped } from "./procs.js"

/** An item as the mock renders it (its wire JSON). */
export type Wire = { readonly id: string } & Record<string, unknown>

/** What the mock holds, exactly. */
export interface Snapshot {
  readonly now: number | null
  readonly contacts: ReadonlyArray<Wire>
  readonly companies: ReadonlyArray<Wire>
  readonly conversations: ReadonlyArray<Wire>
  readonly tickets: ReadonlyArray<Wire>
  readonly removed: {
    readonly contacts: ReadonlyArray<string>
    readonly companies: ReadonlyArray<string>
    readonly conversations: ReadonlyArray<string>
  }
  readonly merged: ReadonlyArray<{ readonly from: string; readonly into: string }>
}

/** One rate-limit window as the mock counted it. */
export interface Window {
  /** Its start, epoch ms. */
  readonly start: number
  readonly served: number
  readonly limited: number
}

/** The mock's counters, as far as the tests read them. */
export interface Counters {
  readonly requests: number
  readonly windows: ReadonlyArray<Window>
  readonly responses: Readonly<Record<string, number>>
  readonly faults: Readonly<Record<string, number>>
}

export interface LivingMock {
  readonly url: string
  readonly token: string
  /** Moves the workspace clock forward by `ms` (every change scheduled meanwhile is made); the new time. */
  readonly advance: (ms: number) => Effect.Effect<number>
  readonly now: Effect.Effect<number>
  readonly snapshot: Effect.Effect<Snapshot>
  readonly counters: Effect.Effect<Counters>
  readonly resetCounters: Effect.Effect<void>
}

export interface Options {
  /** The one token it accepts: `living-mock-token` unless set. */
  readonly token?: string
  readonly seed: number
  readonly contacts: number
  readonly companies: number
  readonly conversations: number
  readonly tickets: number
  /** The workspace clock's start, epoch ms. */
  readonly start: number
  readonly timezone?: string
  readonly searchLag?: string
  /** Changes per simulated hour, by kind (`contacts.updated`, ...). */
  readonly rates?: Readonly<Record<string, number>>
  /** Requests per rate-limit window, and the window. */
  readonly limit?: number
  readonly window?: string
  /** Fault rates per request: 5xx, resets, truncated bodies. */
  readonly faults?: { readonly serverError: number; readonly reset: number; readonly truncate: number }
  readonly longConversations?: number
  /** Parts each long conversation gains per simulated hour. */
  readonly longParts?: number
  /** No changes are scheduled after this time (epoch ms): the workspace goes quiet. */
  readonly quietAfter?: number
}

const call = <A>(url: string, token: string, init?: RequestInit): Effect.Effect<A> =>
  Effect.promise(async () => {
    const response = await fetch(url, {
      ...init,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }
    })
    if (!response.ok) throw new Error(`${init?.method ?? "GET"} ${url}: ${response.status} ${await response.text()}`)
    return response.status === 204 ? (undefined as A) : ((await response.json()) as A)
  })

/** The mock's command line for `options`, serving `token` (or, with `workspaces`, `token-1` to `token-N`). */
const argsOf = (options: Options, token: string, workspaces: number | undefined) => [
  ...(workspaces === undefined ? [] : [`--workspaces=${workspaces}`]),
  "--living",
  "--port=0",
  `--seed=${options.seed}`,
  `--contacts=${options.contacts}`,
  `--companies=${options.companies}`,
  `--conversations=${options.conversations}`,
  `--tickets=${options.tickets}`,
  `--start=${options.start}`,
  `--token=${token}`,
  `--limit=${options.limit ?? 100_000}`,
  `--window=${options.window ?? "10s"}`,
  ...(options.timezone === undefined ? [] : [`--timezone=${options.timezone}`]),
  ...(options.searchLag === undefined ? [] : [`--search-lag=${options.searchLag}`]),
  ...(options.longConversations === undefined ? [] : [`--long-conversations=${options.longConversations}`]),
  ...(options.longParts === undefined ? [] : [`--long-parts=${options.longParts}`]),
  ...(options.quietAfter === undefined ? [] : [`--quiet-after=${options.quietAfter}`]),
  ...(options.faults === undefined
    ? []
    : [
        `--fault-5xx=${options.faults.serverError}`,
        `--fault-reset=${options.faults.reset}`,
        `--fault-truncate=${options.faults.truncate}`
      ]),
  // Last: the parser reads every `kind=rate` after `--rate` as one of its values.
  ...Object.entries(options.rates ?? {}).flatMap(([kind, rate]) => ["--rate", `${kind}=${rate}`])
]

/** Starts the mock process for the scope, on a free port of 127.0.0.1; its URL once it listens. */
const listening = (args: ReadonlyArray<string>): Effect.Effect<string, never, Scope.Scope> =>
  Effect.gen(function* () {
    const { mock } = yield* bundles
    const started = yield* startScoped(mock, args)
    const url = yield* Effect.async<string>((resume) => {
      let seen = ""
      const onData = (chunk: Buffer) => {
        seen += chunk.toString()
        const match = /listening on (http:\/\/\S+)/.exec(seen)
        if (match !== null) {
          started.child.stdout!.off("data", onData)
          resume(Effect.succeed(match[1]!))
        }
      }
      started.child.stdout!.on("data", onData)
      started.child.once("exit", (code) =>
        resume(Effect.dieMessage(`intercom-mock exited (${code}) before listening: ${started.stderr()}`))
      )
    })
    return url
  })

/** The hold on the workspace of `token` in the mock at `url`: its control routes act on that workspace alone. */
const held = (url: string, token: string): LivingMock => {
  const control = (path: string) => `${url}/__mock/${path}`
  return {
    url,
    token,
    advance: (ms) =>
      Effect.map(
        call<{ now: number }>(control("advance"), token, {
          method: "POST",
          body: JSON.stringify({ ms: Math.round(ms) })
        }),
        (answer) => answer.now
      ),
    now: Effect.map(call<{ now: number }>(control("now"), token), (answer) => answer.now),
    snapshot: call<Snapshot>(control("snapshot"), token),
    counters: call<Counters>(control("counters"), token),
    resetCounters: Effect.asVoid(call<void>(control("counters/reset"), token, { method: "POST" }))
  }
}

/** Starts the mock for the scope, on a free port of 127.0.0.1. */
export const start = (options: Options): Effect.Effect<LivingMock, never, Scope.Scope> => {
  const token = options.token ?? "living-mock-token"
  return Effect.map(listening(argsOf(options, token, undefined)), (url) => held(url, token))
}

/**
 * Starts ONE mock process serving `count` workspaces, picked by the tokens `<token>-1` to `<token>-N`, workspace i
 * seeded with `seed + i - 1` (see the mock's `--workspaces`); each its own data, clock, limit and counters, held
 * through its token.
 */
export const startWorkspaces = (
  options: Options & { readonly token: string },
  count: number
): Effect.Effect<ReadonlyArray<LivingMock>, never, Scope.Scope> =>
  Effect.map(listening(argsOf(options, options.token, count)), (url) =>
    Array.from({ length: count }, (_, i) => held(url, `${options.token}-${i + 1}`))
  )

/**
 * Sends `signal` to a started process once the mock has answered `requests` requests more than `before` (its
 * counter when the process started): a moment inside the run counted in its progress, not in milliseconds, so it
 * falls mid-run however fast or loaded the machine is. How the process ended.
 */
export const stopAfter = (
  mock: LivingMock,
  started: Started,
  before: number,
  requests: number,
  signal: NodeJS.Signals
) =>
  Effect.gen(function* () {
    while (started.child.exitCode === null && (yield* mock.counters).requests < before + requests) {
      yield* Effect.sleep("10 millis")
    }
    started.child.kill(signal)
    return yield* started.ended
  })
