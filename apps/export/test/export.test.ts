/**
 * The export against the mock Intercom over real sockets, with Intercom's window rate limit scaled down: every item
 * stored exactly once (SQLite and NDJSON, whole and partitioned), no response 429 at the server, and a run killed
 * half-way with a real signal that resumes and still ends with every item exactly once.
 */
import { spawn } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { assert, describe, it } from "@effect/vitest"
import { NodeHttpClient } from "@effect/platform-node"
import { IntercomConfig } from "@intercom-effect/http"
import { MockIntercom } from "@intercom-effect/mock-server"
import { Intercom } from "@intercom-effect/services"
import { Effect, Layer, type Scope } from "effect"
import { Export, NdjsonStore, Report, SqliteStore, type Store } from "../src/index.js"
import { exportLayer, mock, token, tempDir } from "./utils.js"

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
        const services = Intercom.layer.pipe(
          Layer.provide(Layer.orDie(IntercomConfig.layer({ accessToken: token, baseUrl: m.url }))),
          Layer.provide(NodeHttpClient.layerUndici)
        )
        yield* Export.run({ ...Export.defaults, resources: ["contacts"], perPage: 100 }).pipe(
          Effect.provide(
            Layer.mergeAll(
              Layer.orDie(SqliteStore.layer(path.join(tempDir("progress"), "export.sqlite"))),
              Report.layer({ tty: true, write: (text) => void written.push(text) })
            ).pipe(Layer.provideMerge(services))
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

const exportMain = fileURLToPath(new URL("../src/main.ts", import.meta.url))

/** Runs the export CLI as a child process; `killWhen` is polled, and once true the process gets a SIGKILL. */
const runCli = (
  baseUrl: string,
  args: ReadonlyArray<string>,
  killWhen?: Effect.Effect<boolean>
): Effect.Effect<
  { readonly code: number | null; readonly signal: string | null; readonly output: string },
  never,
  Scope.Scope
> =>
  Effect.gen(function* () {
    const child = spawn(process.execPath, ["--import", "tsx", exportMain, ...args], {
      env: { ...process.env, INTERCOM_ACCESS_TOKEN: token, INTERCOM_BASE_URL: baseUrl },
      stdio: ["ignore", "pipe", "pipe"]
    })
    let output = ""
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")))
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")))
    const exited = Effect.async<{ code: number | null; signal: string | null }>((resume) => {
      if (child.exitCode !== null || child.signalCode !== null) {
        return resume(Effect.succeed({ code: child.exitCode, signal: child.signalCode }))
      }
      child.on("close", (code, signal) => resume(Effect.succeed({ code, signal })))
    })
    yield* Effect.addFinalizer(() => Effect.sync(() => child.kill("SIGKILL")))
    if (killWhen !== undefined) {
      const watch = Effect.repeat(
        Effect.flatMap(killWhen, (kill) => (kill ? Effect.sync(() => child.kill("SIGKILL")) : Effect.void)).pipe(
          Effect.zipRight(Effect.sleep("50 millis"))
        ),
        { while: () => child.exitCode === null && child.signalCode === null }
      )
      yield* Effect.forkScoped(watch)
    }
    const { code, signal } = yield* exited
    return { code, signal, output }
  })

describe("kill and resume", () => {
  it.scopedLive(
    "killed half-way with SIGKILL, run again, every contact exactly once",
    () =>
      Effect.gen(function* () {
        const m = yield* MockIntercom.MockIntercom
        const file = path.join(tempDir("kill"), "export.sqlite")
        const args = ["--out", file, "--resource", "contacts", "--per-page", "100"]
        // Killed once about a third of the contacts are in the file (read from it while the child writes).
        const first = yield* runCli(
          m.url,
          args,
          SqliteStore.ids(file, "contacts").pipe(
            Effect.map((ids) => ids.length >= 1_000),
            Effect.orElseSucceed(() => false)
          )
        )
        assert.strictEqual(first.signal, "SIGKILL", first.output)
        const partial = (yield* SqliteStore.ids(file, "contacts")).length
        assert.isAbove(partial, 0)
        assert.isBelow(partial, 3_000)

        const second = yield* runCli(m.url, args)
        assert.strictEqual(second.code, 0, second.output)
        assert.include(second.output, "resuming contacts")
        const ids = yield* SqliteStore.ids(file, "contacts")
        assert.strictEqual(ids.length, 3_000)
        assert.deepStrictEqual(new Set(ids), seedOf(m).contacts)
        assert.notInclude(first.output + second.output, token)
      }).pipe(Effect.provide(mock({ contacts: 3_000, rateLimit: { limit: 10, window: "1 second" } }))),
    { timeout: 120_000 }
  )
})
