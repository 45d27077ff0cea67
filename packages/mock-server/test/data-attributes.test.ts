/**
 * Data attributes through the SDK's services: the workspace's list by model, archived ones only when asked, an
 * unknown model refused; and every custom attribute the seeded contacts and companies carry is one of the list.
 */
import { assert, describe, it } from "@effect/vitest"
import { DataAttributes } from "@intercom-effect/services"
import { Effect } from "effect"
import { MockIntercom } from "../src/index.js"
import { mock, withServices } from "./utils/mock.js"
import * as Raw from "./utils/raw.js"

describe("data attributes", () => {
  it.scopedLive("by model, archived ones on request, and the seeded custom attributes among them", () =>
    Effect.gen(function* () {
      const attributes = yield* DataAttributes.DataAttributes
      const m = yield* MockIntercom.MockIntercom
      const contact = (yield* attributes.list({ model: "contact" })).data
      assert.isTrue(contact.every((a) => a.model === "contact" && a.archived === false))
      const custom = new Set(contact.filter((a) => a.custom).map((a) => a.name))
      for (const record of m.state.contacts.values()) {
        for (const name of Object.keys(record.contact.custom_attributes ?? {})) assert.isTrue(custom.has(name), name)
      }
      const plan = contact.find((a) => a.name === "plan")!
      assert.deepStrictEqual(
        [plan.data_type, plan.full_name, plan.options],
        ["string", "custom_attributes.plan", ["free", "pro", "enterprise"]]
      )
      const archived = (yield* attributes.list({ model: "contact", include_archived: true })).data
      assert.deepStrictEqual(
        archived.filter((a) => a.archived).map((a) => a.name),
        ["legacy_score"]
      )
      const companyNames = new Set((yield* attributes.list({ model: "company" })).data.map((a) => a.name))
      for (const record of m.state.companies.values()) {
        for (const name of Object.keys(record.company.custom_attributes ?? {})) assert.isTrue(companyNames.has(name))
      }
      const all = (yield* attributes.list()).data
      assert.deepStrictEqual(new Set(all.map((a) => a.model)), new Set(["contact", "company", "conversation"]))
    }).pipe(withServices, Effect.provide(mock({ contacts: 30, companies: 5 })))
  )

  it.scopedLive("an unknown model is a 400 naming the parameter", () =>
    Effect.gen(function* () {
      const m = yield* MockIntercom.MockIntercom
      const response = yield* Raw.request(m.url, "GET", "/data_attributes?model=ticket")
      assert.strictEqual(response.status, 400)
      assert.include(response.text, '"field":"model"')
    }).pipe(Effect.provide(mock({ contacts: 2, companies: 1 })))
  )
})
