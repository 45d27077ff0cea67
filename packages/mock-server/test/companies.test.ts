/**
 * Companies through the SDK's services: create-or-update by company_id, update, delete, every company by page
 * (both list endpoints) and by scroll, their contacts.
 */
import { assert, describe, it } from "@effect/vitest"
import { Companies } from "@intercom-effect/services"
import { Chunk, Effect, Stream } from "effect"
import { MockIntercom } from "../src/index.js"
import { mock, withServices } from "./utils/mock.js"
import * as Raw from "./utils/raw.js"

const ids = <A extends { readonly id: string }>(items: Chunk.Chunk<A>) => Chunk.toReadonlyArray(items).map((x) => x.id)

describe("companies", () => {
  it.scopedLive("create-or-update by company_id, get, update, delete", () =>
    Effect.gen(function* () {
      const companies = yield* Companies.Companies
      const created = yield* companies.createOrUpdate({
        company_id: "acme-1",
        name: "Acme",
        plan: "pro",
        custom_attributes: { tier: "gold" }
      })
      assert.deepStrictEqual([created.name, created.plan?.name, created.user_count], ["Acme", "pro", 0])
      const again = yield* companies.createOrUpdate({ company_id: "acme-1", size: 50, custom_attributes: { x: 1 } })
      assert.strictEqual(again.id, created.id, "the same company_id updates")
      assert.deepStrictEqual([again.name, again.size], ["Acme", 50])
      assert.deepStrictEqual(again.custom_attributes, { tier: "gold", x: 1 })
      assert.strictEqual((yield* companies.update(created.id)).id, created.id)
      const page = yield* companies.listPage({ company_id: "acme-1" })
      assert.deepStrictEqual(
        page.data.map((c) => c.id),
        [created.id]
      )
      assert.deepStrictEqual(yield* companies.delete(created.id), { id: created.id, object: "company", deleted: true })
      assert.strictEqual((yield* Effect.flip(companies.get(created.id)))._tag, "NotFound")
    }).pipe(withServices, Effect.provide(mock({ contacts: 5, companies: 3 })))
  )

  it.scopedLive("every company by page (GET /companies and POST /companies/list) and by scroll", () =>
    Effect.gen(function* () {
      const companies = yield* Companies.Companies
      const m = yield* MockIntercom.MockIntercom
      const seeded = m.state.companies.values().map((r) => r.id)
      assert.strictEqual(seeded.length, 230)

      const before = (yield* m.counters.snapshot).requests
      const byPage = ids(yield* Stream.runCollect(companies.list({}, { per_page: 50 }).items))
      assert.strictEqual((yield* m.counters.snapshot).requests - before, 5, "five pages, no empty one")
      // Newest first.
      assert.deepStrictEqual(byPage, [...seeded].reverse())

      const ascending = ids(yield* Stream.runCollect(companies.listAll({ order: "asc" }, { per_page: 60 }).items))
      assert.deepStrictEqual(ascending, seeded)

      const tag = m.state.tags.values().next().value!
      const tagged = ids(yield* Stream.runCollect(companies.list({ tag_id: tag.id }).items))
      assert.deepStrictEqual(
        tagged,
        m.state.companies
          .values((r) => r.tags.has(tag.id))
          .map((r) => r.id)
          .reverse()
      )

      const scrollStart = (yield* m.counters.snapshot).requests
      const scrolled = ids(yield* Stream.runCollect(companies.scroll().items))
      assert.deepStrictEqual(scrolled, seeded)
      // 230 companies, 50 a page: five pages and the empty one that ends a scroll.
      assert.strictEqual((yield* m.counters.snapshot).requests - scrollStart, 6)
      // The scroll is over, so a new one may start.
      assert.strictEqual(ids(yield* Stream.runCollect(companies.scroll({ maxItems: 10 }).items)).length, 10)
      // ...and while that one is open, a second one is refused.
      const second = yield* Raw.request(m.url, "GET", "/companies/scroll")
      assert.strictEqual(second.status, 400)
    }).pipe(withServices, Effect.provide(mock({ contacts: 50, companies: 230 })))
  )

  it.scopedLive("the contacts of a company", () =>
    Effect.gen(function* () {
      const companies = yield* Companies.Companies
      const m = yield* MockIntercom.MockIntercom
      const company = m.state.companies.values().find((r) => r.contacts.size > 1)!
      const attached = yield* companies.listContacts(company.id)
      assert.sameMembers(
        attached.data.map((c) => c.id),
        [...company.contacts]
      )
      assert.strictEqual(attached.total_count, company.contacts.size)
      assert.strictEqual((yield* companies.get(company.id)).user_count, company.contacts.size)
    }).pipe(withServices, Effect.provide(mock({ contacts: 200, companies: 10 })))
  )
})
