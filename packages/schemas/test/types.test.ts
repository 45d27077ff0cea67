/**
 * Type-level checks (run by `tsc --noEmit` over test/): the generated types stay useful.
 */
import { describe, expectTypeOf, it } from "@effect/vitest"
import type {
  CompanyData,
  Contact,
  ConversationSource,
  CreateContactRequest,
  DataEvent,
  OpenEnum,
  operations,
  SchemaName
} from "../src/index.js"

describe("generated types", () => {
  it("Contact.id is a string", () => {
    expectTypeOf<Contact["id"]>().toEqualTypeOf<string>()
  })

  it("Contact.role offers the known literals and still takes any string (or null, as real traffic sends)", () => {
    type Role = Exclude<Contact["role"], null>
    expectTypeOf<Role>().toEqualTypeOf<"user" | "lead" | (string & {})>()
    expectTypeOf<Role>().toEqualTypeOf<OpenEnum<"user" | "lead">>()
    expectTypeOf<Contact["role"]>().toEqualTypeOf<OpenEnum<"user" | "lead"> | null>()
    expectTypeOf<"user">().toExtend<Role>()
    expectTypeOf<"something-new">().toExtend<Role>()
  })

  it("the generated decoding rules show in the types", () => {
    // A required enum also decodes null.
    expectTypeOf<ConversationSource["type"]>().toExtend<string | null>()
    expectTypeOf<null>().toExtend<ConversationSource["type"]>()
    // A constant `type` is filled in when absent, so it is always there.
    expectTypeOf<CompanyData["type"]>().toEqualTypeOf<OpenEnum<"company">>()
    // The file's own required list wins over the id rule: a list event may come without an id.
    expectTypeOf<DataEvent["id"]>().toEqualTypeOf<string | null | undefined>()
  })

  it("fields the schema does not name are kept, typed unknown", () => {
    expectTypeOf<Contact["some_field_from_a_newer_version"]>().toEqualTypeOf<unknown>()
    expectTypeOf<Contact["email"]>().toEqualTypeOf<string | null | undefined>()
  })

  it("ids and counts keep their declared type whatever form they arrive in", () => {
    expectTypeOf<Contact["owner_id"]>().toEqualTypeOf<number | null | undefined>()
    expectTypeOf<(typeof Contact.Encoded)["owner_id"]>().toEqualTypeOf<number | string | null | undefined>()
  })

  it("custom_attributes is an open map", () => {
    expectTypeOf<NonNullable<Contact["custom_attributes"]>>().toEqualTypeOf<{ readonly [x: string]: unknown }>()
  })

  it("request bodies are plain data", () => {
    expectTypeOf<{ email: string }>().toExtend<CreateContactRequest>()
  })

  it("the operation table names schemas precisely", () => {
    expectTypeOf<(typeof operations)["ShowContact"]["responses"]["200"]>().toEqualTypeOf<"Contact">()
    expectTypeOf<(typeof operations)["CreateContact"]["requestBody"]>().toExtend<SchemaName>()
  })
})
