/**
 * Responses decode the way real Intercom traffic looks, not only the way the file describes it: nulls for unset
 * values, ids as numbers, counts as strings, shape variants (`pages.next` as a URL, a lead's avatar as a URL, the two
 * answers of GET /events), fields the file does not know. Each case runs through both decoders.
 */
import { assert, describe, it } from "@effect/vitest"
import { Either, Schema } from "effect"
import {
  Contact,
  ContactList,
  Conversation,
  ConversationList,
  ConversationOrCustomers,
  CustomerRequest,
  DataEventListOrSummary,
  Decoder,
  NewsItem,
  PaginatedResponse,
  Ticket,
  Visitor
} from "../src/index.js"

/** Decodes with both decoders, checks they agree, and returns the value. */
const decode = <A, I>(schema: Schema.Schema<A, I>, input: unknown): A => {
  const reference = Schema.decodeUnknownSync(schema)(input)
  const fast = Decoder.decodeUnknownSync(schema)(input)
  assert.deepStrictEqual(fast, reference)
  return fast
}

const fails = <A, I>(schema: Schema.Schema<A, I>, input: unknown): boolean => {
  const reference = Either.isLeft(Schema.decodeUnknownEither(schema)(input))
  assert.strictEqual(Either.isLeft(Decoder.decodeUnknownEither(schema)(input)), reference)
  return reference
}

const contact = {
  type: "contact",
  id: "6657adf76abd0167d9419d1c",
  workspace_id: "ecahpwf5",
  role: "user",
  created_at: 1717021758,
  updated_at: 1717021758,
  custom_attributes: { plan: "pro", seats: 3, vip: true }
}

