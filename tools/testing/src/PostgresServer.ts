/**
 * A real PostgreSQL server (Debian's `postgresql` package; `.ci/run` installs it) for tests that need one: a fresh
 * cluster in a temporary directory, listening on 127.0.0.1 on a free port, trusting local connections, without fsync
 * (a test's data need not survive a power cut), stopped and removed with the test's scope. Postgres refuses to run
 * as root, so under root the cluster belongs to the `postgres` user the package creates.
 */
import { execFileSync } from "node:child_process"
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Effect, type Scope } from "effect"
import * as Daemon from "./Daemon.js"
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
 * through `runuser`, so signals reach the server itself). Looked up once.
 */
let ownerIds: { readonly uid: number; readonly gid: number } | undefined
const owner = (): { readonly uid: number; readonly gid: number } | undefined => {
  if (!asRoot) return undefined
  ownerIds ??= {
    uid: Number(execFileSync("id", ["-u", "postgres"]).toString().trim()),
    gid: Number(execFileSync("id", ["-g", "postgres"]).toString().trim())
  }
  return ownerIds
}

const launch = (dir: string, port: number) =>
  Daemon.launch({
    name: "postgres",
    command: binary("postgres"),
    args: [
      ...["-D", dir, "-k", dir, "-h", "127.0.0.1", "-p", String(port)],
      ...["-F", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=50"]
    ],
    options: owner(),
    ready: "ready to accept connections",
    stream: "stderr",
    timeout: "30 seconds"
  })

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
  // SIGINT: a fast shutdown, which ends the sessions a test may have left open.
  yield* Effect.acquireRelease(launch(dir, port), (child) => Daemon.stop(child, "SIGINT"))
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
