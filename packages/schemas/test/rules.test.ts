/**
 * The generator's rules for what real traffic does beyond the file, checked over every response schema (not over a
 * few recorded payloads), through both decoders, which must agree:
 * - every enum, at any depth the value reaches, also decodes null (real conversations send `source.type: null`);
 *   a required one decodes it as null, a constant `type` as its constant;
 * - every `type` that is a constant may be absent, and a required one then decodes as that constant (a contact's
 *   `companies.data[]` come without it);
 * - where the file lists a schema's required fields itself, every other field may be absent (real list events of
 *   GET /events come without an `id`), whatever the generator's own "entities have an id" rule would add.
 */
import { assert, describe, it } from "@effect/vitest"
import { describeWithSpec, responseUnits } from "@intercom-effect/codegen/testing"
import { Either, type Schema, SchemaAST } from "effect"
import { Decoder, schemas } from "../src/index.js"
import {
  decodeBoth,
  editAt,
  type Field,
  fieldsOf,
  getAt,
  isNullLiteral,
  type Path,
  responseSchemas,
  sample
} from "./utils/responses.js"

const show = (path: Path): string => (path.length === 0 ? "(root)" : path.join("."))

/** The members of a union, nested unions flattened. */
const membersOf = (ast: SchemaAST.AST): Array<SchemaAST.AST> =>
  SchemaAST.isUnion(ast) ? ast.types.flatMap(membersOf) : [ast]

/**
 * The known values of an open enum (`OpenEnum(...)`, possibly `NullOr` or optional): string literals beside `string`,
 * and nothing else but null and undefined.
 */
const openEnumValues = (ast: SchemaAST.AST): ReadonlyArray<string> | undefined => {
  const members = membersOf(ast).filter((t) => !isNullLiteral(t) && !SchemaAST.isUndefinedKeyword(t))
  const literals = members.flatMap((t) => (SchemaAST.isLiteral(t) && typeof t.literal === "string" ? [t.literal] : []))
  const strings = members.filter(SchemaAST.isStringKeyword).length
  return strings === 1 && literals.length > 0 && literals.length + strings === members.length ? literals : undefined
}

/**
 * Over every field of every response schema that `select` picks (with the enum's known values): the sample with
 * `edit` applied there must decode through both decoders, and `check` the value decoded at that place.
 */
const overEnumFields = (
  select: (field: Field, values: ReadonlyArray<string>) => boolean,
  what: string,
  edit: (container: Record<string | number, unknown>, key: string | number) => void,
  check: (field: Field, values: ReadonlyArray<string>, decoded: unknown) => string | undefined
): { readonly failures: ReadonlyArray<string>; readonly fields: ReadonlyArray<Field> } => {
  const failures: Array<string> = []
  const fields: Array<Field> = []
  for (const target of responseSchemas) {
    const full = sample(target.schema.ast)
    for (const field of fieldsOf(target.schema.ast)) {
      const values = openEnumValues(field.encoded)
      if (values === undefined || !select(field, values)) continue
      fields.push(field)
      const label = `${show(field.path)} ${what}`
      const decoded = decodeBoth(target, editAt(full, field.path, edit), label)
      const problem = Either.isLeft(decoded) ? decoded.left : check(field, values, getAt(decoded.right, field.path))
      if (problem !== undefined) failures.push(Either.isLeft(decoded) ? problem : `${target.name} ${label}: ${problem}`)
    }
  }
  return { failures, fields }
}

describe("the generator's real-traffic rules, over every response schema", () => {
  it("every enum decodes null, as null (a constant `type` as its constant)", () => {
    const { failures, fields } = overEnumFields(
      () => true,
      "= null",
      (o, k) => (o[k] = null),
      (field, values, value) => {
        const constant = field.name === "type" && values.length === 1 ? values[0] : undefined
        return value === null || value === constant ? undefined : `decoded as ${String(value)}`
      }
    )
    const required = fields.filter((f) => f.required).length
    // eslint-disable-next-line no-console -- the figures are what this test reports
    console.log(
      `rule "an enum may be null": ${fields.length} enum fields (${required} of them required) each decoded from null`
    )
    assert.deepStrictEqual(failures, [])
    assert.isAbove(required, 20)
  })

  it("every constant `type` may be absent, and decodes as its constant where the type requires it", () => {
    const { failures, fields } = overEnumFields(
      (field, values) => field.name === "type" && values.length === 1,
      "absent",
      (o, k) => delete o[k],
      (field, values, value) =>
        field.required
          ? value === values[0]
            ? undefined
            : `decoded as ${String(value)}, not ${values[0]}`
          : value === undefined
            ? undefined
            : `an optional field decoded as ${String(value)}`
    )
    const filled = fields.filter((f) => f.required).length
    // eslint-disable-next-line no-console -- the figures are what this test reports
    console.log(
      `rule "a constant type may be absent": ${fields.length} constant \`type\` fields decoded without it, ` +
        `${filled} of them filled in with their constant`
    )
    assert.deepStrictEqual(failures, [])
    assert.isAbove(filled, 20)
  })
})

describeWithSpec("the file's own required lists, over every response schema that has one", () => {
  it("every field the list does not name may be absent", () => {
    const byName = new Map(responseSchemas.map((r) => [r.name, r]))
    const failures: Array<string> = []
    let checked = 0
    let units = 0
    for (const unit of responseUnits()) {
      const declared = unit.schema["required"]
      const properties = unit.schema["properties"]
      if (!Array.isArray(declared) || declared.length === 0 || typeof properties !== "object" || properties === null) {
        continue
      }
      const target = byName.get(unit.exportName)
      if (target === undefined) continue
      units++
      const kept = new Set([...declared, ...((unit.schema["x-response-required"] as Array<string> | undefined) ?? [])])
      const full = sample(target.schema.ast)
      for (const field of fieldsOf(target.schema.ast).filter((f) => f.path.length === 1)) {
        // Union tags stay required: they are how a union decodes.
        if (kept.has(field.name) || SchemaAST.isLiteral(field.encoded)) continue
        checked++
        const decoded = decodeBoth(
          target,
          editAt(full, field.path, (o, k) => delete o[k]),
          `${field.name} absent`
        )
        if (Either.isLeft(decoded)) failures.push(`${unit.component}: ${decoded.left}`)
      }
    }
    // eslint-disable-next-line no-console -- the figures are what this test reports
    console.log(
      `rule "the file's required list is the authority": ${units} schemas list their required fields; ` +
        `each of the ${checked} fields they leave out decoded absent`
    )
    assert.deepStrictEqual(failures, [])
    assert.isAbove(checked, 0)
  })

  it("a GET /events list event without an id decodes, and keeps the rest", () => {
    const schema = schemas.DataEventListOrSummary as unknown as Schema.Schema<unknown, unknown>
    const page = { type: "event.list", events: [{ event_name: "invited-friend", created_at: 1717021758 }], pages: {} }
    const decoded = Decoder.decodeUnknownSync(schema)(page) as { events: ReadonlyArray<Record<string, unknown>> }
    assert.strictEqual(decoded.events[0]?.["event_name"], "invited-friend")
    assert.isUndefined(decoded.events[0]?.["id"])
  })
})
