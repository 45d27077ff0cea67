/**
 * `intercom-sync` killed with SIGKILL at any moment of a run, and resumed: the copy ends exact, as one uninterrupted
 * run would have left it. A run killed on one (simulated) day and resumed the next keeps its stored plan, and the
 * next run brings the copy up to the new day, exactly.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Random } from "effect"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Exact from "./utils/Exact.js"
import * as LivingMock from "./utils/LivingMock.js"
import { bundles, start as startProcess, written } from "./utils/procs.js"

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR
const t0 = Date.UTC(2026, 4, 11)

const workspace: LivingMock.Options = {
  seed: 21,
  contacts: 3_000,
  companies: 90,
  conversations: 250,
  tickets: 80,
  start: t0,
  searchLag: "3m",
  // Changes on the first day and the second; quiet from the third day on, so the last run can see everything.
  quietAfter: t0 + 2 * DAY + 10 * MINUTE,
  // Slow enough that a run lasts a few seconds and a kill lands in the middle of it.
  limit: 60,
  window: "1s",
  rates: { "contacts.updated": 40, "contacts.created": 10, "conversations.parts": 30 },
  // A conversation is whole in the copy if it gains fewer than 500 parts between two fetches; here the longest gap is
  // the two days between the first run and the resumed second one (8 an hour: 384).
  longConversations: 2,
  longParts: 8
}

describe("intercom-sync killed and resumed", () => {
  it.live(
    "SIGKILL at 5 random moments of one run, each followed by a resume: exact; killed one day, resumed the next: exact",
    () =>
      Effect.gen(function* () {
        const mock = yield* LivingMock.start(workspace)
        const { sync } = yield* bundles
        const filename = join(mkdtempSync(join(tmpdir(), "intercom-sync-kill-")), "copy.sqlite")
        const env = { INTERCOM_ACCESS_TOKEN: mock.token, INTERCOM_BASE_URL: mock.url }
        const args = ["run", `--database=${filename}`, "--per-page=50", "--partitions=3", "--search-lag=30m"]
        const exact = (scope?: Exact.Scope) =>
          Effect.gen(function* () {
            const found = Exact.differences(yield* mock.snapshot, yield* Exact.read(filename), scope)
            assert.strictEqual(found.length, 0, Exact.describe(found))
          })
        /**
         * Starts a run and kills it once the mock has answered `requests` more requests (counted in requests, not
         * milliseconds, so the moment falls inside the run however fast the machine is), counted from the start of the
         * process or, `afterPlan`, from the moment it says its plan is stored; how it ended.
         */
        const killedAfter = (extra: ReadonlyArray<string>, requests: number, afterPlan: boolean) =>
          Effect.gen(function* () {
            const started = startProcess(sync, [...args, ...extra], env)
            if (afterPlan) yield* written(started, /^(starting|resuming) run-/m)
            const before = (yield* mock.counters).requests
            return yield* LivingMock.stopAfter(mock, started, before, requests, "SIGKILL")
          })

        /**
         * Starts a run and kills it once it has asked for a few pages: its plan is stored by then (after the one
         * call that reads Intercom's clock, before the first page); how it ended.
         */
        const killedOnceStarted = (requests: number) =>
          Effect.gen(function* () {
            const before = (yield* mock.counters).requests
            return yield* LivingMock.stopAfter(mock, startProcess(sync, args, env), before, requests, "SIGKILL")
          })

        yield* mock.advance(HOUR)
        // The moments, drawn from a fixed seed so a failure can be replayed, as requests answered: the first since the
        // process started, from before its first page (0: not even the plan is stored; planning a first sync counts
        // items by search, a few dozen requests here, to split its window evenly) to well into the run; the others
        // since the resumed process said its plan was stored. The whole run takes some 330 requests after planning;
        // five kills of at most 50 each leave part of it for the last resume.
        const moments = yield* Effect.forEach(Array.from({ length: 5 }), () => Random.nextIntBetween(0, 50)).pipe(
          Effect.withRandom(Random.make("intercom-sync-kill"))
        )
        for (const [i, requests] of moments.entries()) {
          const ended = yield* killedAfter(i === 0 ? [] : ["--resume"], requests, i > 0)
          assert.strictEqual(
            ended.signal,
            "SIGKILL",
            `kill ${i + 1} after ${requests} requests: the run had ended already`
          )
        }
        const resumed = yield* startProcess(sync, [...args, "--resume"], env).ended
        assert.strictEqual(resumed.code, 0, resumed.stderr)
        // Still the first run: every resume kept its plan.
        assert.match(resumed.stdout, /^run-1 \(resumed\): synced up to/)
        yield* exact()

        // The next day: a run is killed, the clock moves a day on (the workspace changes), the run is resumed with its
        // stored plan (its window still ends on the day it started), then the next run catches up.
        yield* mock.advance(DAY)
        const secondUntil = (yield* mock.now) / 1000
        const killed = yield* killedOnceStarted(4)
        assert.strictEqual(killed.signal, "SIGKILL")
        yield* mock.advance(DAY)
        const nextDay = yield* startProcess(sync, [...args, "--resume"], env).ended
        assert.strictEqual(nextDay.code, 0, nextDay.stderr)
        assert.match(
          nextDay.stdout,
          new RegExp(
            `^run-2 \\(resumed\\): synced up to ${new Date(secondUntil * 1000).toISOString().replace(".000Z", "Z")}`
          )
        )
        // What had settled by the window's end is exact.
        yield* exact({
          extras: false,
          only: (_resource, item) =>
            Number(item["updated_at"] ?? 0) <= secondUntil && Number(item["created_at"] ?? 0) <= secondUntil - 180
        })
        yield* mock.advance(HOUR)
        const third = yield* startProcess(sync, args, env).ended
        assert.strictEqual(third.code, 0, third.stderr)
        assert.match(third.stdout, /^run-3: synced up to/)
        yield* exact()
      }).pipe(Effect.scoped),
    { timeout: 300_000 }
  )
})
