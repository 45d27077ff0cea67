/**
 * The demo's local run, smaller: the export against the embedded mock stores every item once and draws no 429.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import * as os from "node:os"
import * as path from "node:path"
import { local, remoteFile } from "../src/Demo.js"

describe("demo", () => {
  it.live(
    "exports the seeded workspace from the embedded mock: every item once, no response 429",
    () =>
      Effect.gen(function* () {
        const report = yield* local({
          contacts: 1_500,
          conversations: 300,
          companies: 40,
          limit: 5,
          window: "1 second",
          partitions: 3,
          tty: false
        })
        assert.deepStrictEqual(report.summary.stored, report.seeded)
        assert.strictEqual(report.rateLimited, 0)
        assert.isAtMost(report.maxPerWindow, 5)
        // 15 or more requests at 5 a second take at least 2 s, less how far into its window the export started
        // (at most 1 s): the run paced itself instead of drawing 429s.
        assert.isAtLeast(report.minimumMillis, 1_000)
        assert.isAtLeast(report.millis, report.minimumMillis)
      }),
    { timeout: 60_000 }
  )

  it("keeps a real workspace's export in the user's cache directory, never in the working directory", () => {
    assert.strictEqual(remoteFile({ XDG_CACHE_HOME: "/var/cache/me" }), "/var/cache/me/intercom-effect/demo.sqlite")
    assert.strictEqual(remoteFile({}), path.join(os.homedir(), ".cache", "intercom-effect", "demo.sqlite"))
  })
})
