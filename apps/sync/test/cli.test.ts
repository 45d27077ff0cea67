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
    "answers --help without a token; a missing token is one line naming the variable, and leaves no store",
    () =>
      Effect.gen(function* () {
        const { sync } = yield* bundles
        const help = yield* start(sync, ["--help"], noToken).ended
        assert.strictEqual(help.code, 0)
        for (const command of ["run", "watch", "status"]) assert.include(help.stdout, command)
        const database = join(mkdtempSync(join(tmpdir(), "intercom-sync-cli-")), "copy.sqlite")
        const failed = yield* start(sync, ["run", `--database=${database}`], { ...noToken, INTERCOM_ACCESS_TOKEN: "" })
          .ended
        assert.strictEqual(failed.code, 1)
        assert.deepStrictEqual(lines(failed.stderr).length, 1, failed.stderr)
        assert.include(failed.stderr, "INTERCOM_ACCESS_TOKEN")
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

        const first = start(sync, args, env)
        yield* written(first, /starting run-1/)
        yield* Effect.sleep("1 second")
        first.child.kill("SIGINT")
        const stopped = yield* first.ended
        assert.strictEqual(stopped.code, 130, stopped.stderr)
        assert.match(lines(stopped.stderr).at(-1)!, /stopped; run-1 is saved and `intercom-sync run --resume` goes on/)
        // The token never shows, whatever was printed.
        assert.notInclude(stopped.stdout + stopped.stderr, mock.token)

        const again = yield* start(sync, args, env).ended
        assert.strictEqual(again.code, 1)
        assert.match(again.stderr, /an unfinished run \(run-1, started .*\) is in this store.*--resume.*--restart/)
        const mixed = yield* start(sync, [...args.slice(0, -1), "--partitions=3", "--resume"], env).ended
        assert.strictEqual(mixed.code, 1)
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
        const args = ["watch", `--database=${database}`, "--every=8s"]
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
        // run-2 started when run-1's durable clock said, 8 s after run-1 started (seconds, as stored), not at once.
        const status = yield* start(sync, ["status", `--database=${database}`], {}).ended
        const startedAt = (run: string) => {
          const match = new RegExp(`${run} +\\w+ +window up to \\S+, started ([0-9TZ:.-]+)`).exec(status.stdout)
          assert.isNotNull(match, status.stdout)
          return Date.parse(match![1]!)
        }
        assert.isAtLeast(startedAt("run-2") - startedAt("run-1"), 7_000)
      }).pipe(Effect.scoped),
    { timeout: 180_000 }
  )
})
