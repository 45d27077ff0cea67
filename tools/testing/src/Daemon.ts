/**
 * A server program as a test's child process: started, waited for until it says it is ready, and stopped. What the
 * Redis and PostgreSQL helpers share.
 */
import { type ChildProcess, spawn, type SpawnOptions } from "node:child_process"
import { type Duration, Effect } from "effect"

/** How to start a server and how to know it is ready. */
export interface Launch {
  /** The program's name, for messages. */
  readonly name: string
  readonly command: string
  readonly args: ReadonlyArray<string>
  readonly options?: Omit<SpawnOptions, "stdio"> | undefined
  /** Text the server writes once it accepts connections. */
  readonly ready: string
  /** The stream it writes `ready` to. */
  readonly stream: "stdout" | "stderr"
  readonly timeout: Duration.DurationInput
  /** What to say when the program cannot be started at all (e.g. how to install it). */
  readonly hint?: string | undefined
}

/** Starts the server and waits until it says it is ready; a server that exits first, or never gets ready, is a defect. */
export const launch = (launch: Launch): Effect.Effect<ChildProcess> =>
  Effect.async<ChildProcess>((resume) => {
    const child = spawn(launch.command, [...launch.args], { ...launch.options, stdio: ["ignore", "pipe", "pipe"] })
    const watched = launch.stream === "stdout" ? child.stdout : child.stderr
    const other = launch.stream === "stdout" ? child.stderr : child.stdout
    let output = ""
    const onData = (chunk: Buffer) => {
      output += chunk.toString("utf8")
      if (output.includes(launch.ready)) {
        watched?.off("data", onData)
        // Keep draining, so a chatty server never blocks on a full pipe.
        watched?.resume()
        resume(Effect.succeed(child))
      }
    }
    watched?.on("data", onData)
    other?.resume()
    child.once("error", (error) =>
      resume(
        Effect.dieMessage(
          `${launch.name} could not be started${launch.hint === undefined ? "" : ` (${launch.hint})`}: ${error}`
        )
      )
    )
    child.once("exit", (code) =>
      resume(Effect.dieMessage(`${launch.name} exited (code ${code}) before it was ready:\n${output}`))
    )
  }).pipe(
    Effect.timeoutFail({ duration: launch.timeout, onTimeout: () => `${launch.name} did not get ready` }),
    Effect.orDie
  )

/** Sends `signal` and waits for the process to exit (at once if it has already). */
export const stop = (child: ChildProcess, signal: NodeJS.Signals): Effect.Effect<void> =>
  Effect.async<void>((resume) => {
    if (child.exitCode !== null || child.signalCode !== null) return resume(Effect.void)
    child.once("exit", () => resume(Effect.void))
    child.kill(signal)
  })
