/**
 * The export against the mock Intercom over real sockets, with Intercom's window rate limit scaled down: every item
 * stored exactly once (SQLite and NDJSON, whole and partitioned), no response 429 at the server, and a run killed
 * half-way with a real signal that resumes and still ends with every item exactly once.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { MockIntercom } from "@intercom-effect/mock-server"
import { Contacts } from "@intercom-effect/services"
import { Effect, Layer, Option } from "effect"
import { Export, NdjsonStore, Report, SqliteStore, type Store } from "../src/index.js"
import { exportLayer, mock, runCli, services, token, tempDir } from "./utils.js"

/** What the mock holds: the ids to find exported, and the span of `created_at` the contacts cover. */
const seedOf = (m: MockIntercom.Service) => {
  const contacts = m.state.contacts.values()
  const created = contacts.map((record) => record.contact.created_at)
  return {
    contacts: new Set(contacts.map((record) => record.id)),
    companies: m.state.companies.size,
    conversations: m.state.conversations.size,
    since: Math.min(...created),
    until: Math.max(...created)
  }
}

/** Runs one export into `store` against the mock in context, and reads the mock's counters afterwards. */
const exportInto = (store: Layer.Layer<Store.Store, Store.StoreError>, options: Partial<Export.Options> = {}) =>
  Effect.gen(function* () {
    const m = yield* MockIntercom.MockIntercom
    const summary = yield* Export.run({ ...Export.defaults, ...options }).pipe(
      Effect.provide(exportLayer(m.url, store))
    )
    const counters = yield* m.counters.snapshot
    return { summary, counters, seed: seedOf(m) }
  })

const limit = { limit: 40, window: "1 second" } as const

