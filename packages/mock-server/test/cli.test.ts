/**
 * The `intercom-mock` command, run as a user runs it: a subprocess that serves the mock until it is stopped, with
 * the flags applied and the token never printed.
 */
import { assert, describe, it } from "@effect/vitest"
import { ValidationError } from "@effect/cli"
import * as NodeContext from "@effect/platform-node/NodeContext"
import { Duration, Effect, Option } from "effect"
import { spawn } from "node:child_process"
import { fileURLToPath } from "node:url"
import * as Cli from "../src/Cli.js"
import { token } from "./utils/mock.js"
import * as Raw from "./utils/raw.js"

const bin = fileURLToPath(new URL("../bin/intercom-mock.mjs", import.meta.url))

/** Starts the command, waits for its URL, and stops it (by its pid) when the scope closes. */
const start = (args: ReadonlyArray<string>) =>
  Effect.acquireRelease(
    Effect.async<
      {
        readonly url: string
        readonly output: () => string
        readonly firstLine: string
        readonly stop: () => void
      },
      Error
    >((resume) => {
      const child = spawn(process.execPath, [bin, ...args], {
        env: { ...process.env, INTERCOM_MOCK_TOKEN: token },
        stdio: ["ignore", "pipe", "pipe"]
      })
      let output = ""
      let stdout = ""
      const onData = (chunk: Buffer) => {
        output += chunk.toString("utf8")
        stdout += chunk.toString("utf8")
        const url = /listening on (http:\/\/\S+)/.exec(output)?.[1]
        if (url !== undefined) {
          child.stdout.off("data", onData)
          child.stdout.on("data", (more: Buffer) => (output += more.toString("utf8")))
          const firstLine = stdout.split("\n")[0]!
          resume(Effect.succeed({ url, output: () => output, firstLine, stop: () => child.kill("SIGTERM") }))
        }
      }
      child.stdout.on("data", onData)
      child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")))
      child.on("exit", (code) => resume(Effect.fail(new Error(`exited ${code}: ${output}`))))
    }),
    (running) => Effect.sync(running.stop)
  )

/** Runs the command to its end, with output piped: its exit code, stdout and stderr. */
const runToEnd = (args: ReadonlyArray<string>) =>
  Effect.async<{ readonly code: number | null; readonly stdout: string; readonly stderr: string }>((resume) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ["ignore", "pipe", "pipe"] })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")))
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")))
    child.on("close", (code) => resume(Effect.succeed({ code, stdout, stderr })))
    return Effect.sync(() => child.kill("SIGKILL"))
  })

