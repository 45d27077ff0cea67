import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { localLayer, program } from "../src/Demo.js"

describe("demo", () => {
  it.live("calls GET /me through the HTTP layer against the in-process stand-in", () =>
    Effect.gen(function* () {
      const report = yield* Effect.provide(program("local"), localLayer)
      assert.strictEqual(report.admin.id, "1001")
      assert.strictEqual(report.admin.app?.name, "Local Demo Workspace")
      assert.match(report.requestId ?? "", /^local-\d{4}$/)
      assert.isAtMost(report.remaining ?? Infinity, 165)
    })
  )
})
