/**
 * `Conversations.getWithAllParts` against the mock Intercom, which returns a conversation's 500 most recent parts and
 * their total as Intercom does: a short conversation comes whole, a long one says how many older parts cannot be had,
 * and `onMissing: "fail"` turns that into an error.
 */
import { assert, describe, it } from "@effect/vitest"
import type { ConversationPart } from "@intercom-effect/schemas"
import { Effect } from "effect"
import { Conversations } from "../src/index.js"
import { type Mock, withMock } from "./utils/mock.js"
import { type All, withServices } from "./utils/services.js"

const run = <A, E>(f: (mock: Mock, services: All) => Effect.Effect<A, E>) =>
  withMock({ seed: 18, contacts: 10, companies: 2, conversations: 3 }, (mock) =>
    withServices(mock.url, (services) => f(mock, services))
  )

/** Gives the mock's conversation `count` parts in all (test setup, straight into its state). */
const growTo = (mock: Mock, id: string, count: number) => {
  const record = mock.state.conversations.get(id)!
  const template: ConversationPart = record.parts[0]!
  for (let n = record.parts.length; n < count; n++) {
    record.parts.push({ ...template, id: `grown-${n}`, created_at: (template.created_at ?? 0) + n })
  }
  mock.state.touch()
  return record.parts
}

describe("Conversations.getWithAllParts", () => {
  it.live("a conversation within the limit comes with every part", () =>
    run((mock, services) =>
      Effect.gen(function* () {
        const record = mock.state.conversations.values()[0]!
        const parts = growTo(mock, record.id, 120)
        const whole = yield* services.Conversations.getWithAllParts(record.id)
        assert.strictEqual(whole.coverage._tag, "Complete")
        assert.strictEqual(whole.totalCount, 120)
        assert.deepStrictEqual(
          whole.parts.map((p) => p.id),
          parts.map((p) => p.id)
        )
        assert.strictEqual(whole.conversation.id, record.id)
      })
    )
  )

  it.live("a longer one has its 500 most recent parts and says how many older ones are missing", () =>
    run((mock, services) =>
      Effect.gen(function* () {
        const record = mock.state.conversations.values()[1]!
        const parts = growTo(mock, record.id, 640)
        const got = yield* services.Conversations.getWithAllParts(record.id)
        assert.strictEqual(got.parts.length, Conversations.partsLimit)
        assert.strictEqual(got.totalCount, 640)
        assert.deepStrictEqual(got.coverage, Conversations.Coverage.OlderPartsMissing({ missing: 140 }))
        assert.deepStrictEqual(
          got.parts.map((p) => p.id),
          parts.slice(-500).map((p) => p.id)
        )
        const error = yield* Effect.flip(services.Conversations.getWithAllParts(record.id, { onMissing: "fail" }))
        assert.strictEqual(error._tag, "OlderPartsMissing")
        if (error._tag !== "OlderPartsMissing") return
        assert.strictEqual(error.missing, 140)
        assert.strictEqual(error.returned, 500)
        assert.include(error.message, "140 older parts")
        const matched = Conversations.Coverage.$match(got.coverage, {
          Complete: () => "complete",
          OlderPartsMissing: ({ missing }) => `missing ${missing}`
        })
        assert.strictEqual(matched, "missing 140")
      })
    )
  )
})
