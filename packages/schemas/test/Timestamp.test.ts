import { assert, describe, it } from "@effect/vitest"
import { DateTime, Schema } from "effect"
import { Timestamp } from "../src/index.js"

describe("Timestamp", () => {
  it("converts unix seconds to DateTime and back", () => {
    const dt = Timestamp.toDateTime(1717021758)
    assert.strictEqual(DateTime.formatIso(dt), "2024-05-29T22:29:18.000Z")
    assert.strictEqual(Timestamp.fromDateTime(dt), 1717021758)
  })

  it.prop("round-trips any unix-seconds value", [Timestamp.UnixSeconds], ([seconds]) => {
    const decoded = Schema.decodeSync(Timestamp.DateTimeFromUnixSeconds)(seconds)
    assert.strictEqual(Schema.encodeSync(Timestamp.DateTimeFromUnixSeconds)(decoded), seconds)
  })

  it("drops sub-second precision when encoding", () => {
    assert.strictEqual(Timestamp.fromDateTime(DateTime.unsafeMake(1_500_999)), 1500)
  })
})
