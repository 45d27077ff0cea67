/**
 * A real redis-server (the Debian package, on PATH; `.ci/run` installs it) for the tests of the shared budget, in
 * packages/http and apps/sync: started as a child process on 127.0.0.1 on a free port, without persistence,
 * and stopped with the test's scope. It can be killed and started again on the same port mid-test, as an outage
 * would.
 */
import type { ChildProcess } from "node:child_process"
import { Effect, type Scope } from "effect"
import * as Daemon from "./Daemon.js"
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
  Daemon.launch({
    name: "redis-server",
    command: "redis-server",
    args: [
      ...["--bind", "127.0.0.1", "--port", String(port), "--save", "", "--appendonly", "no", "--daemonize", "no"],
      ...(options.password === undefined ? [] : ["--requirepass", options.password])
    ],
    ready: "Ready to accept connections",
    stream: "stdout",
    timeout: "10 seconds",
    hint: "is it installed? .ci/run installs it"
  })

/** Starts redis-server for the scope of the test. */
export const make = (options: Options = {}): Effect.Effect<RedisServer, never, Scope.Scope> =>
  Effect.gen(function* () {
    const port = options.port ?? (yield* freePort)
    let child = yield* launch(port, options)
    yield* Effect.addFinalizer(() => Daemon.stop(child, "SIGTERM"))
    return {
      port,
      url: `redis://127.0.0.1:${port}`,
      kill: Effect.suspend(() => Daemon.stop(child, "SIGKILL")),
      start: Effect.suspend(() => launch(port, options)).pipe(
        Effect.map((started) => {
          child = started
        })
      )
    }
  })
