/**
 * Test helpers: the export's harness (the mock Intercom with the test token, the services pointed at it, temporary
 * directories), shared with the engine's tests in `@intercom-effect/sync`, and the command run as a child process.
 */
import { spawn } from "node:child_process"
import { fileURLToPath } from "node:url"
import { Effect, type Scope } from "effect"
import { token } from "@intercom-effect/sync/harness/Export"

export { intercom as services, mock, tempDir, token } from "@intercom-effect/sync/harness/Export"

/** How a run of the CLI ended, and everything it printed (stdout and stderr apart). */
export interface CliRun {
  readonly code: number | null
  readonly signal: string | null
  readonly stdout: string
  readonly stderr: string
}

const bin = fileURLToPath(new URL("../bin/intercom-export.mjs", import.meta.url))

/**
 * Runs `intercom-export` (its bin, as a user does) as a child process against `baseUrl` with the test token, or the
 * environment given. With `stop`, its `when` is polled and once true the process gets `signal`.
 */
export const runCli = (
  baseUrl: string,
  args: ReadonlyArray<string>,
  options: {
    readonly stop?: { readonly when: Effect.Effect<boolean>; readonly signal: NodeJS.Signals }
    readonly env?: Record<string, string>
  } = {}
): Effect.Effect<CliRun, never, Scope.Scope> =>
  Effect.gen(function* () {
    const child = spawn(process.execPath, [bin, ...args], {
      env: { ...process.env, INTERCOM_ACCESS_TOKEN: token, INTERCOM_BASE_URL: baseUrl, ...options.env },
      stdio: ["ignore", "pipe", "pipe"]
    })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")))
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")))
    const exited = Effect.async<{ code: number | null; signal: string | null }>((resume) => {
      if (child.exitCode !== null || child.signalCode !== null) {
        return resume(Effect.succeed({ code: child.exitCode, signal: child.signalCode }))
      }
      child.on("close", (code, signal) => resume(Effect.succeed({ code, signal })))
    })
    yield* Effect.addFinalizer(() => Effect.sync(() => child.kill("SIGKILL")))
    const stop = options.stop
    if (stop !== undefined) {
      let sent = false
      const watch = Effect.repeat(
        Effect.flatMap(stop.when, (now) =>
          now && !sent ? Effect.sync(() => (sent = child.kill(stop.signal))) : Effect.void
        ).pipe(Effect.zipRight(Effect.sleep("50 millis"))),
        { while: () => child.exitCode === null && child.signalCode === null && !sent }
      )
      yield* Effect.forkScoped(watch)
    }
    const { code, signal } = yield* exited
    return { code, signal, stdout, stderr }
  })
