/**
 * A real redis-server (the Debian package, on PATH; `.ci/run` installs it) for the tests of the shared budget, in
 * packages/http and apps/export-workers: started as a child process on 127.0.0.1 on a free port, without persistence,
 * and stopped with the test's scope. It can be killed and started again on the same port mid-test, as an outage
 * would.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { Effect, type Scope } from "effect"
import { freePort } from "./Ports.js"

export interface RedisServer {
  readonly port: number
  readonly url: string
  /** Kills the server (SIGKILL, as a crash would) and waits for it to exit. */
  readonly kill: Effect.Effect<void>
  /** Starts it again on the same port, empty, and waits until it accepts connections. */
  readonly start: Effect.Effect<void>
}

export interface Options {
  /** A port of the caller's choosing (from `freePort`); a free one unless given. */
  readonly port?: number
  /** Makes the server require this password. */
  readonly password?: string
}

const launch = (port: number, options: Options): Effect.Effect<ChildProcess> =>
  Effect.async<ChildProcess>((resume) => {
    const child = spawn(
      "redis-server",
      [
        ...["--bind", "127.0.0.1", "--port", String(port), "--save", "", "--appendonly", "no", "--daemonize", "no"],
        ...(options.password === undefined ? [] : ["--requirepass", options.password])
      ],
      { stdio: ["ignore", "pipe", "pipe"] }
    )
    let output = ""
    const onData = (chunk: Buffer) => {
      output += chunk.toString("utf8")
      if (output.includes("Ready to accept connections")) {
        child.stdout?.off("data", onData)
        // Keep draining, so a chatty server never blocks on a full pipe.
        child.stdout?.resume()
        resume(Effect.succeed(child))
      }
    }
    child.stdout?.on("data", onData)
    child.stderr?.resume()
    child.once("error", (error) =>
      resume(Effect.dieMessage(`redis-server could not be started (is it installed? .ci/run installs it): ${error}`))
    )
    child.once("exit", (code) =>
      resume(Effect.dieMessage(`redis-server exited (code ${code}) before it was ready:\n${output}`))
    )
  }).pipe(
    Effect.timeoutFail({ duration: "10 seconds", onTimeout: () => "redis-server did not get ready" }),
    Effect.orDie
  )

const stop = (child: ChildProcess, signal: NodeJS.Signals) =>
  Effect.async<void>((resume) => {
    if (child.exitCode !== null || child.signalCode !== null) return resume(Effect.void)
    child.once("exit", () => resume(Effect.void))
    child.kill(signal)
  })

/** Starts redis-server for the scope of the test. */
export const make = (options: Options = {}): Effect.Effect<RedisServer, never, Scope.Scope> =>
  Effect.gen(function* () {
    const port = options.port ?? (yield* freePort)
    let child = yield* launch(port, options)
    yield* Effect.addFinalizer(() => stop(child, "SIGTERM"))
    return {
      port,
      url: `redis://127.0.0.1:${port}`,
      kill: Effect.suspend(() => stop(child, "SIGKILL")),
      start: Effect.suspend(() => launch(port, options)).pipe(
        Effect.map((started) => {
          child = started
        })
      )
    }
  })
