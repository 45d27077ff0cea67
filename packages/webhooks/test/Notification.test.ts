import { assert, describe, it } from "@effect/vitest"
import { Effect, Either, Schema } from "effect"
import { Notification } from "../src/index.js"
import { contact, conversation, notification, ticket } from "./utils/fixtures.js"

const decode = (value: unknown) => Notification.decodeUnknown(value)

describe("Notification", () => {
  it("decodes the envelope and a conversation item, keeping fields neither schema names", () => {
    const wire = { ...notification("conversation.admin.closed", conversation("7001")), sent_by_region: "eu" }
    const decoded = Either.getOrThrow(decode(wire))
    assert.strictEqual(decoded._tag, "conversation.admin.closed")
    assert.strictEqual(decoded.topic, "conversation.admin.closed")
    assert.strictEqual(decoded.app_id, "wkspc1")
    assert.strictEqual(decoded.created_at, 1_733_000_301)
    assert.strictEqual(decoded.delivery_attempts, 1)
    assert.strictEqual(decoded["sent_by_region"], "eu")
    if (!Notification.is(decoded, "conversation.admin.closed")) return assert.fail("not narrowed")
    assert.strictEqual(decoded.data.item.id, "7001")
    assert.strictEqual(decoded.data.item.team_assignee_id, 5017) // a numeric string, decoded as the schema says
    assert.strictEqual(decoded.data.item["ai_agent_participated"], false)
  })

  it("decodes contact, ticket and ping items with their schemas", () => {
    const lead = Either.getOrThrow(decode(notification("contact.lead.created", contact("c-1", "lead"))))
    assert.isTrue(Notification.is(lead, "contact.lead.created") && lead.data.item.role === "lead")
    const opened = Either.getOrThrow(decode(notification("ticket.created", ticket("t-9"))))
    assert.isTrue(Notification.is(opened, "ticket.created") && opened.data.item.ticket_state === "submitted")
    const ping = Either.getOrThrow(decode(notification("ping", { type: "ping", message: "are you there?" })))
    assert.isTrue(Notification.is(ping, "ping") && ping.data.item.message === "are you there?")
  })

  it("keeps an unknown topic, or one whose item is not modelled, with its item as parsed", () => {
    for (const [topic, item] of [
      ["call.started", { type: "call", id: 5, nested: { any: ["thing"] } }],
      ["conversation.deleted", { id: "7001" }],
      ["contact.deleted", { type: "contact", id: "c-1", external_id: null }]
    ] as const) {
      const decoded = Either.getOrThrow(decode(notification(topic, item)))
      assert.strictEqual(decoded._tag, "UnknownTopic")
      assert.strictEqual(decoded.topic, topic)
      assert.deepStrictEqual(decoded.data.item, item)
    }
  })

  it("fails a known topic whose item does not decode, at the item's field, rather than calling it unknown", () => {
    const { id: _, ...withoutId } = conversation("7001")
    const result = decode(notification("conversation.user.replied", withoutId))
    assert.isTrue(Either.isLeft(result))
    if (Either.isRight(result)) return
    assert.strictEqual(result.left.reason, "NotANotification")
    assert.deepStrictEqual(result.left.fieldPath, ["data", "item", "id"])
    assert.match(result.left.message, /at data\.item\.id/)
  })

  it("fails what is not a notification envelope", () => {
    for (const [value, path] of [
      [{ hello: "world" }, []],
      [notification("ping", {}, { type: "something_else" }), ["type"]],
      [notification("ping", { type: "ping" }, { data: { item: { type: "ping" } } }), ["data", "type"]],
      [notification("ping", { type: "ping" }, { id: 42 }), ["id"]],
      [[1, 2, 3], []],
      [null, []]
    ] as const) {
      const result = decode(value)
      assert.isTrue(Either.isLeft(result), JSON.stringify(value))
      if (Either.isLeft(result)) {
        assert.strictEqual(result.left._tag, "InvalidNotification")
        assert.strictEqual(result.left.reason, "NotANotification")
        if (path.length > 0) assert.deepStrictEqual(result.left.fieldPath, path)
      }
    }
  })

  it.effect("parses raw bodies, and tells a body that is not JSON apart without quoting it", () =>
    Effect.gen(function* () {
      const ok = yield* Notification.decode(JSON.stringify(notification("ping", { type: "ping" })))
      assert.strictEqual(ok._tag, "ping")
      const text = yield* Effect.flip(Notification.decode("customer said: not json"))
      assert.strictEqual(text.reason, "NotJson")
      assert.notInclude(text.message, "customer")
      const bytes = yield* Effect.flip(Notification.decode(Uint8Array.from([0x7b, 0xff, 0x7d])))
      assert.strictEqual(bytes.reason, "NotJson")
      assert.match(bytes.issue, /UTF-8/)
    })
  )

  it("encodes back to the wire shape, without the _tag", () => {
    const wire = notification("contact.user.created", contact("c-2", "user"))
    const decoded = Either.getOrThrow(decode(wire))
    const encoded = Schema.encodeSync(Notification.Notification)(decoded)
    assert.notProperty(encoded, "_tag")
    assert.deepStrictEqual<unknown>(encoded, wire)
  })

  it("decodes as the Notification union schema does, for every topic and for failures alike", () => {
    const viaUnion = Schema.decodeUnknownEither(Notification.Notification)
    const samples: ReadonlyArray<unknown> = [
      ...Notification.conversationTopics.map((topic) => notification(topic, conversation("1"))),
      ...Notification.contactTopics.map((topic) => notification(topic, contact("2", "user"))),
      ...Notification.ticketTopics.map((topic) => notification(topic, ticket("3"))),
      ...Notification.companyTopics.map((topic) => notification(topic, { type: "company", id: "4", name: "Acme" })),
      notification("ping", { type: "ping" }),
      notification("admin.logged_in", { type: "admin", id: "5" }),
      notification("conversation.user.created", { type: "conversation" }),
      notification("contact.lead.created", conversation("6")),
      { type: "notification_event" }
    ]
    for (const sample of samples) {
      const ours = decode(sample)
      const theirs = viaUnion(sample)
      assert.strictEqual(Either.isRight(ours), Either.isRight(theirs), JSON.stringify(sample).slice(0, 120))
      if (Either.isRight(ours) && Either.isRight(theirs)) assert.deepStrictEqual(ours.right, theirs.right)
    }
  })

  it("lists each modelled topic once", () => {
    const all = [
      ...Notification.conversationTopics,
      ...Notification.contactTopics,
      ...Notification.ticketTopics,
      ...Notification.companyTopics,
      "ping"
    ]
    assert.strictEqual(new Set(all).size, all.length)
    assert.strictEqual(Notification.knownTopics.size, all.length)
    assert.isTrue(Notification.isKnownTopic("conversation.user.replied"))
    assert.isFalse(Notification.isKnownTopic("conversation.deleted"))
  })
})
