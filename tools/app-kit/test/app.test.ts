/**
 * `App.run` as users meet it: the test app (fixtures/app.ts) run as a child process with its stdout and stderr piped
 * (so not terminals), its exit code, its lines, and real signals.
 */
import { spawn } from "node:child_process"
import { fileURLToPath } from "node:url"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { freePort } from "@intercom-effect/testing/Ports"

const fixture = fileURLToPath(new URL("./fixtures/app.ts", import.meta.url))
const cwd = fileURLToPath(new URL("..", import.meta.url))

interface Run {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Runs the test app with `args`; with `signal`, sends it once the app printed "ready". */
const app = (args: ReadonlyArray<string>, signal?: NodeJS.Signals): Effect.Effect<Run> =>
  Effect.async((resume) => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("INTERCOM_")))
    const child = spawn(process.execPath, ["--import", "tsx", fixture, ...args], {
      cwd,
      env,
      stdio: ["ignore", "pipe", "pipe"]
    })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8")
      if (signal !== undefined && stdout.includes("ready")) child.kill(signal)
    })
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")))
    child.on("close", (code) => resume(Effect.succeed({ code, stdout, stderr })))
    return Effect.sync(() => child.kill("SIGKILL"))
  })

const lines = (text: string): Array<string> => text.split("\n").filter((line) => line.length > 0)

const slow = { timeout: 60_000 }

describe("App.run", () => {
  it.live(
    "an Intercom error: one line on stderr with the request id and what to do, exit 1; --verbose adds the cause",
    () =>
      Effect.gen(function* () {
        const run = yield* app(["fail-intercom"])
        assert.strictEqual(run.code, 1)
        assert.strictEqual(run.stdout, "")
        assert.deepStrictEqual(lines(run.stderr), [
          "fixture: GET /me answered 401 Unauthorized [request_id req-fixture-1]. Check the access token " +
            "(INTERCOM_ACCESS_TOKEN or --token): it is wrong or revoked, or its workspace is in another region " +
            "(INTERCOM_REGION, or INTERCOM_BASE_URL)"
        ])
        const verbose = yield* app(["fail-intercom", "--verbose"])
        assert.strictEqual(verbose.code, 1)
        assert.strictEqual(lines(verbose.stderr)[0], lines(run.stderr)[0])
        assert.include(verbose.stderr, "Unauthorized")
        assert.isAbove(lines(verbose.stderr).length, 1)
      }),
    slow
  )

  it.live(
    "a defect is one line calling it a bug, without a stack trace",
    () =>
      Effect.gen(function* () {
        const run = yield* app(["defect"])
        assert.strictEqual(run.code, 1)
        assert.deepStrictEqual(lines(run.stderr), [
          "fixture: unexpected error: a bug at /some/absolute/path.ts. This is a bug: run again with --verbose and report what it prints"
        ])
        assert.notInclude(run.stderr, "node_modules")
      }),
    slow
  )

  it.live(
    "bad flags name the flag and the allowed values, exit 2, and nothing runs",
    () =>
      Effect.gen(function* () {
        const cases: ReadonlyArray<readonly [ReadonlyArray<string>, string]> = [
          [["count", "--limit", "-5"], "fixture: --limit: -5 is below 1. See fixture count --help"],
          [
            ["--format", "yaml", "count"],
            'fixture: --format: "yaml" is not one of table, json. See fixture count --help'
          ]
        ]
        for (const [args, expected] of cases) {
          const run = yield* app(args)
          assert.strictEqual(run.code, 2, args.join(" "))
          assert.deepStrictEqual(lines(run.stderr), [expected])
          assert.strictEqual(run.stdout, "")
        }
        const ok = yield* app(["count", "--limit", "7"])
        assert.deepStrictEqual([ok.code, ok.stdout], [0, "limit 7\n"])
      }),
    { timeout: 120_000 }
  )

  it.live(
    "--flag=value is read as --flag value, for a repeatable option too",
    () =>
      Effect.gen(function* () {
        const run = yield* app(["count", "--limit=7", "--resource=contacts", "--resource", "companies"])
        assert.deepStrictEqual([run.code, run.stdout, run.stderr], [0, "limit 7, resources contacts companies\n", ""])
        const bad = yield* app(["count", "--resource=users"])
        assert.strictEqual(bad.code, 2)
        assert.match(bad.stderr, /^fixture: --resource: "users" is not one of contacts, companies/)
      }),
    slow
  )

  it.live(
    "a missing token names the variable and the flag",
    () =>
      Effect.gen(function* () {
        const run = yield* app(["token"])
        assert.strictEqual(run.code, 2)
        assert.deepStrictEqual(lines(run.stderr), [
          "fixture: INTERCOM_ACCESS_TOKEN is not set. Set INTERCOM_ACCESS_TOKEN or pass --token"
        ])
      }),
    slow
  )

  it.live(
    "--help (for a subcommand too), a bare group and --version: no token needed, commands named as typed, no ANSI",
    () =>
      Effect.gen(function* () {
        const top = yield* app(["--help"])
        assert.strictEqual(top.code, 0)
        assert.include(top.stdout, "$ fixture [--format table | json] <command>")
        assert.include(top.stdout, "  fixture count [--limit integer] [--since date] [--region us | eu | au]")
        assert.include(top.stdout, "default: table")
        assert.include(top.stdout, "--verbose")
        assert.notInclude(top.stdout, "\x1b")
        const sub = yield* app(["count", "--help"])
        assert.strictEqual(sub.code, 0)
        assert.include(sub.stdout, "$ fixture count [--limit integer]")
        assert.include(sub.stdout, "default: 50")
        const bare = yield* app([])
        assert.deepStrictEqual([bare.code, bare.stdout], [0, top.stdout])
        const version = yield* app(["--version"])
        assert.deepStrictEqual([version.code, version.stdout], [0, "fixture 1.2.3\n"])
        const colour = yield* app(["colour"])
        assert.strictEqual(colour.stdout, "bold plain\n")
      }),
    { timeout: 120_000 }
  )

  it.live(
    "Ctrl-C says the run stopped and how to resume it, exit 130; SIGTERM exit 143",
    () =>
      Effect.gen(function* () {
        const int = yield* app(["wait", "--resumable"], "SIGINT")
        assert.strictEqual(int.code, 130)
        assert.deepStrictEqual(lines(int.stderr), [
          "fixture: stopped by Ctrl-C (SIGINT); run the same command again to resume"
        ])
        const term = yield* app(["wait"], "SIGTERM")
        assert.strictEqual(term.code, 143)
        assert.deepStrictEqual(lines(term.stderr), ["fixture: stopped by SIGTERM"])
      }),
    slow
  )

  it.live(
    "an unreachable host is said once, then retried, and the final failure is one line",
    () =>
      Effect.gen(function* () {
        const port = yield* freePort
        const run = yield* app(["unreachable", `http://127.0.0.1:${port}`])
        assert.strictEqual(run.code, 1)
        const said = lines(run.stderr)
        assert.strictEqual(said.length, 2, run.stderr)
        assert.match(said[0]!, /^fixture: GET \/me failed in transport .*; retrying for up to 5s$/)
        assert.match(
          said[1]!,
          /^fixture: GET \/me failed in transport .*\. Intercom could not be reached: check the network and the host \(INTERCOM_REGION, or INTERCOM_BASE_URL\)$/
        )
      }),
    slow
  )
})
