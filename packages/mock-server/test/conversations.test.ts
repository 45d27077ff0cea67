/**
 * Conversations through the SDK's services: create as a contact, get with parts, reply as a contact and an admin,
 * close, snooze, open and assign, tags, list every one by cursor, search.
 */
import { assert, describe, it } from "@effect/vitest"
import { SearchQuery } from "@intercom-effect/schemas"
import { Conversations } from "@intercom-effect/services"
import { Chunk, Effect, Stream } from "effect"
import { MockIntercom } from "../src/index.js"
import { mock, withServices } from "./utils/mock.js"

describe("conversations", () => {
  it.scopedLive("create, reply, manage and tag a conversation; parts come back in order", () =>
    Effect.gen(function* () {
      const conversations = yield* Conversations.Conversations
      const m = yield* MockIntercom.MockIntercom
      const contact = m.state.contacts.values((r) => r.contact.role === "user")[0]!
      const [admin, other] = m.state.admins
      const team = m.state.teams[0]!

      const message = yield* conversations.create({ from: { type: "user", id: contact.id }, body: "Help, please" })
      assert.strictEqual(message.body, "Help, please")
      const id = message.conversation_id
      const fresh = yield* conversations.get(id)
      assert.deepStrictEqual([fresh.state, fresh.open, fresh.source?.author?.id], ["open", true, contact.id])
      assert.deepStrictEqual(
        fresh.contacts?.contacts?.map((c) => c.id),
        [contact.id]
      )

      yield* conversations.reply(id, { message_type: "comment", type: "admin", admin_id: admin!.id, body: "On it" })
      yield* conversations.reply(id, { message_type: "note", type: "admin", admin_id: admin!.id, body: "internal" })
      yield* conversations.reply(id, {
        message_type: "comment",
        type: "user",
        intercom_user_id: contact.id,
        body: "Thanks"
      })
      const assigned = yield* conversations.manage(id, {
        message_type: "assignment",
        type: "admin",
        admin_id: admin!.id,
        assignee_id: other!.id
      })
      assert.strictEqual(assigned.admin_assignee_id, Number(other!.id))
      yield* conversations.manage(id, {
        message_type: "assignment",
        type: "team",
        admin_id: admin!.id,
        assignee_id: team.id
      })
      const snoozed = yield* conversations.manage(id, {
        message_type: "snoozed",
        admin_id: admin!.id,
        snoozed_until: 4_102_444_800
      })
      assert.deepStrictEqual([snoozed.state, snoozed.snoozed_until], ["snoozed", 4_102_444_800])
      const closed = yield* conversations.manage(id, { message_type: "close", type: "admin", admin_id: admin!.id })
      assert.deepStrictEqual([closed.state, closed.open], ["closed", false])
      const reopened = yield* conversations.manage(id, { message_type: "open", admin_id: admin!.id })
      assert.strictEqual(reopened.state, "open")

      const tag = m.state.tags.values().next().value!
      const applied = yield* conversations.attachTag(id, { id: tag.id, admin_id: admin!.id })
      assert.deepStrictEqual([applied.id, applied.applied_by?.id], [tag.id, admin!.id])
      assert.deepStrictEqual(
        (yield* conversations.get(id)).tags?.tags?.map((t) => t.id),
        [tag.id]
      )
      yield* conversations.detachTag(id, tag.id, { admin_id: admin!.id })

      const full = yield* conversations.get(id)
      assert.deepStrictEqual(
        full.conversation_parts?.conversation_parts?.map((p) => p.part_type),
        ["comment", "note", "comment", "assignment", "assignment", "snoozed", "close", "open"]
      )
      assert.deepStrictEqual(full.tags?.tags, [])
      assert.deepStrictEqual([full.admin_assignee_id, full.team_assignee_id], [Number(other!.id), Number(team.id)])
      assert.strictEqual((yield* Effect.flip(conversations.get("999999999")))._tag, "NotFound")
    }).pipe(withServices, Effect.provide(mock({ contacts: 20, conversations: 5 })))
  )

  it.scopedLive("list every conversation by cursor, and search", () =>
    Effect.gen(function* () {
      const conversations = yield* Conversations.Conversations
      const m = yield* MockIntercom.MockIntercom
      const seeded = m.state.conversations.values()
      const listed = yield* Stream.runCollect(conversations.list({ per_page: 40 }).items)
      assert.deepStrictEqual(
        Chunk.toReadonlyArray(listed).map((c) => c.id),
        seeded.map((r) => r.id)
      )
      // Lists carry no parts.
      assert.isUndefined(Chunk.unsafeGet(listed, 0).conversation_parts)

      const admin = Number(m.state.admins[2]!.id)
      const query = SearchQuery.and(
        SearchQuery.field("state").in(["open", "snoozed"]),
        SearchQuery.or(
          SearchQuery.field("admin_assignee_id").eq(admin),
          SearchQuery.field("source.subject").contains("invoice")
        )
      )
      const found = yield* Stream.runCollect(conversations.search(query, { per_page: 7 }).items)
      const expected = seeded.filter(
        (r) =>
          (r.conversation.state === "open" || r.conversation.state === "snoozed") &&
          (r.conversation.admin_assignee_id === admin ||
            (r.conversation.source?.subject ?? "").toLowerCase().includes("invoice"))
      )
      assert.isAbove(expected.length, 7)
      assert.deepStrictEqual(
        Chunk.toReadonlyArray(found).map((c) => c.id),
        expected.map((r) => r.id)
      )
      const contact = seeded[0]!.contacts[0]!
      const ofContact = yield* Stream.runCollect(
        conversations.search(SearchQuery.field("contact_ids").eq(contact)).items
      )
      assert.deepStrictEqual(
        Chunk.toReadonlyArray(ofContact).map((c) => c.id),
        seeded.filter((r) => r.contacts.includes(contact)).map((r) => r.id)
      )
    }).pipe(withServices, Effect.provide(mock({ contacts: 100, conversations: 300 })))
  )
})
