/**
 * The sync against a living workspace: the mock Intercom in a process of its own changes (creates, updates, merges,
 * deletes, adds conversation parts) as its clock moves, between runs and while they go. After every run, what the
 * window could see is exact; after the last, the whole copy is.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Fiber } from "effect"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Exact from "./utils/Exact.js"
import * as InProcess from "./utils/InProcess.js"
import * as LivingMock from "./utils/LivingMock.js"

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR
/** Monday 2 March 2026, 00:00 UTC, on the mock's clock. */
const start = Date.UTC(2026, 2, 2)
/** Four runs a day for five days; the last of each day ten minutes before midnight, where a day-granular search bites. */
const runTimes = Array.from({ length: 5 }, (_, day) =>
  [1 * HOUR, 7 * HOUR, 13.5 * HOUR, 23 * HOUR + 50 * MINUTE].map((t) => start + day * DAY + t)
).flat()
/** The mock goes quiet half an hour before the last run, so the last window can see everything. */
const quietAfter = runTimes[runTimes.length - 1]! - 30 * MINUTE
const mockLag = 3 * MINUTE

const workspace: LivingMock.Options = {
  seed: 15,
  contacts: 600,
  companies: 60,
  conversations: 120,
  tickets: 40,
  start,
  searchLag: "3m",
  quietAfter,
  // Two conversations grow past 500 parts over the days, 40 parts an hour: at most about 420 between two runs (the
  // longest gap is 10 h 20 min), so every part passes through the 500 newest that a fetch returns.
  longConversations: 2,
  longParts: 40,
  rates: {
    "contacts.created": 12,
    "contacts.updated": 30,
    "contacts.merged": 2,
    "contacts.deleted": 2,
    "companies.created": 2,
    "companies.updated": 4,
    "companies.deleted": 1,
    "conversations.created": 6,
    "conversations.updated": 8,
    "conversations.parts": 30,
    "conversations.deleted": 1,
    "tickets.created": 3,
    "tickets.updated": 4
  }
}

const seconds = (value: unknown): number => (typeof value === "number" ? value : 0)

/** Runs the 20 runs, checking after each; returns the last check's differences. */
const twentyRuns = (mock: LivingMock.LivingMock, filename: string) =>
  Effect.gen(function* () {
    const target = { url: mock.url, token: mock.token, filename }
    let now = yield* mock.now
    for (const [i, at] of runTimes.entries()) {
      const last = i === runTimes.length - 1
      // A long run may have carried the clock past the next run's time already: that run starts at once.
      if (at > now) yield* mock.advance(at - now)
      // While the run goes, the workspace's clock moves on: a simulated minute every 100 ms.
      const ticking = yield* Effect.fork(
        last ? Effect.void : Effect.forever(Effect.zipRight(Effect.sleep("100 millis"), mock.advance(MINUTE)))
      )
      const summary = yield* InProcess.run(target, {
        partitions: 3,
        perPage: 50,
        searchLag: "30 minutes",
        reconcileEvery: last ? 0 : "12 hours"
      })
      yield* Fiber.interrupt(ticking)
      now = yield* mock.now
      const snapshot = yield* mock.snapshot
      const stored = yield* Exact.read(filename)
      // Whatever had stopped changing when the window ended, and was old enough for search to show, is exact.
      const settled = (_resource: string, item: LivingMock.Wire) =>
        seconds(item["updated_at"]) <= summary.until &&
        seconds(item["created_at"]) * 1000 <= summary.until * 1000 - mockLag
      const found = Exact.differences(snapshot, stored, last ? {} : { only: settled, extras: false })
      assert.deepStrictEqual(found.length, 0, `run ${i + 1} (${summary.runId}): ${Exact.describe(found)}`)
      if (last) return { snapshot, stored }
    }
    return yield* Effect.dieMessage("no runs")
  })

describe("sync of a living workspace", () => {
  it.live(
    "20 runs over 5 days, with changes between and during runs, end with an exact copy",
    () =>
      Effect.gen(function* () {
        const mock = yield* LivingMock.start(workspace)
        const filename = join(mkdtempSync(join(tmpdir(), "intercom-sync-")), "copy.sqlite")
        const { snapshot, stored } = yield* twentyRuns(mock, filename)
        const items =
          snapshot.contacts.length + snapshot.companies.length + snapshot.conversations.length + snapshot.tickets.length
        const parts = snapshot.conversations.reduce(
          (n, c) =>
            n +
            ((c["conversation_parts"] as { conversation_parts?: Array<unknown> } | null)?.conversation_parts?.length ??
              0),
          0
        )
        // No row twice: every item and part the copy holds is one the workspace holds.
        assert.strictEqual(stored.rows, items + parts)
        // The workspace really lived: items were merged and deleted, and conversations grew past 500 parts.
        const longest = Math.max(
          ...snapshot.conversations.map(
            (c) =>
              (c["conversation_parts"] as { conversation_parts?: Array<unknown> } | null)?.conversation_parts?.length ??
              0
          )
        )
        assert.isAbove(longest, 500)
        assert.isAbove(snapshot.merged.length, 0)
        assert.isAbove(snapshot.removed.companies.length + snapshot.removed.conversations.length, 0)
      }).pipe(Effect.scoped),
    { timeout: 300_000 }
  )

  it.live(
    "the same with 10 % of requests failing (5xx, connections reset, bodies cut short)",
    () =>
      Effect.gen(function* () {
        const mock = yield* LivingMock.start({
          ...workspace,
          seed: 16,
          faults: { serverError: 0.04, reset: 0.03, truncate: 0.03 }
        })
        const filename = join(mkdtempSync(join(tmpdir(), "intercom-sync-")), "copy.sqlite")
        yield* twentyRuns(mock, filename)
        const counters = yield* mock.counters
        assert.isAbove(
          Object.values(counters.faults).reduce((a, b) => a + b, 0),
          0
        )
      }).pipe(Effect.scoped),
    { timeout: 300_000 }
  )
})
