/**
 * Typed custom attributes against the mock Intercom: reads decode with the schema and keep the attributes it does not
 * name; writes encode only what they give, and a value, name or attribute the schema refuses is an `InvalidRequest`
 * naming it before anything is sent; a stored value the schema does not accept is a `DecodeError` at the attribute.
 */
import { assert, describe, it } from "@effect/vitest"
import { IntercomError } from "@intercom-effect/http"
import { Chunk, Effect, Option, Schema, Stream } from "effect"
import { CustomAttributes } from "../src/index.js"
import { type Mock, withMock } from "./utils/mock.js"
import { type All, withServices } from "./utils/services.js"

/** Part of the seeded workspace's contact attributes (signup_source is left out on purpose). */
const ContactAttributes = Schema.Struct({
  plan: Schema.optional(Schema.NullOr(Schema.Literal("free", "pro", "enterprise"))),
  seats: Schema.optional(Schema.NullOr(Schema.Int)),
  beta_tester: Schema.optional(Schema.NullOr(Schema.Boolean)),
  trial_ends_at: Schema.optional(Schema.NullOr(Schema.Int)),
  "lifetime value": Schema.optional(Schema.NullOr(Schema.Finite))
})

const CompanyAttributes = Schema.Struct({
  tier: Schema.optional(Schema.NullOr(Schema.Literal("free", "pro", "enterprise"))),
  region: Schema.optional(Schema.NullOr(Schema.String))
})

const run = <A, E>(f: (mock: Mock, services: All) => Effect.Effect<A, E>) =>
  withMock({ seed: 18, contacts: 40, companies: 8, conversations: 4 }, (mock) =>
    withServices(mock.url, (services) => f(mock, services))
  )

const requests = (mock: Mock) => Effect.map(mock.counters.snapshot, (c) => c.requests)

describe("Contacts.withAttributes", () => {
  it.live("reads typed attributes and keeps the ones the schema does not name", () =>
    run((mock, { Contacts }) =>
      Effect.gen(function* () {
        const contacts = Contacts.withAttributes(ContactAttributes)
        const seeded = mock.state.contacts.values()[0]!
        const contact = yield* contacts.get(seeded.id)
        const stored = seeded.contact.custom_attributes!
        assert.strictEqual(contact.custom_attributes.plan, stored["plan"])
        assert.strictEqual(contact.custom_attributes.seats, stored["seats"])
        assert.strictEqual(contact.custom_attributes.beta_tester, stored["beta_tester"])
        // Not in the schema, kept as it came.
        assert.strictEqual(contact.custom_attributes["signup_source"], stored["signup_source"])
        const listed = yield* Stream.runCollect(contacts.list({ per_page: 7, maxItems: 20 }).items)
        assert.strictEqual(Chunk.size(listed), 20)
        assert.deepStrictEqual(
          Chunk.toReadonlyArray(listed).map((c) => c.custom_attributes.seats),
          mock.state.contacts
            .values()
            .slice(0, 20)
            .map((r) => r.contact.custom_attributes!["seats"])
        )
      })
    )
  )

  it.live("writes only the attributes given, encoded, and leaves the others", () =>
    run((mock, { Contacts }) =>
      Effect.gen(function* () {
        const contacts = Contacts.withAttributes(ContactAttributes)
        const seeded = mock.state.contacts.values()[1]!
        const before = { ...seeded.contact.custom_attributes }
        const updated = yield* contacts.update(seeded.id, {
          custom_attributes: { seats: 42, trial_ends_at: 1_735_689_600, "lifetime value": 1234.5, plan: undefined }
        })
        assert.strictEqual(updated.custom_attributes.seats, 42)
        assert.strictEqual(updated.custom_attributes.trial_ends_at, 1_735_689_600)
        assert.strictEqual(updated.custom_attributes["lifetime value"], 1234.5)
        assert.strictEqual(updated.custom_attributes.plan, before["plan"])
        assert.strictEqual(updated.custom_attributes["signup_source"], before["signup_source"])
        const cleared = yield* contacts.update(seeded.id, { custom_attributes: { seats: null } })
        assert.isNull(cleared.custom_attributes.seats)
        const created = yield* contacts.upsert({ external_id: "typed-1", custom_attributes: { plan: "pro" } })
        assert.strictEqual(created.custom_attributes.plan, "pro")
        const found = yield* contacts.findByExternalId("typed-1")
        assert.strictEqual(Option.getOrThrow(found).custom_attributes.plan, "pro")
      })
    )
  )

  it.live("a value, an attribute or a name the schema refuses is an InvalidRequest naming it; nothing is sent", () =>
    run((mock, { Contacts }) =>
      Effect.gen(function* () {
        const contacts = Contacts.withAttributes(ContactAttributes)
        const id = mock.state.contacts.values()[2]!.id
        const before = yield* requests(mock)
        const badValue = yield* Effect.flip(contacts.update(id, { custom_attributes: { seats: 2.5 } }))
        const badOption = yield* Effect.flip(
          // @ts-expect-error -- "gold" is not one of the list attribute's options
          contacts.create({ email: "gold@crm.example", custom_attributes: { plan: "gold" } })
        )
        const notFinite = yield* Effect.flip(
          contacts.upsert({ external_id: "nan-1", custom_attributes: { "lifetime value": Number.NaN } })
        )
        const unknown = yield* Effect.flip(
          // @ts-expect-error -- not an attribute of the schema
          contacts.update(id, { custom_attributes: { favourite_colour: "blue" } })
        )
        const dotted = Contacts.withAttributes(Schema.Struct({ "a.b": Schema.optional(Schema.String) }))
        const badName = yield* Effect.flip(dotted.update(id, { custom_attributes: { "a.b": "x" } }))
        for (const error of [badValue, badOption, notFinite, unknown, badName]) {
          assert.isTrue(error instanceof IntercomError.InvalidRequest, String(error))
        }
        assert.include(badValue.message, 'custom attribute "seats"')
        assert.include(badValue.message, "PUT /contacts/{id} was not sent")
        assert.include(badOption.message, 'custom attribute "plan"')
        assert.include(notFinite.message, 'custom attribute "lifetime value"')
        assert.include(unknown.message, 'custom attribute "favourite_colour" is not in the schema')
        assert.include(badName.message, `custom attribute "a.b" holds a '.'`)
        assert.strictEqual(yield* requests(mock), before)
      })
    )
  )

  it.live("a stored value the schema does not accept is a DecodeError at that attribute", () =>
    run((mock, { Contacts }) =>
      Effect.gen(function* () {
        const wrong = Contacts.withAttributes(Schema.Struct({ seats: Schema.optional(Schema.String) }))
        const seeded = mock.state.contacts.values()[3]!
        const error = yield* Effect.flip(wrong.get(seeded.id))
        assert.isTrue(error instanceof IntercomError.DecodeError)
        if (!(error instanceof IntercomError.DecodeError)) return
        assert.deepStrictEqual(error.fieldPath, ["custom_attributes", "seats"])
        assert.include(error.issue, 'custom attribute "seats"')
        const page = yield* Effect.flip(Stream.runDrain(wrong.list({ per_page: 5, maxItems: 5 }).items))
        assert.isTrue(page instanceof IntercomError.DecodeError)
        if (page instanceof IntercomError.DecodeError) assert.deepStrictEqual(page.fieldPath.slice(0, 2), ["data", 0])
      })
    )
  )
})

