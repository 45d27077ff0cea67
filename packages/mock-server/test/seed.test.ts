/**
 * The seed: the same seed gives the same workspace (as data, and as bytes on the wire), another seed another one,
 * and the workspace looks like a real one.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { MockIntercom, Seed } from "../src/index.js"
import { mock } from "./utils/mock.js"
import * as Raw from "./utils/raw.js"

const DAY = 86_400

describe("seed", () => {
  it("the same seed gives the same workspace; another seed another one", () => {
    const options = { seed: 2024, contacts: 2000, companies: 50, conversations: 500 }
    const a = Seed.make(options)
    assert.deepStrictEqual(Seed.make(options), a)
    const b = Seed.make({ ...options, seed: 2025 })
    assert.notDeepEqual(
      b.contacts.map((c) => c.contact.email),
      a.contacts.map((c) => c.contact.email)
    )
    // Growing one kind of record does not reshuffle another.
    assert.deepStrictEqual(
      Seed.make({ ...options, conversations: 10 }).contacts.map((c) => c.contact.email),
      a.contacts.map((c) => c.contact.email)
    )
  })

  it("looks like a workspace: users and leads, spread over time, unique ids and emails, links that resolve", () => {
    const data = Seed.make({ seed: 7, contacts: 5000, companies: 100, conversations: 1000 })
    const contacts = data.contacts.map((c) => c.contact)
    const users = contacts.filter((c) => c.role === "user").length
    assert.isTrue(users > 3500 && users < 4500, `${users} users of 5000`)
    assert.strictEqual(new Set(contacts.map((c) => c.id)).size, 5000)
    assert.isTrue(contacts.every((c) => /^[0-9a-f]{24}$/.test(c.id)))
    const emails = contacts.flatMap((c) => (c.email === null || c.email === undefined ? [] : [c.email]))
    assert.strictEqual(new Set(emails).size, emails.length)
    const times = contacts.map((c) => c.created_at)
    assert.deepStrictEqual(
      times,
      [...times].sort((x, y) => x - y),
      "in creation order"
    )
    assert.isAbove(times[times.length - 1]! - times[0]!, 600 * DAY)
    const plans = new Set(contacts.map((c) => c.custom_attributes?.["plan"]))
    assert.deepStrictEqual([...plans].sort(), ["enterprise", "free", "pro"])
    const companyIds = new Set(data.companies.map((c) => c.company.id))
    assert.isTrue(data.contacts.every((c) => c.companyIds.every((id) => companyIds.has(id))))
    assert.isAbove(data.contacts.filter((c) => c.tagIds.length > 0).length, 2000)
    const contactIds = new Set(contacts.map((c) => c.id))
    assert.isTrue(data.conversations.every((c) => c.contactIds.every((id) => contactIds.has(id))))
    const parts = data.conversations.map((c) => c.parts.length)
    assert.isTrue(parts.every((n) => n >= 1) && Math.max(...parts) > 4)
    assert.deepStrictEqual([...new Set(data.conversations.map((c) => c.conversation.state))].sort(), [
      "closed",
      "open",
      "snoozed"
    ])
  })

  it.scopedLive("two mocks from the same seed answer byte for byte alike", () =>
    Effect.gen(function* () {
      const page = (options: MockIntercom.Options) =>
        Effect.flatMap(MockIntercom.MockIntercom, (m) =>
          Effect.all([
            Raw.request(m.url, "GET", "/contacts?per_page=150"),
            Raw.request(m.url, "GET", `/conversations/${m.state.conversations.values()[3]!.id}`),
            Raw.request(m.url, "GET", "/companies?per_page=60")
          ])
        ).pipe(
          Effect.map((answers) => answers.map((a) => a.text)),
          Effect.provide(mock(options))
        )
      const options = { seed: 99, contacts: 400, companies: 30, conversations: 40 }
      const first = yield* page(options)
      assert.deepStrictEqual(yield* page(options), first)
      assert.notDeepEqual(yield* page({ ...options, seed: 100 }), first)
    })
  )
})
