/**
 * The processes of the sync tests: the living mock Intercom (`intercom-mock --living`) and `intercom-sync` runs, each
 * bundled once (see @intercom-effect/testing's Bundle) and started with plain `node`.
 */
import { bundle } from "@intercom-effect/testing/Bundle"
import { Effect, type Scope } from "effect"
import { type ChildProcess, spawn } from "node:child_process"

/** The bundled entries: the mock's command and the sync's. */
export const bundles = bundle("sync-tests", new URL("../../", import.meta.url), {
  mock: "../../packages/mock-server/src/bin.ts",
  sync: "src/main.ts"
})

/** How a process ended, with what it wrote. */
export interface Ended {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
}

/** A started process: its handle, and its end. */
export interface Started {
  readonly child: ChildProcess
  readonly ended: Effect.Effect<Ended>
  readonly stderr: () => string
}

/** Starts `node <entry> ...args`, collecting its output. */
export const start = (entry: string, args: ReadonlyArray<string>, env: Record<string, string> = {}): Started => {
  const child = spawn(process.execPath, [entry, ...args], {
    env: { ...process.env, ...env, FORCE_COLOR: "0" },
    stdio: ["ignore", "pipe", "pipe"]
  })
  let stdout = ""
  let stderr = ""
  child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()))
  const exited = new Promise<Ended>((resolve) =>
    child.once("close", (code, signal) => resolve({ code, signal, stdout, stderr }))
  )
  return { child, ended: Effect.promise(() => exited), stderr: () => stderr }
}

/** Starts a process for the life of the scope (killed when the scope closes). */
export const startScoped = (
  entry: string,
  args: ReadonlyArray<string>,
  env?: Record<string, string>
): Effect.Effect<Started, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.sync(() => start(entry, args, env)),
    (started) =>
      started.child.exitCode !== null || started.child.signalCode !== null
        ? Effect.void
        : Effect.zipRight(
            Effect.sync(() => started.child.kill("SIGKILL")),
            Effect.asVoid(started.ended)
          )
  )
