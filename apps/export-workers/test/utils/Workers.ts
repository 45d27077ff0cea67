/**
 * Starts worker processes (src/main.ts, bundled) and collects, for each, its report, its exit code and everything
 * it logged.
 */
import { fork } from "node:child_process"
import { Effect } from "effect"
import { bundles } from "./procs/bundle.js"
import type { WorkerReport } from "../../src/main.js"

export interface WorkerRun {
  readonly worker: string
  readonly exitCode: number | null
  readonly report: WorkerReport | undefined
  /** stdout and stderr together, in arrival order. */
  readonly output: string
}

/** This process's environment without the settings a worker reads, so that only the test sets them. */
const inherited = () =>
  Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !name.startsWith("INTERCOM_") && !name.startsWith("EXPORT_") && name !== "REDIS_URL"
    )
  )

/** Runs one worker to its end; `env` comes on top of this process's environment. */
export const run = (worker: string, env: Record<string, string>): Effect.Effect<WorkerRun> =>
  Effect.flatMap(bundles, ({ worker: entry }) =>
    Effect.async<WorkerRun>((resume) => {
      const child = fork(entry, [], {
        execArgv: [],
        env: { ...inherited(), ...env, WORKER_ID: worker },
        stdio: ["ignore", "pipe", "pipe", "ipc"]
      })
      let output = ""
      let report: WorkerReport | undefined
      child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")))
      child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")))
      child.on("message", (message) => {
        report = message as WorkerReport
      })
      child.once("exit", (exitCode) => resume(Effect.succeed({ worker, exitCode, report, output })))
      return Effect.sync(() => child.kill("SIGKILL"))
    })
  )

/** Runs `count` workers side by side, named "1" to `count`. */
export const runAll = (count: number, env: Record<string, string>) =>
  Effect.forEach(
    Array.from({ length: count }, (_, i) => String(i + 1)),
    (worker) => run(worker, env),
    { concurrency: "unbounded" }
  )