describe("responses", () => {
  it("decode to plain objects with open custom_attributes", () => {
    const decoded = decode(Contact, contact)
    assert.strictEqual(Object.getPrototypeOf(decoded), Object.prototype)
    assert.deepStrictEqual(decoded.custom_attributes, { plan: "pro", seats: 3, vip: true })
  })

  it("keep unknown fields and unknown enum values", () => {
    const decoded = decode(Contact, { ...contact, role: "visitor", brand_new_field: { nested: [1, 2] } })
    assert.strictEqual(decoded.role, "visitor")
    assert.deepStrictEqual(decoded["brand_new_field"], { nested: [1, 2] })
  })

  it("accept null for every field that is not always sent, also where the file says a plain string", () => {
    const decoded = decode(Contact, { ...contact, email: null, name: null, phone: null, avatar: null, tags: null })
    assert.isNull(decoded.email)
    assert.isNull(decoded.tags)
  })

  it("still fail on what the API always sends being absent", () => {
    assert.isTrue(fails(Contact, { type: "contact" }))
    assert.isTrue(fails(Contact, { ...contact, id: null }))
  })

  it("decode ids and counts from their other lossless form, into the declared type", () => {
    const conversation = (admin_assignee_id: unknown) =>
      decode(Conversation, { type: "conversation", id: "1", admin_assignee_id }).admin_assignee_id
    assert.strictEqual(conversation(991), 991)
    assert.strictEqual(conversation("991"), 991)
    assert.strictEqual(conversation(null), null)
    assert.isTrue(fails(Conversation, { type: "conversation", id: "1", admin_assignee_id: "x" }))
    assert.isTrue(fails(Conversation, { type: "conversation", id: "1", admin_assignee_id: "1e3" }))

    const ticket = (admin_assignee_id: unknown) => decode(Ticket, { type: "ticket", id: "1", admin_assignee_id })
    assert.strictEqual(ticket("991").admin_assignee_id, "991")
    assert.strictEqual(ticket(991).admin_assignee_id, "991")
    assert.strictEqual(decode(Contact, { ...contact, id: 123456 }).id, "123456")
    assert.strictEqual(decode(Contact, { ...contact, owner_id: "42" }).owner_id, 42)
    assert.strictEqual(decode(ContactList, { type: "list", data: [], total_count: "30000" }).total_count, 30000)
    // An id beyond 2^53 lost digits in JSON.parse already: refused rather than passed on wrong.
    assert.isTrue(fails(Contact, { ...contact, id: 2 ** 53 + 2 }))
  })

  it("decode `pages.next` as a cursor, a URL or null", () => {
    const pages = (next: unknown) => decode(ContactList, { type: "list", data: [], pages: { type: "pages", next } })
    assert.deepStrictEqual(pages({ per_page: 150, starting_after: "WzE3MTcw" }).pages?.next, {
      per_page: 150,
      starting_after: "WzE3MTcw"
    })
    assert.strictEqual(
      pages("https://api.intercom.io/contacts?page=3").pages?.next,
      "https://api.intercom.io/contacts?page=3"
    )
    assert.isNull(pages(null).pages?.next)
  })

  it("decode a contact's avatar as an object, a URL or null", () => {
    assert.deepStrictEqual(decode(Contact, { ...contact, avatar: { type: "avatar", image_url: null } }).avatar, {
      type: "avatar",
      image_url: null
    })
    assert.strictEqual(
      decode(Contact, { ...contact, role: "lead", avatar: "https://static.example/a.png" }).avatar,
      "https://static.example/a.png"
    )
  })

  it("decode GET /events as the event list or the summary, by `type`", () => {
    const list = decode(DataEventListOrSummary, {
      type: "event.list",
      events: [
        {
          type: "event",
          event_name: "invited-friend",
          created_at: 1717021758,
          user_id: "314159",
          id: "event-1",
          intercom_user_id: "6657adf76abd0167d9419d1c",
          email: null,
          metadata: { invitee_email: "pi@example.org", order: { amount: 3450, currency: "eur" } }
        }
      ],
      pages: { next: "https://api.intercom.io/events?next=abc", since: "https://api.intercom.io/events?since=1" }
    })
    assert.strictEqual(list.type, "event.list")
    assert.strictEqual(list.type === "event.list" ? list.events?.[0]?.event_name : undefined, "invited-friend")
    const summary = decode(DataEventListOrSummary, {
      type: "event.summary",
      user_id: "314159",
      events: [
        { name: "invited-friend", first: "2024-05-01T10:00:00.000Z", last: "2024-05-29T22:29:18.000Z", count: 4 }
      ]
    })
    assert.strictEqual(summary.type === "event.summary" ? summary.events?.[0]?.count : undefined, 4)
    assert.isTrue(fails(DataEventListOrSummary, { type: "event.other", events: [] }))
  })

  it("decode a conversation as real traffic sends it: nulls all over, fields the file lacks", () => {
    const conversation = {
      type: "conversation",
      id: "1911149811",
      title: null,
      created_at: 1717021758,
      updated_at: 1717024012,
      waiting_since: null,
      snoozed_until: null,
      open: true,
      state: "open",
      read: false,
      priority: "not_priority",
      admin_assignee_id: null,
      team_assignee_id: "5017691",
      tags: { type: "tag.list", tags: [] },
      conversation_rating: null,
      source: {
        type: "conversation",
        id: "2042011839",
        delivered_as: "customer_initiated",
        subject: "",
        body: "<p>Hello, my invoice is wrong</p>",
        author: { type: "lead", id: "6657adf76abd0167d9419d1c", name: null, email: null },
        attachments: [],
        url: null,
        redacted: false
      },
      contacts: {
        type: "contact.list",
        contacts: [{ type: "contact", id: "6657adf76abd0167d9419d1c", external_id: null }]
      },
      teammates: { type: "admin.list", admins: [] },
      custom_attributes: { "Copilot used": false },
      first_contact_reply: { created_at: 1717021758, type: "conversation", url: null },
      sla_applied: null,
      statistics: {
        type: "conversation_statistics",
        time_to_assignment: null,
        time_to_admin_reply: null,
        time_to_first_close: null,
        time_to_last_close: null,
        median_time_to_reply: null,
        first_contact_reply_at: 1717021758,
        first_assignment_at: null,
        first_admin_reply_at: null,
        first_close_at: null,
        last_assignment_at: null,
        last_assignment_admin_reply_at: null,
        last_contact_reply_at: 1717021758,
        last_admin_reply_at: null,
        last_close_at: null,
        last_closed_by_id: null,
        count_reopens: 0,
        count_assignments: 0,
        count_conversation_parts: 1
      },
      conversation_parts: { type: "conversation_part.list", conversation_parts: [], total_count: 0 },
      linked_objects: { type: "list", data: [], total_count: 0, has_more: false },
      ai_agent_participated: false,
      ai_agent: null,
      topics: { type: "topic.list", topics: [], total_count: 0 }
    }
    const decoded = decode(Conversation, conversation)
    assert.strictEqual(decoded.source?.author?.name, null)
    assert.strictEqual(decoded["ai_agent_participated"], false)
    const list = decode(ConversationList, { type: "conversation.list", conversations: [conversation], pages: null })
    assert.strictEqual(list.conversations.length, 1)
  })

  it("decode the three shapes of real traffic the file's rules once refused", () => {
    // A conversation whose source type is null (a required enum received as null).
    const conversation = decode(Conversation, {
      type: "conversation",
      id: "1",
      source: { type: null, id: "2", delivered_as: "automated" }
    })
    assert.isNull(conversation.source?.type)
    // A contact whose companies come as references without their `type` constant.
    const withCompanies = decode(Contact, {
      ...contact,
      companies: { type: "list", data: [{ id: "c1", url: "/companies/c1" }], total_count: 1, has_more: false }
    })
    assert.deepStrictEqual(withCompanies.companies?.data?.[0], { id: "c1", type: "company", url: "/companies/c1" })
    // An event of GET /events without an id.
    const events = decode(DataEventListOrSummary, {
      type: "event.list",
      events: [{ type: "event", event_name: "invited-friend", created_at: 1717021758, user_id: "314159" }],
      pages: { next: null }
    })
    assert.strictEqual(events.type === "event.list" ? events.events?.[0]?.id : "not a list", undefined)
  })

  it("decode a visitor with nulls and an owner id as a number", () => {
    const visitor = decode(Visitor, {
      type: "visitor",
      id: "6657b2746abd0167d9419d2b",
      user_id: "3ecf64d0-9ed1-4e9f-88e1-da7d6e6782f3",
      anonymous: true,
      email: null,
      phone: null,
      name: null,
      pseudonym: "Red Duck from Dublin",
      avatar: { type: "avatar", image_url: null },
      app_id: "ecahpwf5",
      owner_id: 991,
      created_at: 1717021758,
      updated_at: 1717021758,
      signed_up_at: null,
      last_request_at: null,
      unsubscribed_from_emails: false,
      location_data: { type: "location_data", city_name: null, country_name: null },
      custom_attributes: {}
    })
    assert.strictEqual(visitor.owner_id, "991")
  })

  it("decode news list items by their `type`", () => {
    const page = decode(PaginatedResponse, {
      type: "list",
      data: [
        { type: "news-item", id: "1", title: "t" },
        { type: "newsfeed", id: "2", name: "n" }
      ]
    })
    assert.strictEqual(page.data[0]?.type, "news-item")
    assert.strictEqual(page.data[1]?.type, "newsfeed")
    assert.isTrue(fails(NewsItem, { type: "newsfeed", id: "1" }))
  })

  it("decode unions tagged by which key is present structurally", () => {
    assert.deepStrictEqual(Schema.decodeUnknownSync(CustomerRequest)({ email: "a@b.c" }), { email: "a@b.c" })
    const customers = decode(ConversationOrCustomers, { customers: [{ type: "user", id: "u" }] })
    assert.isTrue("customers" in customers)
  })
})
