/**
 * Responses decode tolerantly: unknown fields and enum values do not fail, nulls are accepted where the API
 * sends them, and unions tagged by a field decode by it.
 */
import { assert, describe, it } from "@effect/vitest"
import { Either, Schema } from "effect"
import {
  Contact,
  Conversation,
  ConversationOrCustomers,
  CustomerRequest,
  NewsItem,
  Newsfeed,
  PaginatedResponse,
  Ticket
} from "../src/index.js"

describe("responses", () => {
  const contact = {
    type: "contact",
    id: "c1",
    workspace_id: "w1",
    role: "user",
    created_at: 1717021758,
    updated_at: 1717021758,
    custom_attributes: { plan: "pro", seats: 3, vip: true }
  }

  it("decode to class instances with open custom_attributes", () => {
    const decoded = Schema.decodeUnknownSync(Contact)(contact)
    assert.instanceOf(decoded, Contact)
    assert.deepStrictEqual(decoded.custom_attributes, { plan: "pro", seats: 3, vip: true })
  })

  it("ignore unknown fields and keep unknown enum values as strings", () => {
    const decoded = Schema.decodeUnknownSync(Contact)({ ...contact, role: "visitor", brand_new_field: 1 })
    assert.strictEqual(decoded.role, "visitor")
  })

  it("accept null where the API sends it", () => {
    const decoded = Schema.decodeUnknownSync(Contact)({ ...contact, name: null, phone: null, avatar: null })
    assert.isNull(decoded.name)
  })

  it("still fail on what the API always sends being absent", () => {
    assert.isTrue(Either.isLeft(Schema.decodeUnknownEither(Contact)({ type: "contact" })))
  })

  it("decode ids the file types inconsistently from either form, into the declared type", () => {
    const conversation = (admin_assignee_id: unknown) =>
      Schema.decodeUnknownSync(Conversation)({ type: "conversation", id: "1", admin_assignee_id })
    assert.strictEqual(conversation(991).admin_assignee_id, 991)
    assert.strictEqual(conversation("991").admin_assignee_id, 991)
    assert.strictEqual(conversation(null).admin_assignee_id, null)
    assert.isTrue(
      Either.isLeft(Schema.decodeUnknownEither(Conversation)({ type: "conversation", id: "1", admin_assignee_id: "x" }))
    )

    const ticket = (admin_assignee_id: unknown) =>
      Schema.decodeUnknownSync(Ticket)({ type: "ticket", id: "1", admin_assignee_id })
    assert.strictEqual(ticket("991").admin_assignee_id, "991")
    assert.strictEqual(ticket(991).admin_assignee_id, "991")
    assert.strictEqual(Schema.decodeUnknownSync(Contact)({ ...contact, owner_id: "42" }).owner_id, 42)
  })

  it("decode news list items by their `type`", () => {
    const page = Schema.decodeUnknownSync(PaginatedResponse)({
      type: "list",
      data: [
        { type: "news-item", id: "1", title: "t" },
        { type: "newsfeed", id: "2", name: "n" }
      ]
    })
    assert.instanceOf(page.data?.[0], NewsItem)
    assert.instanceOf(page.data?.[1], Newsfeed)
  })

  it("decode unions tagged by which key is present structurally", () => {
    assert.deepStrictEqual(Schema.decodeUnknownSync(CustomerRequest)({ email: "a@b.c" }), { email: "a@b.c" })
    const customers = Schema.decodeUnknownSync(ConversationOrCustomers)({ customers: [{ type: "user", id: "u" }] })
    assert.isTrue("customers" in customers)
  })
})
