/**
 * The `intercom-export` command over the export engine of `@intercom-effect/sync` (whose own tests cover what is
 * stored): its progress on a terminal, a run killed half-way with a real signal that resumes and still ends with
 * every item exactly once, Ctrl-C, a wrong token, help and usage errors.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { MockIntercom } from "@intercom-effect/mock-server"
import * as Export from "@intercom-effect/sync/Export"
import * as ExportSqlite from "@intercom-effect/sync/ExportSqlite"
import { Effect, Layer } from "effect"
import { Report } from "../src/index.js"
import { mock, runCli, services, token, tempDir } from "./utils.js"

/** The ids of the contacts the mock holds. */
const contactIds = (m: MockIntercom.Service) => new Set(m.state.contacts.values().map((record) => record.id))

describe("progress", () => {
  it.scopedLive(
    "progress shows the window, the calls held until its reset, and counts the rate-limit waits",
    () =>
      Effect.gen(function* () {
        const m = yield* MockIntercom.MockIntercom
        const written: Array<string> = []
        yield* Export.run({ ...Export.defaults, resources: ["contacts"], perPage: 100 }).pipe(
          Effect.provide(
            Layer.mergeAll(
              Layer.orDie(ExportSqlite.layer(path.join(tempDir("progress"), "export.sqlite"))),
              Report.layer({ tty: true, write: (text) => void written.push(text) })
            ).pipe(Layer.provideMerge(services(m.url)))
          )
        )
        const counters = yield* m.counters.snapshot
        const lines = written
          .join("")
          .split("\r\x1b[K")
          .flatMap((chunk) => chunk.split("\n"))
          .filter((line) => line.startsWith("contacts "))
        // 1,000 contacts at 100 a page: 10 pages at 3 calls a second spend at least 3 windows before the last one.
        assert.strictEqual(counters.responses[429] ?? 0, 0)
        assert.isTrue(
          lines.some((line) => /window 0\/3, held \d+\.\d s/.test(line)),
          lines.join("\n")
        )
        const waits = lines.map((line) => Number(/rate-limit waits (\d+)/.exec(line)?.[1] ?? NaN))
        const waited = lines.map((line) => Number(/rate-limit waits \d+ \((\d+\.\d) s\)/.exec(line)?.[1] ?? NaN))
        // The client's metrics count the calls it held: 10 pages at 3 calls a second cross at least 3 windows, and
        // the walk is held at those it reaches before they reset (a window may also pass while a page is stored).
        assert.isAtLeast(waits.at(-1)!, 1, lines.join("\n"))
        assert.isAbove(waited.at(-1)!, 0, lines.join("\n"))
        // Nothing waited before the first window was spent.
        assert.strictEqual(waits[0], 0, lines.join("\n"))
        // The count only grows, one wait at a time: the walk sends one request at a time.
        waits.slice(1).forEach((n, i) => assert.include([waits[i], waits[i]! + 1], n))
      }).pipe(Effect.provide(mock({ contacts: 1_000, rateLimit: { limit: 3, window: "1 second" } }))),
    { timeout: 60_000 }
  )
})

/** Whether the SQLite file holds `n` contacts or more (read while the child writes). */
const storedAtLeast = (file: string, n: number): Effect.Effect<boolean> =>
  ExportSqlite.ids(file, "contacts").pipe(
    Effect.map((ids) => ids.length >= n),
    Effect.orElseSucceed(() => false)
  )

describe("kill and resume", () => {
  it.scopedLive(
    "killed half-way with SIGKILL, run again, every contact exactly once",
    () =>
      Effect.gen(function* () {
        const m = yield* MockIntercom.MockIntercom
        const file = path.join(tempDir("kill"), "export.sqlite")
        const args = ["--out", file, "--resource", "contacts", "--per-page", "100"]
        // Killed once about a third of the contacts are in the file (read from it while the child writes).
        const first = yield* runCli(m.url, args, { stop: { signal: "SIGKILL", when: storedAtLeast(file, 1_000) } })
        assert.strictEqual(first.signal, "SIGKILL", first.stderr)
        const partial = (yield* ExportSqlite.ids(file, "contacts")).length
        assert.isAbove(partial, 0)
        assert.isBelow(partial, 3_000)

        const second = yield* runCli(m.url, args)
        assert.strictEqual(second.code, 0, second.stderr)
        assert.include(second.stderr, "resuming contacts")
        const ids = yield* ExportSqlite.ids(file, "contacts")
        assert.strictEqual(ids.length, 3_000)
        assert.deepStrictEqual(new Set(ids), contactIds(m))
        assert.notInclude(first.stdout + first.stderr + second.stdout + second.stderr, token)
      }).pipe(Effect.provide(mock({ contacts: 3_000, rateLimit: { limit: 10, window: "1 second" } }))),
    { timeout: 120_000 }
  )
})

