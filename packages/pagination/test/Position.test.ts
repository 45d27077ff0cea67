import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Schema } from "effect"
import { Position } from "../src/index.js"

describe("Position", () => {
  const positions: ReadonlyArray<Position.Position> = [
    Position.cursor("WzE3MDAwMDAwMDAsIjEyMyJd"),
    Position.pageNumber(3),
    Position.scroll("e8d3b3a2-scroll"),
    Position.nextUrl("https://api.intercom.io/events?per_page=50&next=abc")
  ]

  it.effect("round-trips through JSON", () =>
    Effect.gen(function* () {
      for (const position of positions) {
        const json = Position.toJson(position)
        assert.deepStrictEqual(JSON.parse(json), { ...position })
        assert.deepStrictEqual(yield* Position.fromJson(json), position)
      }
    })
  )

  it.effect("rejects what is not a position", () =>
    Effect.gen(function* () {
      for (const bad of [
        "{}",
        "not json",
        '{"_tag":"Cursor","startingAfter":""}',
        '{"_tag":"PageNumber","page":0}',
        '{"_tag":"PageNumber","page":1.5}',
        '{"_tag":"Offset","offset":3}'
      ]) {
        assert.isTrue(Exit.isFailure(yield* Effect.exit(Position.fromJson(bad))), bad)
      }
    })
  )

  it("the union schema narrows by tag", () => {
    assert.isTrue(Schema.is(Position.Cursor)(positions[0]))
    assert.isFalse(Schema.is(Position.Cursor)(positions[1]))
    assert.isTrue(positions.every(Schema.is(Position.Position)))
  })
})
