/**
 * Contacts through the SDK's services against the mock over real sockets: CRUD, archive, merge, tags, notes and
 * companies; a walk of every seeded contact; searches checked against a filter of the seed written here, apart from
 * the mock's own evaluator.
 */
import { assert, describe, it } from "@effect/vitest"
import { type Contact, SearchQuery } from "@intercom-effect/schemas"
import { Contacts, Tags } from "@intercom-effect/services"
import { Chunk, Effect, Stream } from "effect"
import { MockIntercom, Seed } from "../src/index.js"
import { mock, withServices } from "./utils/mock.js"

const contacts = Contacts.Contacts
const DAY = 86_400

describe("contacts", () => {
  it.scopedLive("create, get, update, archive, unarchive, delete", () =>
    Effect.gen(function* () {
      const c = yield* contacts
      const created = yield* c.create({
        email: "new.user@acme.example",
        name: "New User",
        external_id: "ext-1",
        custom_attributes: { plan: "pro", seats: 3 }
      })
      assert.strictEqual(created.role, "user")
      assert.lengthOf(created.id, 24)
      assert.deepStrictEqual((yield* c.get(created.id)).email, "new.user@acme.example")

      const updated = yield* c.update(created.id, { name: "Renamed", custom_attributes: { seats: 5 } })
      assert.strictEqual(updated.name, "Renamed")
      // Custom attributes are merged, not replaced.
      assert.deepStrictEqual(updated.custom_attributes, { plan: "pro", seats: 5 })

      assert.strictEqual((yield* c.archive(created.id)).archived, true)
      const listed = yield* Stream.runCollect(c.list({ per_page: 150 }).items)
      assert.isFalse(
        Chunk.some(listed, (x) => x.id === created.id),
        "archived contacts are not listed"
      )
      assert.strictEqual((yield* c.unarchive(created.id)).archived, false)

      const deleted = yield* c.delete(created.id)
      assert.deepStrictEqual([deleted.id, deleted.deleted, deleted.external_id], [created.id, true, "ext-1"])
      const gone = yield* Effect.flip(c.get(created.id))
      assert.strictEqual(gone._tag, "NotFound")
    }).pipe(withServices, Effect.provide(mock({ contacts: 20 })))
  )

  it.scopedLive("merge a lead into a user: tags, companies and conversations move, the lead is gone", () =>
    Effect.gen(function* () {
      const c = yield* contacts
      const m = yield* MockIntercom.MockIntercom
      const lead = yield* c.create({ role: "lead", name: "A Lead", custom_attributes: { source: "chat" } })
      const user = yield* c.create({ email: "merge.target@acme.example", custom_attributes: { plan: "free" } })
      const tag = m.state.tags.values().next().value!
      yield* c.attachTag(lead.id, { id: tag.id })
      const company = m.state.companies.values()[0]!
      yield* c.attachCompany(lead.id, { id: company.id })

      const merged = yield* c.merge({ from: lead.id, into: user.id })
      assert.strictEqual(merged.id, user.id)
      assert.deepStrictEqual(merged.custom_attributes, { source: "chat", plan: "free" })
      assert.deepStrictEqual(
        (yield* c.listTags(user.id)).data.map((t) => t.id),
        [tag.id]
      )
      assert.deepStrictEqual(
        Chunk.toReadonlyArray(yield* Stream.runCollect(c.listCompanies(user.id).items)).map((x) => x.id),
        [company.id]
      )
      assert.strictEqual((yield* Effect.flip(c.get(lead.id)))._tag, "NotFound")
      // Only a lead merges, and only into a user.
      const refused = yield* Effect.flip(c.merge({ from: user.id, into: user.id }))
      assert.strictEqual(refused._tag, "UnprocessableEntity")
    }).pipe(withServices, Effect.provide(mock({ contacts: 10 })))
  )

  it.scopedLive("tags, notes (by page) and companies of a contact", () =>
    Effect.gen(function* () {
      const c = yield* contacts
      const m = yield* MockIntercom.MockIntercom
      const contact = yield* c.create({ email: "tagged@acme.example" })
      const tag = yield* Effect.flatMap(Tags.Tags, (t) => t.create({ name: "from-test" }))
      assert.strictEqual((yield* c.attachTag(contact.id, { id: tag.id })).name, "from-test")
      assert.deepStrictEqual(
        (yield* c.listTags(contact.id)).data.map((t) => t.name),
        ["from-test"]
      )
      assert.strictEqual((yield* c.get(contact.id)).tags?.total_count, 1)
      yield* c.detachTag(contact.id, tag.id)
      assert.deepStrictEqual((yield* c.listTags(contact.id)).data, [])
      yield* c.attachTag(contact.id, { id: tag.id })
      const tags = yield* Tags.Tags
      assert.strictEqual((yield* tags.get(tag.id)).name, "from-test")
      assert.include(
        (yield* tags.list()).data.map((t) => t.id),
        tag.id
      )
      // Deleting a tag takes it off everything it was on.
      yield* tags.delete(tag.id)
      assert.deepStrictEqual((yield* c.listTags(contact.id)).data, [])
      assert.strictEqual((yield* Effect.flip(tags.get(tag.id)))._tag, "NotFound")

      for (let i = 1; i <= 7; i++)
        yield* c.createNote(contact.id, { body: `note ${i}`, admin_id: m.state.admins[1]!.id })
      const notes = yield* Stream.runCollect(c.listNotes(contact.id, { per_page: 3 }).items)
      // Newest first, over three pages.
      assert.deepStrictEqual(
        Chunk.toReadonlyArray(notes).map((n) => n.body),
        [7, 6, 5, 4, 3, 2, 1].map((i) => `<p>note ${i}</p>`)
      )
      assert.strictEqual(Chunk.unsafeGet(notes, 0).author?.id, m.state.admins[1]!.id)

      const [a, b] = m.state.companies.values()
      yield* c.attachCompany(contact.id, { id: a!.id })
      const attached = yield* c.attachCompany(contact.id, { id: b!.id })
      assert.strictEqual(attached.id, b!.id)
      assert.deepStrictEqual(
        Chunk.toReadonlyArray(yield* Stream.runCollect(c.listCompanies(contact.id, { per_page: 1 }).items)).map(
          (x) => x.id
        ),
        [a!.id, b!.id]
      )
      yield* c.detachCompany(contact.id, a!.id)
      assert.deepStrictEqual(
        (yield* c.get(contact.id)).companies?.data?.map((x) => x.id),
        [b!.id]
      )
      assert.strictEqual((yield* Effect.flip(c.attachCompany(contact.id, { id: "nope" })))._tag, "NotFound")
    }).pipe(withServices, Effect.provide(mock({ contacts: 10 })))
  )

  it.scopedLive("Contacts.list walks every seeded contact exactly once", () =>
    Effect.gen(function* () {
      const m = yield* MockIntercom.MockIntercom
      const all = yield* Effect.flatMap(contacts, (c) => Stream.runCollect(c.list().items))
      const ids = Chunk.toReadonlyArray(all).map((x) => x.id)
      assert.strictEqual(ids.length, 3000)
      assert.strictEqual(new Set(ids).size, 3000)
      assert.deepStrictEqual(
        ids,
        Seed.make({ seed: 11, contacts: 3000 }).contacts.map((x) => x.contact.id)
      )
      const counters = yield* m.counters.snapshot
      // Default page size 50: exactly 60 pages, no extra request for an empty page.
      assert.strictEqual(counters.requests, 60)
    }).pipe(withServices, Effect.provide(mock({ seed: 11, contacts: 3000 })))
  )

  describe("search", () => {
    const seed = Seed.make({ seed: 5, contacts: 2000, companies: 40 })
    const people = seed.contacts.map((x) => ({ ...x, c: x.contact }))
    const attr = (c: Contact, key: string) => c.custom_attributes?.[key]
    const day = (t: number) => Math.floor(t / DAY)
    const T = seed.contacts[800]!.contact.created_at

    const run = (query: SearchQuery.Query, perPage?: number) =>
      Effect.gen(function* () {
        const c = yield* contacts
        const m = yield* MockIntercom.MockIntercom
        const before = (yield* m.counters.snapshot).requests
        const found = yield* Stream.runCollect(
          c.search(query, perPage === undefined ? {} : { per_page: perPage }).items
        )
        const requests = (yield* m.counters.snapshot).requests - before
        return { ids: Chunk.toReadonlyArray(found).map((x) => x.id), requests }
      })

    const expect = (keep: (x: (typeof people)[number]) => boolean) => people.filter(keep).map((x) => x.c.id)

    it.scopedLive("AND of =, IN, ^, $ and a nested OR of ~ and >=, paged", () =>
      Effect.gen(function* () {
        const query = SearchQuery.and(
          SearchQuery.field("role").eq("user"),
          SearchQuery.field("custom_attributes.plan").in(["pro", "enterprise"]),
          SearchQuery.field("external_id").startsWith("user-00"),
          SearchQuery.field("email").endsWith(".example"),
          SearchQuery.or(
            SearchQuery.field("name").contains("ana"),
            SearchQuery.field("custom_attributes.seats").gte(200)
          )
        )
        const expected = expect(
          ({ c }) =>
            c.role === "user" &&
            ["pro", "enterprise"].includes(attr(c, "plan") as string) &&
            (c.external_id ?? "").startsWith("user-00") &&
            (c.email ?? "").endsWith(".example") &&
            ((c.name ?? "").toLowerCase().includes("ana") || (attr(c, "seats") as number) >= 200)
        )
        assert.isAbove(expected.length, 60)
        const { ids, requests } = yield* run(query, 25)
        assert.deepStrictEqual(ids, expected)
        assert.strictEqual(requests, Math.ceil(expected.length / 25))
      }).pipe(withServices, Effect.provide(mock({ data: seed })))
    )

    it.scopedLive("!=, NIN, !~, <, <= and booleans; dates by calendar day", () =>
      Effect.gen(function* () {
        const cases: ReadonlyArray<[SearchQuery.Query, (x: (typeof people)[number]) => boolean]> = [
          [
            SearchQuery.and(
              SearchQuery.field("role").neq("user"),
              SearchQuery.field("custom_attributes.signup_source").nin(["ads", "event"])
            ),
            ({ c }) => c.role !== "user" && !["ads", "event"].includes(attr(c, "signup_source") as string)
          ],
          [
            SearchQuery.and(
              SearchQuery.field("name").notContains("a"),
              SearchQuery.field("custom_attributes.seats").lt(40)
            ),
            ({ c }) => !(c.name ?? "").toLowerCase().includes("a") && (attr(c, "seats") as number) < 40
          ],
          [
            SearchQuery.and(
              SearchQuery.field("custom_attributes.beta_tester").eq(true),
              SearchQuery.field("custom_attributes.seats").lte(10)
            ),
            ({ c }) => attr(c, "beta_tester") === true && (attr(c, "seats") as number) <= 10
          ],
          // `>` starts at the next midnight, `<` ends at the previous one, `=` is the whole day.
          [SearchQuery.field("created_at").gt(T), ({ c }) => day(c.created_at) > day(T)],
          [SearchQuery.field("created_at").lt(T), ({ c }) => day(c.created_at) < day(T)],
          [SearchQuery.field("created_at").eq(T), ({ c }) => day(c.created_at) === day(T)],
          [SearchQuery.field("tag_id").eq(seed.tags[2]!.id), ({ tagIds }) => tagIds.includes(seed.tags[2]!.id)],
          [SearchQuery.field("email").eq(null), ({ c }) => c.email === null]
        ]
        for (const [query, keep] of cases) {
          const expected = expect(keep)
          assert.isAbove(expected.length, 0, JSON.stringify(query))
          assert.deepStrictEqual((yield* run(query, 150)).ids, expected, JSON.stringify(query))
        }
        // A day partition: the three ranges cover everything once.
        const parts = yield* Effect.all([
          run(SearchQuery.field("created_at").lt(T), 150),
          run(SearchQuery.field("created_at").eq(T), 150),
          run(SearchQuery.field("created_at").gt(T), 150)
        ])
        assert.strictEqual(parts.flatMap((p) => p.ids).length, 2000)
      }).pipe(withServices, Effect.provide(mock({ data: seed })))
    )
  })
})
