/**
 * Test helpers: the mock Intercom with the test token, the export's services pointed at it, temporary directories.
 */
import { spawn } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { NodeHttpClient } from "@effect/platform-node"
import { IntercomConfig } from "@intercom-effect/http"
import { MockIntercom } from "@intercom-effect/mock-server"
import { Intercom } from "@intercom-effect/services"
import { Effect, Layer, type Scope } from "effect"
import { fileURLToPath } from "node:url"
import { Export, type Store } from "../src/index.js"
import secret from "./secret.json" with { type: "json" }

/** A token for tests; the root test command fails if it ever shows in the output. */
export const token: string = secret.token

/** The mock with the test token, on a free port. */
export const mock = (options: MockIntercom.Options = {}) =>
  MockIntercom.layer({ seed: 7, accessToken: token, ...options }).pipe(Layer.orDie)

/** The services against `baseUrl`, configured with `config` on top of the test token. */
export const services = (baseUrl: string, config: Partial<IntercomConfig.Options> = {}) =>
  Intercom.layer.pipe(
    Layer.provide(Layer.orDie(IntercomConfig.layer({ accessToken: token, baseUrl, ...config }))),
    Layer.provide(NodeHttpClient.layerUndici)
  )

/** The services against `baseUrl`, a store, and a progress reporter (silent unless given). */
export const exportLayer = <E>(
  baseUrl: string,
  store: Layer.Layer<Store.Store, E>,
  options: {
    readonly config?: Partial<IntercomConfig.Options>
    readonly reporter?: Layer.Layer<Export.Reporter>
  } = {}
) => Layer.mergeAll(services(baseUrl, options.config), Layer.orDie(store), options.reporter ?? Export.Reporter.silent)

/** A fresh temporary directory. */
export const tempDir = (name: string): string => fs.mkdtempSync(path.join(os.tmpdir(), `intercom-export-${name}-`))

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
