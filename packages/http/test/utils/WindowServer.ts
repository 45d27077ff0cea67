/**
 * The server the shared-budget tests run against: one window-limited Intercom stand-in in a process of its own (see
 * procs/windowServer.ts), and what it counted. Tests use only `start`, `url` and `stats`, so another server with the
 * same counts (such as @intercom-effect/mock-server once it exists) can take its place here.
 */
import { fork } from "node:child_process"
import { Effect, type Scope } from "effect"

export interface ServerOptions {
  /** Calls the server answers per window; the ones beyond get 429. */
  readonly limit: number
  /** A whole number of seconds, as X-RateLimit-Reset carries seconds. */
  readonly windowMillis: number
  /** Contacts in the list. */
  readonly contacts: number
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
  readonly windows: ReadonlyArray<WindowCount>
}

export interface WindowServer {
  readonly url: string
  /** What the server has answered so far, window by window in time order. */
  readonly stats: Effect.Effect<Stats>
}

const entry = new URL("./procs/windowServer.ts", import.meta.url)

/** Starts the server process for the scope of the test. */
export const start = (options: ServerOptions): Effect.Effect<WindowServer, never, Scope.Scope> =>
  Effect.gen(function* () {
    const child = yield* Effect.acquireRelease(
      Effect.sync(() =>
        fork(entry, [JSON.stringify(options)], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] })
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
      child.once("exit", (code) => resume(Effect.dieMessage(`the window server exited (code ${code}) before listening`)))
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
