/**
 * Type-level checks (run by `tsc --noEmit` over test/): the generated types stay useful.
 */
import { describe, expectTypeOf, it } from "@effect/vitest"
import type { Contact, CreateContactRequest, OpenEnum, operations, SchemaName } from "../src/index.js"

describe("generated types", () => {
  it("Contact.id is a string", () => {
    expectTypeOf<Contact["id"]>().toEqualTypeOf<string>()
  })

  it("Contact.role offers the known literals and still takes any string", () => {
    type Role = Contact["role"]
    expectTypeOf<Role>().toEqualTypeOf<"user" | "lead" | (string & {})>()
    expectTypeOf<Role>().toEqualTypeOf<OpenEnum<"user" | "lead">>()
    expectTypeOf<"user">().toExtend<Role>()
    expectTypeOf<"something-new">().toExtend<Role>()
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
