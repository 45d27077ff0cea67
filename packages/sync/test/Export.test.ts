/**
 * The export engine against the mock Intercom over real sockets, with Intercom's window rate limit scaled down: every
 * item stored exactly once (SQLite and NDJSON, whole and partitioned), no response 429 at the server, a finished
 * export left alone, walks that wait out a failing Intercom, and partitions planned from the oldest contact and kept.
 * The command over it (`intercom-export`: flags, output, exit codes, kills) is tested in `apps/export`.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { assert, describe, expect, it } from "@effect/vitest"
import { MockIntercom } from "@intercom-effect/mock-server"
import { Contacts } from "@intercom-effect/services"
import { Effect, Layer, Option } from "effect"
import { Export, ExportNdjson, ExportSqlite, type ExportStore } from "../src/index.js"
import { exportLayer, intercom, mock, tempDir } from "./utils/Export.js"

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
const exportInto = (
  store: Layer.Layer<ExportStore.Store, ExportStore.StoreError>,
  options: Partial<Export.Options> = {}
) =>
  Effect.gen(function* () {
    const m = yield* MockIntercom.MockIntercom
    const summary = yield* Export.run({ ...Export.defaults, ...options }).pipe(
      Effect.provide(exportLayer(m.url, store))
    )
    const counters = yield* m.counters.snapshot
    return { summary, counters, seed: seedOf(m) }
  })

const limit = { limit: 40, window: "1 second" } as const

const at = (iso: string) => Date.parse(iso) / 1000

describe("Export.partitionsOf", () => {
  it("splits created_at into whole UTC days, the first range open below and the last open above", () => {
    const created = (operator: "<" | ">", iso: string, less = 0) => ({
      field: "created_at",
      operator,
      value: at(iso) - less
    })
    const since = at("2024-01-01T05:00:00Z")
    const until = at("2024-01-04T12:00:00Z")
    // 1 to 5 January: four days.
    expect(Export.partitionsOf(since, until, 2)).toEqual([
      created("<", "2024-01-03T00:00:00Z"),
      created(">", "2024-01-03T00:00:00Z", 1)
    ])
    expect(Export.partitionsOf(since, until, 3)).toEqual([
      created("<", "2024-01-02T00:00:00Z"),
      { operator: "AND", value: [created(">", "2024-01-02T00:00:00Z", 1), created("<", "2024-01-04T00:00:00Z")] },
      created(">", "2024-01-04T00:00:00Z", 1)
    ])
    // `until` on a midnight ends the days there: two days, so two ranges however many were asked for.
    expect(Export.partitionsOf(at("2024-01-01T00:00:00Z"), at("2024-01-03T00:00:00Z"), 5)).toHaveLength(2)
    expect(Export.partitionsOf(since, until, 1)).toEqual([{ field: "created_at", operator: ">", value: -1 }])
  })
})

describe("Export.run", () => {
  it.scopedLive(
    "20,000 contacts into SQLite under a window limit: each exactly once, no 429 at the server",
    () =>
      Effect.gen(function* () {
        const file = path.join(tempDir("sqlite"), "export.sqlite")
        const { summary, counters, seed } = yield* exportInto(ExportSqlite.layer(file))
        assert.strictEqual(summary.stored.contacts, 20_000)
        assert.strictEqual(summary.stored.companies, seed.companies)
        assert.strictEqual(summary.stored.conversations, seed.conversations)
        assert.strictEqual(counters.responses[429] ?? 0, 0)
        assert.isAtMost(counters.maxPerWindow, limit.limit)
        const ids = yield* ExportSqlite.ids(file, "contacts")
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
        const { summary, counters, seed } = yield* exportInto(ExportSqlite.layer(file), {
          resources: ["contacts"],
          partitions: 6,
          concurrency: 3,
          since,
          until
        })
        assert.strictEqual(summary.stored.contacts, seed.contacts.size)
        assert.deepStrictEqual(new Set(yield* ExportSqlite.ids(file, "contacts")), seed.contacts)
        assert.strictEqual(counters.responses[429] ?? 0, 0)
      }).pipe(Effect.provide(mock({ contacts: 3_000, rateLimit: limit }))),
    { timeout: 120_000 }
  )

  it.scopedLive(
    "in a workspace east of UTC, partitions on its own days store every contact; on UTC days, those of the bounds' days are lost",
    () =>
      Effect.gen(function* () {
        // The living mock compares search dates by whole days of the workspace's timezone, as Intercom does. A range
        // ending at a UTC midnight then ends on the local day holding it, and the next range starts the day after:
        // in Tokyo (UTC+9) the local day of every bound is in neither range.
        const partitioned = (timeZone: string) =>
          exportInto(ExportSqlite.layer(path.join(tempDir(`tz-${timeZone.replace("/", "-")}`), "export.sqlite")), {
            resources: ["contacts"],
            partitions: 6,
            timeZone
          })
        const local = yield* partitioned("Asia/Tokyo")
        assert.strictEqual(local.summary.stored.contacts, local.seed.contacts.size)
        const utc = yield* partitioned("UTC")
        assert.isBelow(utc.summary.stored.contacts, utc.seed.contacts.size)
        yield* Effect.log(
          `6 partitions in Asia/Tokyo: ${local.summary.stored.contacts} of ${local.seed.contacts.size} contacts on its days, ${utc.summary.stored.contacts} on UTC days`
        )
      }).pipe(
        Effect.provide(
          mock({ contacts: 3_000, rateLimit: limit, living: { timezone: "Asia/Tokyo", start: Date.UTC(2026, 5, 1) } })
        )
      ),
    { timeout: 120_000 }
  )

  it.scopedLive("into NDJSON: one line per item, each once", () =>
    Effect.gen(function* () {
      const dir = tempDir("ndjson")
      const { summary, seed } = yield* exportInto(ExportNdjson.layer(dir))
      const lines = fs.readFileSync(path.join(dir, "contacts.ndjson"), "utf8").trimEnd().split("\n")
      const ids = lines.map((line) => (JSON.parse(line) as { id: string }).id)
      assert.strictEqual(summary.stored.contacts, 1_500)
      assert.deepStrictEqual(new Set(ids), seed.contacts)
      assert.strictEqual(ids.length, 1_500)
    }).pipe(Effect.provide(mock({ contacts: 1_500, companies: 50, conversations: 200, rateLimit: limit })))
  )

  it.scopedLive("a finished export run again fetches nothing and says so", () =>
    Effect.gen(function* () {
      const file = path.join(tempDir("again"), "export.sqlite")
      yield* exportInto(ExportSqlite.layer(file))
      const m = yield* MockIntercom.MockIntercom
      yield* m.counters.reset
      const { summary, counters } = yield* exportInto(ExportSqlite.layer(file))
      assert.strictEqual(summary.pages, 0)
      assert.strictEqual(summary.skipped, 3)
      assert.strictEqual(counters.requests, 0)
    }).pipe(Effect.provide(mock({ contacts: 400, companies: 20, conversations: 50 })))
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
        Effect.provide(exportLayer(m.url, ExportNdjson.layer(dir), { config: noRetries, reporter: reporter.layer }))
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
          Effect.provide(exportLayer(m.url, ExportNdjson.layer(tempDir("impatient")), { config: noRetries }))
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
        ).pipe(Effect.provide(intercom(m.url)))
        assert.deepStrictEqual(found, Option.some(oldest))
        assert.isAtMost((yield* m.counters.snapshot).requests, 16)

        const dir = tempDir("plan")
        const run = (partitions: number) =>
          Export.run({ ...Export.defaults, resources: ["contacts"], partitions }).pipe(
            Effect.provide(exportLayer(m.url, ExportNdjson.layer(dir)))
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

  it.scopedLive(
    "partitions are cut where the contacts were created, the bounds stored with the plan and not asked for again",
    () =>
      Effect.gen(function* () {
        const m = yield* MockIntercom.MockIntercom
        // The seed's contacts were created in the two years before mid-2024: even runs of days from 2011 would leave
        // the first three of four partitions empty and all of them in the last.
        const created = m.state.contacts.values().map((record) => record.contact.created_at)
        const dir = tempDir("balanced")
        const run = Export.run({
          ...Export.defaults,
          resources: ["contacts"],
          partitions: 4,
          perPage: 50,
          since: at("2011-01-01T00:00:00Z")
        }).pipe(Effect.provide(exportLayer(m.url, ExportNdjson.layer(dir))))
        const first = yield* run
        assert.strictEqual(first.stored.contacts, created.length)
        const checkpoint = JSON.parse(fs.readFileSync(path.join(dir, "checkpoint.json"), "utf8")) as {
          plan: { contacts: { bounds?: ReadonlyArray<number> } }
        }
        const bounds = checkpoint.plan.contacts.bounds ?? []
        assert.lengthOf(bounds, 5)
        const held = bounds
          .slice(0, -1)
          .map(
            (from, i) =>
              created.filter((t) => (i === 0 || t >= from) && (i === bounds.length - 2 || t < bounds[i + 1]!)).length
          )
        for (const n of held) assert.closeTo(n, created.length / 4, created.length / 8, `partitions hold ${held}`)
        yield* m.counters.reset
        const again = yield* run
        assert.strictEqual(again.skipped, 4)
        assert.strictEqual((yield* m.counters.snapshot).requests, 0)
      }).pipe(Effect.provide(mock({ contacts: 1_200 })))
  )
})
