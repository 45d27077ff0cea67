import { assert, describe, it } from "@effect/vitest"
import { Schema } from "effect"
import { Conversation } from "@intercom-effect/schemas"
import * as Reaction from "../src/Reaction.js"
import { conversation } from "./utils/fixtures.js"

const decoded = (value: unknown) => Schema.decodeUnknownSync(Conversation)(value)

describe("Reaction", () => {
  it("reads the text of an HTML body", () => {
    assert.strictEqual(Reaction.textOf("<p>Fish &amp; chips&#33; &lt;3 &#x2713;</p>").trim(), "Fish & chips! <3 ✓")
  })

  it("looks at the customer's messages only: the opening one of a new conversation, and user or lead parts", () => {
    const item = decoded(
      conversation("c-1", "<p>opening</p>", [
        ["admin", "<p>admin says</p>"],
        ["bot", "<p>bot says</p>"],
        ["lead", "<p>lead says</p>"],
        ["user", "<p>user says</p>"]
      ])
    )
    assert.deepStrictEqual(Reaction.customerMessages("conversation.user.created", item), [
      "<p>opening</p>",
      "<p>lead says</p>",
      "<p>user says</p>"
    ])
    assert.deepStrictEqual(Reaction.customerMessages("conversation.user.replied", item), [
      "<p>lead says</p>",
      "<p>user says</p>"
    ])
  })

  it("finds the keyword ignoring case, in text and not in markup", () => {
    assert.isTrue(Reaction.mentions(["<p>Where is my <b>REFUND</b>?</p>"], "refund"))
    assert.isTrue(Reaction.mentions(["<p>nothing</p>", "refunds, please"], "Refund"))
    assert.isFalse(Reaction.mentions(['<a href="/refund">policy</a>'], "refund"))
    assert.isFalse(Reaction.mentions([], "refund"))
  })
})