describe("Companies.withAttributes", () => {
  it.live("upserts by company_id with typed attributes and finds the company again", () =>
    run((mock, { Companies }) =>
      Effect.gen(function* () {
        const companies = Companies.withAttributes(CompanyAttributes)
        const created = yield* companies.upsert({
          company_id: "acme-1",
          name: "Acme",
          custom_attributes: { tier: "pro", region: "EU" }
        })
        assert.strictEqual(created.custom_attributes.tier, "pro")
        const updated = yield* companies.upsert({ company_id: "acme-1", custom_attributes: { tier: "enterprise" } })
        assert.strictEqual(updated.id, created.id)
        assert.strictEqual(updated.custom_attributes.region, "EU")
        const found = yield* companies.findByCompanyId("acme-1")
        assert.strictEqual(Option.getOrThrow(found).custom_attributes.tier, "enterprise")
        const before = yield* requests(mock)
        const error = yield* Effect.flip(
          // @ts-expect-error -- not an option of the list attribute
          companies.upsert({ company_id: "acme-1", custom_attributes: { tier: "platinum" } })
        )
        assert.isTrue(error instanceof IntercomError.InvalidRequest)
        assert.strictEqual(yield* requests(mock), before)
        const walked = yield* Stream.runCollect(companies.list(undefined, { per_page: 3 }).items)
        assert.strictEqual(Chunk.size(walked), mock.state.companies.values().length)
      })
    )
  )
})

describe("CustomAttributes.make", () => {
  it.effect("a required attribute of the schema is not required in a write", () =>
    Effect.gen(function* () {
      const codec = CustomAttributes.make(Schema.Struct({ plan: Schema.String, seats: Schema.NumberFromString }))
      const site = { method: "PUT", path: "/contacts/{id}" }
      const body = yield* codec.write<{ readonly custom_attributes?: Record<string, unknown> }>(
        { custom_attributes: { seats: 3 } },
        site
      )
      // Encoded with the schema: NumberFromString sends a string.
      assert.deepStrictEqual(body, { custom_attributes: { seats: "3" } })
      const read = yield* codec.read({ custom_attributes: { plan: "pro", seats: "3", other: true } }, site)
      assert.deepStrictEqual(read.custom_attributes, { plan: "pro", seats: 3, other: true })
      const missing = yield* Effect.flip(codec.read({ custom_attributes: null }, site))
      assert.include(missing.issue, 'custom attribute "plan"')
    })
  )
})