describe("intercom-mock", () => {
  it.scopedLive(
    "serves a seeded workspace with the flags' limit, accepts only the configured token, never prints it",
    () =>
      Effect.gen(function* () {
        const mock = yield* start(["--port", "0", "--seed", "3", "--contacts", "30", "--limit", "4", "--window", "1s"])
        const me = yield* Raw.request(mock.url, "GET", "/me")
        assert.strictEqual(me.status, 200)
        assert.strictEqual(me.headers.get("x-ratelimit-limit"), "4")
        const list = yield* Raw.request(mock.url, "GET", "/contacts?per_page=150")
        assert.strictEqual((list.json as { total_count: number }).total_count, 30)
        const other = yield* Raw.request(mock.url, "GET", "/me", { headers: { authorization: "Bearer someone-else" } })
        assert.strictEqual(other.status, 401)
        assert.match(mock.output(), /30 contacts/)
        assert.match(mock.output(), /token: the configured one/)
        assert.notInclude(mock.output(), token)
      }),
    { timeout: 30_000 }
  )

  it.scopedLive(
    "--living: the URL on the first line, the clock moved over HTTP, every answer dated by it",
    () =>
      Effect.gen(function* () {
        const mock = yield* start([
          "--port",
          "0",
          "--contacts",
          "40",
          "--living",
          "--start",
          "2025-01-01T00:00:00Z",
          "--rate",
          "contacts.created=10",
          "--timezone",
          "Europe/Dublin"
        ])
        assert.strictEqual(mock.firstLine, `intercom-mock listening on ${mock.url}`)
        const me = yield* Raw.request(mock.url, "GET", "/me")
        assert.strictEqual(me.headers.get("date"), "Wed, 01 Jan 2025 00:00:00 GMT")
        assert.strictEqual((me.json as { app: { timezone: string } }).app.timezone, "Europe/Dublin")
        const advanced = yield* Raw.request(mock.url, "POST", "/__mock/advance", { body: { ms: 3_600_000 } })
        assert.strictEqual(advanced.status, 200)
        const { applied, now } = advanced.json as { applied: number; now: number }
        assert.deepStrictEqual([now, applied > 10], [Date.UTC(2025, 0, 1, 1), true])
        const snapshot = yield* Raw.request(mock.url, "GET", "/__mock/snapshot")
        const contacts = (snapshot.json as { contacts: ReadonlyArray<{ created_at: number }> }).contacts
        assert.strictEqual(contacts.filter((c) => c.created_at > Date.UTC(2025, 0, 1) / 1000).length, 10)
        const stranger = yield* Raw.request(mock.url, "GET", "/__mock/now", { headers: { authorization: null } })
        assert.strictEqual(stranger.status, 401)
        assert.match(mock.output(), /living: clock at 2025-01-01T00:00:00.000Z, timezone Europe\/Dublin/)
      }),
    { timeout: 60_000 }
  )

  it.scopedLive(
    "--workspaces 2: two workspaces picked by <token>-1 and <token>-2, named in the output, tokens never printed",
    () =>
      Effect.gen(function* () {
        const mock = yield* start([
          "--port",
          "0",
          "--seed",
          "3",
          "--contacts",
          "7",
          "--workspaces",
          "2",
          "--limit",
          "1"
        ])
        const as = (bearer: string) => ({ headers: { authorization: `Bearer ${bearer}` } })
        const first = yield* Raw.request(mock.url, "GET", "/contacts", as(`${token}-1`))
        const second = yield* Raw.request(mock.url, "GET", "/contacts", as(`${token}-2`))
        assert.deepStrictEqual([first.status, second.status], [200, 200])
        const ids = (answer: Raw.RawResponse) => (answer.json as { data: Array<{ id: string }> }).data[0]?.id
        assert.notStrictEqual(ids(first), ids(second), "seeds 3 and 4")
        // Each workspace spent its own window of one request.
        assert.strictEqual((yield* Raw.request(mock.url, "GET", "/me", as(`${token}-1`))).status, 429)
        assert.strictEqual((yield* Raw.request(mock.url, "GET", "/me", as(token))).status, 401)
        const counters = yield* Raw.request(mock.url, "GET", "/__mock/counters", as(`${token}-2`))
        assert.strictEqual((counters.json as { requests: number }).requests, 1)
        assert.match(mock.output(), /ws-1 \(seed 3\): 7 contacts/)
        assert.match(mock.output(), /ws-2 \(seed 4\): 7 contacts/)
        assert.notInclude(mock.output(), token)
      }),
    { timeout: 30_000 }
  )

  it.live(
    "a failure is one line on stderr and exit code 1",
    () =>
      Effect.gen(function* () {
        const run = yield* runToEnd(["--port", "0", "--living", "--timezone", "Mars/Olympus_Mons"])
        assert.strictEqual(run.code, 1, run.stderr)
        assert.strictEqual(run.stdout, "")
        assert.match(run.stderr, /^intercom-mock: timezone must be an IANA name such as Europe\/Dublin[^\n]*\n$/)
      }),
    { timeout: 60_000 }
  )

  it.effect("living flags are refused without --living, and a rate must be a number; in one line each, exit 2", () =>
    Effect.gen(function* () {
      const refused = (args: ReadonlyArray<string>) =>
        Cli.run(["node", "intercom-mock", "--port", "0", ...args]).pipe(
          Effect.provide(NodeContext.layer),
          Effect.sandbox,
          Effect.flip,
          Effect.map(Cli.describeFailure)
        )
      const usage = (line: string) => ({ line: `${line} (see intercom-mock --help)`, exitCode: 2 })
      assert.deepStrictEqual(
        yield* refused(["--start", "2025-01-01"]),
        usage("--start applies to a living workspace only: add --living")
      )
      assert.deepStrictEqual(
        yield* refused(["--living", "--rate", "contacts.created=many"]),
        usage('--rate: contacts.created: "many" is not a number of changes per hour')
      )
      assert.deepStrictEqual(
        yield* refused(["--living", "--start", "yesterday"]),
        usage('--start: "yesterday" is not an ISO 8601 time or epoch milliseconds')
      )
      assert.deepStrictEqual(
        yield* refused(["--workspaces", "0"]),
        usage("--workspaces: 0 is not a number of workspaces from 1 to 1000")
      )
    })
  )

  it.effect("reads its flags into the mock's options, and refuses a malformed one", () =>
    Effect.gen(function* () {
      assert.deepStrictEqual(Cli.parseDuration("10s"), Option.some(Duration.seconds(10)))
      assert.deepStrictEqual(Cli.parseDuration("250ms"), Option.some(Duration.millis(250)))
      assert.deepStrictEqual(Cli.parseDuration("2 minutes"), Option.some(Duration.minutes(2)))
      assert.isTrue(Option.isNone(Cli.parseDuration("soon")))
      const refused = yield* Effect.flip(
        Cli.run(["node", "intercom-mock", "--window", "soon"]).pipe(Effect.provide(NodeContext.layer))
      )
      assert.isTrue(ValidationError.isValidationError(refused) && refused._tag === "InvalidValue")
    })
  )

  it.scopedLive(
    "its failures are one line on stderr: a taken port (exit 1), a malformed flag (exit 2)",
    () =>
      Effect.gen(function* () {
        const mock = yield* start(["--port", "0", "--contacts", "1"])
        const port = new URL(mock.url).port
        const taken = yield* runToEnd(["--port", port])
        assert.strictEqual(taken.code, 1)
        assert.match(taken.stderr, /^intercom-mock: listen EADDRINUSE.*: pick another --port \(0 picks a free one\)\n$/)
        const malformed = yield* runToEnd(["--latency", "soon"])
        assert.strictEqual(malformed.code, 2)
        assert.strictEqual(
          malformed.stderr,
          'intercom-mock: --latency: "soon" is not a duration or a range of two (e.g. 50ms, 20ms..80ms) (see intercom-mock --help)\n'
        )
        assert.strictEqual(malformed.stdout, "")
      }),
    { timeout: 60_000 }
  )
})
