/**
 * `intercom-sync` as a user meets it: help without a token, one line for a failure, Ctrl-C that says where the run
 * stands and exits 130, an unfinished run that is neither overwritten nor mixed with another plan, `status`, and
 * `watch` whose next window waits on a durable clock even across a kill.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { existsSync, mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as LivingMock from "./utils/LivingMock.js"
import { bundles, start, written } from "./utils/procs.js"

const noToken = { INTERCOM_ACCESS_TOKEN: "", INTERCOM_BASE_URL: "" }
const lines = (text: string) => text.split("\n").filter((line) => line.trim() !== "")

const workspace: LivingMock.Options = {
  seed: 41,
  contacts: 2_000,
  companies: 40,
  conversations: 100,
  tickets: 20,
  start: Date.UTC(2026, 8, 1),
  limit: 40,
  window: "1s"
}

describe("intercom-sync", () => {
  it.live(
    "answers --help without a token; a missing token or a bad flag is one line (exit 2), and leaves no store",
    () =>
      Effect.gen(function* () {
        const { sync } = yield* bundles
        const help = yield* start(sync, ["--help"], noToken).ended
        assert.strictEqual(help.code, 0)
        for (const command of ["run", "watch", "status"]) assert.include(help.stdout, command)
        const database = join(mkdtempSync(join(tmpdir(), "intercom-sync-cli-")), "copy.sqlite")
        const failed = yield* start(sync, ["run", `--database=${database}`], { ...noToken, INTERCOM_ACCESS_TOKEN: "" })
          .ended
        assert.strictEqual(failed.code, 2)
        assert.deepStrictEqual(lines(failed.stderr), [
          "intercom-sync: INTERCOM_ACCESS_TOKEN is invalid: the access token is empty. Correct it (set INTERCOM_ACCESS_TOKEN)"
        ])
        assert.isFalse(existsSync(database))
        // Bad values are refused while the command line is read: the flag named, nothing opened or sent.
        const refused = [
          [["--per-page=0"], "--per-page: 0 is below 1"],
          [["--timezone=Mars/Olympus"], '--timezone: "Mars/Olympus" is not a timezone name'],
          [["--search-lag=soon"], '--search-lag: "soon" is not a duration'],
          [["--resource=users"], '--resource: "users" is not one of contacts, companies, conversations, tickets'],
          [["--resume", "--restart"], "--resume and --restart exclude each other"]
        ] as const
        for (const [flags, said] of refused) {
          const bad = yield* start(sync, ["run", `--database=${database}`, ...flags], {
            ...noToken,
            INTERCOM_ACCESS_TOKEN: "t"
          }).ended
          assert.strictEqual(bad.code, 2, bad.stderr)
          assert.strictEqual(lines(bad.stderr).length, 1, bad.stderr)
          assert.include(bad.stderr, said)
        }
        assert.isFalse(existsSync(database))
        const status = yield* start(sync, ["status", `--database=${database}`], noToken).ended
        assert.strictEqual(status.code, 2)
        assert.match(status.stderr, /copy\.sqlite does not exist\. Pass the --database of a copy/)
        assert.isFalse(existsSync(database))
      }),
    { timeout: 120_000 }
  )

  it.live(
    "Ctrl-C stops a run with exit 130 and says so; the run is neither overwritten nor mixed, and resumes",
    () =>
      Effect.gen(function* () {
        const mock = yield* LivingMock.start(workspace)
        const { sync } = yield* bundles
        const env = { INTERCOM_ACCESS_TOKEN: mock.token, INTERCOM_BASE_URL: mock.url }
        const database = join(mkdtempSync(join(tmpdir(), "intercom-sync-cli-")), "copy.sqlite")
        const args = ["run", `--database=${database}`, "--per-page=50", "--partitions=2"]

        const before = (yield* mock.counters).requests
        const first = start(sync, args, env)
        yield* written(first, /starting run-1/)
        const stopped = yield* LivingMock.stopAfter(mock, first, before, 10, "SIGINT")
        assert.strictEqual(stopped.code, 130, stopped.stderr)
        assert.match(
          lines(stopped.stderr).at(-1)!,
          /^intercom-sync: stopped by Ctrl-C \(SIGINT\); run-1 is saved and `intercom-sync run --resume` goes on/
        )
        // The token never shows, whatever was printed.
        assert.notInclude(stopped.stdout + stopped.stderr, mock.token)

        const again = yield* start(sync, args, env).ended
        assert.strictEqual(again.code, 2)
        assert.match(again.stderr, /an unfinished run \(run-1, started .*\) is in this store.*--resume.*--restart/)
        const mixed = yield* start(sync, [...args.slice(0, -1), "--partitions=3", "--resume"], env).ended
        assert.strictEqual(mixed.code, 2)
        assert.include(mixed.stderr, "partitions 3 (stored: 2)")

        const resumed = yield* start(sync, [...args, "--resume"], env).ended
        assert.strictEqual(resumed.code, 0, resumed.stderr)
        assert.match(resumed.stdout, /^run-1 \(resumed\): synced up to .*\n {2}changed: contacts 2,000 fetched/)
        const status = yield* start(sync, ["status", `--database=${database}`], {}).ended
        assert.strictEqual(status.code, 0, status.stderr)
        assert.match(status.stdout, /contacts +2,000 stored, synced up to 2026-09-01T00:00:00Z/)
        assert.match(status.stdout, /run-1 +done/)
      }).pipe(Effect.scoped),
    { timeout: 180_000 }
  )

  it.live(
    "watch runs a window every --every; killed while it waits, it waits out the same durable clock",
    () =>
      Effect.gen(function* () {
        const mock = yield* LivingMock.start({ ...workspace, contacts: 200, limit: 1_000 })
        const { sync } = yield* bundles
        const env = { INTERCOM_ACCESS_TOKEN: mock.token, INTERCOM_BASE_URL: mock.url }
        const database = join(mkdtempSync(join(tmpdir(), "intercom-sync-watch-")), "copy.sqlite")
        const args = ["watch", `--database=${database}`, "--every=20s"]
        const watching = start(sync, args, env)
        yield* written(watching, /^run-1: synced up to/m, "stdout")
        // Killed while run-1's workflow sleeps until the next window is due.
        watching.child.kill("SIGKILL")
        yield* watching.ended
        const restarted = start(sync, args, env)
        yield* written(restarted, /^run-2: synced up to/m, "stdout")
        restarted.child.kill("SIGINT")
        const ended = yield* restarted.ended
        assert.strictEqual(ended.code, 130, ended.stderr)
        assert.include(ended.stderr, "run-1 is done; waiting until the next window is due")
        // run-2 started when run-1's durable clock said, 20 s after run-1 started (seconds, as stored), not at once.
        // (20 s: long enough that even a loaded machine restarts the process while run-1 still sleeps.)
        const status = yield* start(sync, ["status", `--database=${database}`], {}).ended
        const startedAt = (run: string) => {
          const match = new RegExp(`${run} +\\w+ +window up to \\S+, started ([0-9TZ:.-]+)`).exec(status.stdout)
          assert.isNotNull(match, status.stdout)
          return Date.parse(match![1]!)
        }
        assert.isAtLeast(startedAt("run-2") - startedAt("run-1"), 19_000)
      }).pipe(Effect.scoped),
    { timeout: 180_000 }
  )
})