describe("stopped and failed runs", () => {
  it.scopedLive(
    "Ctrl-C half-way: says it stopped and how to resume, exit 130; run again, every contact exactly once",
    () =>
      Effect.gen(function* () {
        const m = yield* MockIntercom.MockIntercom
        const file = path.join(tempDir("sigint"), "export.sqlite")
        const args = ["--out", file, "--resource", "contacts", "--per-page", "100"]
        const first = yield* runCli(m.url, args, { stop: { signal: "SIGINT", when: storedAtLeast(file, 1_000) } })
        assert.strictEqual(first.code, 130, first.stderr)
        assert.strictEqual(
          first.stderr.trimEnd().split("\n").at(-1),
          "intercom-export: stopped by Ctrl-C (SIGINT); run the same command again to resume"
        )
        const partial = (yield* ExportSqlite.ids(file, "contacts")).length
        assert.isAbove(partial, 0)
        assert.isBelow(partial, 3_000)

        const second = yield* runCli(m.url, args)
        assert.strictEqual(second.code, 0, second.stderr)
        assert.include(second.stderr, "resuming contacts")
        const ids = yield* ExportSqlite.ids(file, "contacts")
        assert.strictEqual(ids.length, 3_000)
        assert.deepStrictEqual(new Set(ids), contactIds(m))
      }).pipe(Effect.provide(mock({ contacts: 3_000, rateLimit: { limit: 10, window: "1 second" } }))),
    { timeout: 120_000 }
  )

  it.scopedLive(
    "a wrong token: one line with the 401, its request id and what to do, exit 1, and no store left behind",
    () =>
      Effect.gen(function* () {
        const m = yield* MockIntercom.MockIntercom
        for (const [format, out] of [
          ["sqlite", path.join(tempDir("refused"), "export.sqlite")],
          ["ndjson", path.join(tempDir("refused"), "export")]
        ] as const) {
          const run = yield* runCli(m.url, ["--out", out, "--format", format], {
            env: { INTERCOM_ACCESS_TOKEN: "not-the-token" }
          })
          assert.strictEqual(run.code, 1)
          const last = run.stderr.trimEnd().split("\n").at(-1)!
          assert.match(
            last,
            /^intercom-export: GET \/\S+ answered 401 Unauthorized \[request_id [^\]]+\].*\. Check the access token \(INTERCOM_ACCESS_TOKEN\)/
          )
          assert.notInclude(run.stderr, "    at ")
          assert.isFalse(fs.existsSync(out), `${format}: ${out} was left behind`)
        }
      }).pipe(Effect.provide(mock({ contacts: 10 }))),
    { timeout: 60_000 }
  )

  it.scopedLive(
    "--help needs no token and shows the defaults; flags out of range, and --since without partitions, are refused",
    () =>
      Effect.gen(function* () {
        const noToken = { env: { INTERCOM_ACCESS_TOKEN: "" } }
        const help = yield* runCli("http://127.0.0.1:1", ["--help"], noToken)
        assert.strictEqual(help.code, 0)
        assert.include(help.stdout, "$ intercom-export --out text")
        assert.include(help.stdout, "default: 10m")
        assert.notInclude(help.stdout, "\x1b")
        const cases: ReadonlyArray<readonly [ReadonlyArray<string>, string]> = [
          [["--per-page", "500"], "--per-page: 500 is above 150"],
          [["--since", "2024-01-01"], "--since, --until and --timezone set the span the contacts' partitions divide"],
          [["--partitions", "4", "--timezone", "Mars/Olympus"], '--timezone: "Mars/Olympus" is not a timezone name'],
          [["--partitions", "4", "--since", "2024-02-01", "--until", "2024-01-01"], "--since must be before --until"],
          [["--format", "csv"], '--format: "csv" is not one of sqlite, ndjson']
        ]
        for (const [args, message] of cases) {
          const out = path.join(tempDir("usage"), "export.sqlite")
          const run = yield* runCli("http://127.0.0.1:1", ["--out", out, ...args], noToken)
          assert.strictEqual(run.code, 2, run.stderr)
          assert.strictEqual(run.stderr.split("\n").length, 2, run.stderr)
          assert.include(run.stderr, message)
          assert.isFalse(fs.existsSync(out))
        }
      }),
    { timeout: 120_000 }
  )
})
