/**
 * A real PostgreSQL server (Debian's `postgresql` package; `.ci/run` installs it) for tests that need one: a fresh
 * cluster in a temporary directory, listening on 127.0.0.1 on a free port, trusting local connections, without fsync
 * (a test's data need not survive a power cut), stopped and removed with the test's scope. Postgres refuses to run
 * as root, so under root the cluster belongs to the `postgres` user the package creates.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process"
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Effect, type Scope } from "effect"
import { freePort } from "./Ports.js"

export interface PostgresServer {
  readonly port: number
  /** `postgres://postgres@127.0.0.1:<port>/postgres` */
  readonly url: string
  /** A new, empty database on the server, by name; its URL. */
  readonly createDatabase: (name: string) => Effect.Effect<string>
}

/** Where the server's programs are: on PATH, or in the Debian package's versioned directory. */
const binary = (name: string): string => {
  const onPath = (process.env["PATH"] ?? "").split(":").map((dir) => join(dir, name))
  const debian = existsSync("/usr/lib/postgresql")
    ? readdirSync("/usr/lib/postgresql")
        .sort()
        .reverse()
        .map((version) => join("/usr/lib/postgresql", version, "bin", name))
    : []
  const found = [...onPath, ...debian].find((path) => existsSync(path))
  if (found === undefined) throw new Error(`${name} not found: install Debian's postgresql (.ci/run does)`)
  return found
}

const asRoot = process.getuid?.() === 0

/**
 * Under root, the `postgres` user's ids, which the server's processes take (spawned with them directly rather than
 * through `runuser`, so signals reach the server itself).
 */
const owner = (): { readonly uid: number; readonly gid: number } | undefined =>
  asRoot
    ? {
        uid: Number(execFileSync("id", ["-u", "postgres"]).toString().trim()),
        gid: Number(execFileSync("id", ["-g", "postgres"]).toString().trim())
      }
    : undefined

const launch = (dir: string, port: number): Effect.Effect<ChildProcess> =>
  Effect.async<ChildProcess>((resume) => {
    const child = spawn(
      binary("postgres"),
      [
        ...["-D", dir, "-k", dir, "-h", "127.0.0.1", "-p", String(port)],
        ...["-F", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=50"]
      ],
      { stdio: ["ignore", "pipe", "pipe"], ...owner() }
    )
    let output = ""
    const onData = (chunk: Buffer) => {
      output += chunk.toString("utf8")
      if (output.includes("ready to accept connections")) {
        child.stderr?.off("data", onData)
        child.stderr?.resume()
        resume(Effect.succeed(child))
      }
    }
    child.stderr?.on("data", onData)
    child.stdout?.resume()
    child.once("error", (error) => resume(Effect.dieMessage(`postgres could not be started: ${error}`)))
    child.once("exit", (code) =>
      resume(Effect.dieMessage(`postgres exited (code ${code}) before it was ready:\n${output}`))
    )
  }).pipe(Effect.timeoutFail({ duration: "30 seconds", onTimeout: () => "postgres did not get ready" }), Effect.orDie)

/** Starts a PostgreSQL server for the scope of the test. */
export const make: Effect.Effect<PostgresServer, never, Scope.Scope> = Effect.gen(function* () {
  const port = yield* freePort
  const dir = yield* Effect.acquireRelease(
    Effect.sync(() => {
      const dir = mkdtempSync(join(tmpdir(), "intercom-effect-pg-"))
      const ids = owner()
      if (ids !== undefined) chownSync(dir, ids.uid, ids.gid)
      return dir
    }),
    (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true }))
  )
  yield* Effect.sync(() => {
    execFileSync(binary("initdb"), ["-D", dir, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"], {
      stdio: "ignore",
      ...owner()
    })
  }).pipe(Effect.orDie)
  const child = yield* Effect.acquireRelease(launch(dir, port), (child) =>
    Effect.async<void>((resume) => {
      if (child.exitCode !== null || child.signalCode !== null) return resume(Effect.void)
      child.once("exit", () => resume(Effect.void))
      // SIGINT: a fast shutdown, which ends the sessions a test may have left open.
      child.kill("SIGINT")
    })
  )
  void child
  const url = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`
  return {
    port,
    url: url("postgres"),
    createDatabase: (name) =>
      Effect.sync(() => {
        execFileSync(
          binary("psql"),
          ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-c", `CREATE DATABASE "${name}"`],
          {
            stdio: "ignore"
          }
        )
        return url(name)
      }).pipe(Effect.orDie)
  }
})
