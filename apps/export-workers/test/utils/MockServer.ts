/**
 * The server the workers run against: @intercom-effect/mock-server, window-limited, in a process of its own (see
 * procs/mockServer.ts), and what it counted, window by window and worker by worker.
 */
import { fork } from "node:child_process"
import { Effect, type Scope } from "effect"
import { bundles } from "./procs/bundle.js"

export interface ServerOptions {
  /** Calls the server answers per window; the ones beyond get 429. */
  readonly limit: number
  /** A whole number of seconds, as X-RateLimit-Reset carries seconds. */
  readonly windowMillis: number
  /** Contacts in the workspace. */
  readonly contacts: number
  /** The only token the server accepts. */
  readonly accessToken: string
}

export interface WindowCount {
  /** The window's number since the epoch: windows start at multiples of the window. */
  readonly index: number
  readonly startMillis: number
  ok: number
  limited: number
  readonly byWorker: Record<string, { ok: number; limited: number }>
}

export interface Stats {
  readonly limit: number
  readonly windowMillis: number
  /** Every request the mock received, whatever its answer (its `counters.snapshot`). */
  readonly requests: number
  /** The mock's own count of responses by status code. */
  readonly responses: Readonly<Record<number, number>>
  /** The most requests the mock served in any one window. */
  readonly maxPerWindow: number
  readonly windows: ReadonlyArray<WindowCount>
}

export interface MockServer {
  readonly url: string
  /** What the server has answered so far, window by window in time order. */
  readonly stats: Effect.Effect<Stats>
}

/** Starts the server process for the scope of the test. */
export const start = (options: ServerOptions): Effect.Effect<MockServer, never, Scope.Scope> =>
  Effect.gen(function* () {
    const { mockServer } = yield* bundles
    const child = yield* Effect.acquireRelease(
      Effect.sync(() =>
        fork(mockServer, [JSON.stringify(options)], { execArgv: [], stdio: ["ignore", "inherit", "inherit", "ipc"] })
      ),
      (child) =>
        Effect.async<void>((resume) => {
          if (child.exitCode !== null || child.signalCode !== null) return resume(Effect.void)
          child.once("exit", () => resume(Effect.void))
          child.kill()
        })
    )
    const port = yield* Effect.async<number>((resume) => {
      child.once("message", (message) => resume(Effect.succeed((message as { port: number }).port)))
      child.once("exit", (code) => resume(Effect.dieMessage(`the mock server exited (code ${code}) before listening`)))
    })
    // One stats request at a time: answers come back in order over the one channel.
    const lock = yield* Effect.makeSemaphore(1)
    const stats = lock.withPermits(1)(
      Effect.async<Stats>((resume) => {
        child.once("message", (message) => {
          const stats = message as Stats
          resume(Effect.succeed({ ...stats, windows: [...stats.windows].sort((a, b) => a.index - b.index) }))
        })
        child.send("stats")
      })
    )
    return { url: `http://127.0.0.1:${port}`, stats }
  })

/** Windows in which the server answered nothing between the first and the last ones it saw, filled in as zeros. */
export const timeline = (stats: Stats): ReadonlyArray<WindowCount> => {
  const first = stats.windows[0]
  const last = stats.windows.at(-1)
  if (first === undefined || last === undefined) return []
  const byIndex = new Map(stats.windows.map((w) => [w.index, w]))
  return Array.from(
    { length: last.index - first.index + 1 },
    (_, k) =>
      byIndex.get(first.index + k) ?? {
        index: first.index + k,
        startMillis: (first.index + k) * stats.windowMillis,
        ok: 0,
        limited: 0,
        byWorker: {}
      }
  )
}

/**
 * The figures of a run as a table: per window, the calls of each worker (`ok` or `ok+429s`), the total and the
 * 429s, and a mark for each window a `phase` function names.
 */
export const table = (
  stats: Stats,
  workers: ReadonlyArray<string>,
  phase: (window: WindowCount) => string = () => ""
): string => {
  const windows = timeline(stats)
  const t0 = windows[0]?.startMillis ?? 0
  const cell = (count: { ok: number; limited: number } | undefined) =>
    count === undefined ? "-" : count.limited > 0 ? `${count.ok}+${count.limited}×429` : String(count.ok)
  const rows = [
    ["window", "from", ...workers.map((w) => `worker ${w}`), "total", "429s", ""],
    ...windows.map((w, i) => [
      `#${i + 1}`,
      `+${((w.startMillis - t0) / 1000).toFixed(0)} s`,
      ...workers.map((name) => cell(w.byWorker[name])),
      String(w.ok + w.limited),
      String(w.limited),
      phase(w)
    ])
  ]
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)))
  return rows.map((row) => row.map((text, c) => text.padStart(widths[c]!)).join("  ")).join("\n")
}