describe("export", () => {
  it.scopedLive(
    "20,000 contacts into SQLite under a window limit: each exactly once, no 429 at the server",
    () =>
      Effect.gen(function* () {
        const file = path.join(tempDir("sqlite"), "export.sqlite")
        const { summary, counters, seed } = yield* exportInto(SqliteStore.layer(file))
        assert.strictEqual(summary.stored.contacts, 20_000)
        assert.strictEqual(summary.stored.companies, seed.companies)
        assert.strictEqual(summary.stored.conversations, seed.conversations)
        assert.strictEqual(counters.responses[429] ?? 0, 0)
        assert.isAtMost(counters.maxPerWindow, limit.limit)
        const ids = yield* SqliteStore.ids(file, "contacts")
        assert.strictEqual(ids.length, 20_000)
        assert.deepStrictEqual(new Set(ids), seed.contacts)
      }).pipe(Effect.provide(mock({ contacts: 20_000, companies: 300, conversations: 1_000, rateLimit: limit }))),
    { timeout: 120_000 }
  )

  it.scopedLive(
    "contacts as 6 created_at partitions walked 3 at a time: the same contacts, each once",
    () =>
      Effect.gen(function* () {
        const file = path.join(tempDir("partitions"), "export.sqlite")
        const { since, until } = seedOf(yield* MockIntercom.MockIntercom)
        const { summary, counters, seed } = yield* exportInto(SqliteStore.layer(file), {
          resources: ["contacts"],
          partitions: 6,
          concurrency: 3,
          since,
          until
        })
        assert.strictEqual(summary.stored.contacts, seed.contacts.size)
        assert.deepStrictEqual(new Set(yield* SqliteStore.ids(file, "contacts")), seed.contacts)
        assert.strictEqual(counters.responses[429] ?? 0, 0)
      }).pipe(Effect.provide(mock({ contacts: 3_000, rateLimit: limit }))),
    { timeout: 120_000 }
  )

  it.scopedLive("into NDJSON: one line per item, each once", () =>
    Effect.gen(function* () {
      const dir = tempDir("ndjson")
      const { summary, seed } = yield* exportInto(NdjsonStore.layer(dir))
      const lines = fs.readFileSync(path.join(dir, "contacts.ndjson"), "utf8").trimEnd().split("\n")
      const ids = lines.map((line) => (JSON.parse(line) as { id: string }).id)
      assert.strictEqual(summary.stored.contacts, 1_500)
      assert.deepStrictEqual(new Set(ids), seed.contacts)
      assert.strictEqual(ids.length, 1_500)
    }).pipe(Effect.provide(mock({ contacts: 1_500, companies: 50, conversations: 200, rateLimit: limit })))
  )

  it.scopedLive(
    "progress shows the window, the calls held until its reset, and counts the rate-limit waits",
    () =>
      Effect.gen(function* () {
        const m = yield* MockIntercom.MockIntercom
        const written: Array<string> = []
        yield* Export.run({ ...Export.defaults, resources: ["contacts"], perPage: 100 }).pipe(
          Effect.provide(
            Layer.mergeAll(
              Layer.orDie(SqliteStore.layer(path.join(tempDir("progress"), "export.sqlite"))),
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
        assert.isAtLeast(waits.at(-1)!, 3, lines.join("\n"))
        // The count only grows, one spent window at a time.
        waits.slice(1).forEach((n, i) => assert.include([waits[i], waits[i]! + 1], n))
      }).pipe(Effect.provide(mock({ contacts: 1_000, rateLimit: { limit: 3, window: "1 second" } }))),
    { timeout: 60_000 }
  )

  it.scopedLive("a finished export run again fetches nothing and says so", () =>
    Effect.gen(function* () {
      const file = path.join(tempDir("again"), "export.sqlite")
      yield* exportInto(SqliteStore.layer(file))
      const m = yield* MockIntercom.MockIntercom
      yield* m.counters.reset
      const { summary, counters } = yield* exportInto(SqliteStore.layer(file))
      assert.strictEqual(summary.pages, 0)
      assert.strictEqual(summary.skipped, 3)
      assert.strictEqual(counters.requests, 0)
    }).pipe(Effect.provide(mock({ contacts: 400, companies: 20, conversations: 50 })))
  )
})

/** Whether the SQLite file holds `n` contacts or more (read while the child writes). */
const storedAtLeast = (file: string, n: number): Effect.Effect<boolean> =>
  SqliteStore.ids(file, "contacts").pipe(
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
        const partial = (yield* SqliteStore.ids(file, "contacts")).length
        assert.isAbove(partial, 0)
        assert.isBelow(partial, 3_000)

        const second = yield* runCli(m.url, args)
        assert.strictEqual(second.code, 0, second.stderr)
        assert.include(second.stderr, "resuming contacts")
        const ids = yield* SqliteStore.ids(file, "contacts")
        assert.strictEqual(ids.length, 3_000)
        assert.deepStrictEqual(new Set(ids), seedOf(m).contacts)
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
        const partial = (yield* SqliteStore.ids(file, "contacts")).length
        assert.isAbove(partial, 0)
        assert.isBelow(partial, 3_000)

        const second = yield* runCli(m.url, args)
        assert.strictEqual(second.code, 0, second.stderr)
        assert.include(second.stderr, "resuming contacts")
        const ids = yield* SqliteStore.ids(file, "contacts")
        assert.strictEqual(ids.length, 3_000)
        assert.deepStrictEqual(new Set(ids), seedOf(m).contacts)
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
          [["--since", "2024-01-01"], "--since and --until set the span the contacts' partitions divide"],
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

describe("patience, and partitions from the oldest contact", () => {
  /** A reporter that keeps the waits it is told of. */
  const recording = () => {
    const waits: Array<Export.WaitEvent> = []
    const layer = Layer.succeed(Export.Reporter, {
      walkStarted: () => Effect.void,
      page: () => Effect.void,
      waiting: (event) => Effect.sync(() => void waits.push(event))
    })
    return { waits, layer }
  }

  // The client alone gives up at once (no retries); only the walks' patience carries the export through.
  const noRetries = { retry: { maxRetries: 0 } }
  const flaky = mock({ contacts: 900, faults: { serverError: 0.2 } })
  const contactsOnly = { ...Export.defaults, resources: ["contacts"], perPage: 50, firstPause: "10 millis" } as const

  it.scopedLive("walks wait out a failing Intercom and still store every contact exactly once", () =>
    Effect.gen(function* () {
      const m = yield* MockIntercom.MockIntercom
      const dir = tempDir("patience")
      const reporter = recording()
      const summary = yield* Export.run({ ...contactsOnly, patience: "1 minute" }).pipe(
        Effect.provide(exportLayer(m.url, NdjsonStore.layer(dir), { config: noRetries, reporter: reporter.layer }))
      )
      const counters = yield* m.counters.snapshot
      const lines = fs.readFileSync(path.join(dir, "contacts.ndjson"), "utf8").trimEnd().split("\n")
      const ids = lines.map((line) => (JSON.parse(line) as { id: string }).id)
      assert.strictEqual(summary.stored.contacts, 900)
      assert.strictEqual(ids.length, 900)
      assert.deepStrictEqual(new Set(ids), seedOf(m).contacts)
      // Faults happened, each was waited out with a word, and nothing was fetched twice but the failed pages.
      const faults = counters.faults.serverErrors + counters.faults.badGateways
      assert.isAbove(faults, 0)
      assert.strictEqual(reporter.waits.length, faults)
      assert.match(reporter.waits[0]!.error, /answered 5\d\d/)
    }).pipe(Effect.provide(flaky))
  )

  it.scopedLive("without patience the same export fails at the first 5xx (the behaviour before it)", () =>
    Effect.gen(function* () {
      const m = yield* MockIntercom.MockIntercom
      const error = yield* Effect.flip(
        Export.run({ ...contactsOnly, patience: 0 }).pipe(
          Effect.provide(exportLayer(m.url, NdjsonStore.layer(tempDir("impatient")), { config: noRetries }))
        )
      )
      assert.strictEqual(error._tag, "ServerError")
    }).pipe(Effect.provide(flaky))
  )

  it.scopedLive(
    "partitions start on the oldest contact's day, found in a few searches; the plan is kept and a different one refused",
    () =>
      Effect.gen(function* () {
        const m = yield* MockIntercom.MockIntercom
        const day = 86_400
        const oldest = Math.floor(seedOf(m).since / day) * day
        yield* m.counters.reset
        const found = yield* Effect.flatMap(Contacts.Contacts, (contacts) =>
          Export.oldestCreatedAt(contacts, Math.floor(Date.now() / 1000))
        ).pipe(Effect.provide(services(m.url)))
        assert.deepStrictEqual(found, Option.some(oldest))
        assert.isAtMost((yield* m.counters.snapshot).requests, 16)

        const dir = tempDir("plan")
        const run = (partitions: number) =>
          Export.run({ ...Export.defaults, resources: ["contacts"], partitions }).pipe(
            Effect.provide(exportLayer(m.url, NdjsonStore.layer(dir)))
          )
        const first = yield* run(4)
        assert.strictEqual(first.stored.contacts, 700)
        const checkpoint = JSON.parse(fs.readFileSync(path.join(dir, "checkpoint.json"), "utf8")) as {
          plan: { contacts: { partitions: number; since: number } }
        }
        assert.deepStrictEqual([checkpoint.plan.contacts.partitions, checkpoint.plan.contacts.since], [4, oldest])
        const again = yield* run(4)
        assert.strictEqual(again.skipped, 4)
        const other = yield* Effect.flip(run(3))
        assert.strictEqual(other._tag, "PlanMismatch")
        assert.include(other.message, "this store holds an export of 4 partitions")
      }).pipe(Effect.provide(mock({ contacts: 700 })))
  )
})
