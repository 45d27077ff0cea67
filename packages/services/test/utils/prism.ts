/**
 * Prism (@stoplight/prism-cli, pinned in this package's devDependencies) serving the 2.10 file, started for a test
 * on 127.0.0.1 and stopped after it. Prism refuses the raw file (its dangling `custom_attributes` reference), so it
 * gets a copy in a temporary directory with the generator's documented overrides applied: the same contract the SDK
 * is generated from. Its log is kept, so a test can count the requests it found invalid.
 */
import { type ChildProcess, spawn } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { applyOverrides, overrides } from "@intercom-effect/codegen/overrides"
import { loadSpec, type Spec } from "@intercom-effect/codegen/spec"
import { specPath } from "@intercom-effect/codegen/testing"
import { freePort } from "@intercom-effect/testing/Ports"
import { Effect, type Scope } from "effect"

/** A running Prism. */
export interface Prism {
  readonly url: string
  /** Everything Prism printed so far. */
  readonly log: () => string
}

const bin = fileURLToPath(new URL("../../node_modules/.bin/prism", import.meta.url))

/** Waits until Prism answers (any status): it takes a second or two to load the file. */
const ready = async (url: string, child: ChildProcess, deadline: number): Promise<void> => {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`prism exited with ${child.exitCode}`)
    try {
      // With the headers Prism requires, so that waiting for it leaves no refusal in its log.
      await fetch(`${url}/me`, {
        headers: { authorization: "Bearer ready-check", "intercom-version": "2.10" },
        signal: AbortSignal.timeout(1000)
      })
      return
    } catch {
      if (Date.now() > deadline) throw new Error("prism did not start within 60 s")
      await new Promise((r) => setTimeout(r, 200))
    }
  }
}

/**
 * GET /events takes its `filter` as an exploded object that is one of three single-key objects (`?user_id=...`).
 * Prism cannot read an exploded `oneOf` back (it reports every alternative missing), so its copy states the same
 * parameter as one object of those three optional keys, which Prism does read; the request on the wire is the same.
 */
const forPrism = (spec: Spec): Spec => {
  const operation = spec.paths["/events"]?.["get"]
  const parameters = Array.isArray(operation?.["parameters"])
    ? (operation["parameters"] as Array<Record<string, unknown>>)
    : []
  for (const parameter of parameters) {
    if (parameter["name"] !== "filter") continue
    parameter["schema"] = {
      type: "object",
      minProperties: 1,
      maxProperties: 1,
      properties: { user_id: { type: "string" }, intercom_user_id: { type: "string" }, email: { type: "string" } }
    }
  }
  return spec
}

/** Starts Prism for the scope. */
export const start: Effect.Effect<Prism, Error, Scope.Scope> = Effect.acquireRelease(
  Effect.tryPromise({
    try: async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "prism-"))
      const file = path.join(dir, "api.intercom.io.json")
      fs.writeFileSync(file, JSON.stringify(forPrism(applyOverrides(loadSpec(specPath), overrides))))
      const port = await Effect.runPromise(freePort)
      const child = spawn(bin, ["mock", "--host", "127.0.0.1", "--port", String(port), file], {
        stdio: ["ignore", "pipe", "pipe"]
      })
      let log = ""
      child.stdout?.on("data", (chunk: Buffer) => (log += chunk.toString("utf8")))
      child.stderr?.on("data", (chunk: Buffer) => (log += chunk.toString("utf8")))
      const url = `http://127.0.0.1:${port}`
      try {
        await ready(url, child, Date.now() + 60_000)
      } catch (error) {
        child.kill("SIGKILL")
        throw new Error(`${error instanceof Error ? error.message : String(error)}\n${log}`)
      }
      return { child, dir, prism: { url, log: () => log } }
    },
    catch: (error) => (error instanceof Error ? error : new Error(String(error)))
  }),
  ({ child, dir }) =>
    Effect.promise(
      () =>
        new Promise<void>((resolve) => {
          const done = () => {
            fs.rmSync(dir, { recursive: true, force: true })
            resolve()
          }
          if (child.exitCode !== null || child.signalCode !== null) return done()
          child.once("exit", done)
          child.kill("SIGTERM")
        })
    )
).pipe(Effect.map(({ prism }) => prism))
