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
  decodeFast,
  decodeWithSchema,
  editAt,
  getAt,
  type Path,
  type ResponseSchema,
  responseSchemas,
  sample
} from "./utils/responses.js"

const show = (path: Path): string => (path.length === 0 ? "(root)" : path.join("."))

const isNullLiteral = (ast: SchemaAST.AST): boolean => SchemaAST.isLiteral(ast) && ast.literal === null

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

/** One property the sample reaches: where it is, its encoded type, and whether the decoded type requires it. */
interface Field {
  readonly path: Path
  readonly name: string
  readonly encoded: SchemaAST.AST
  readonly required: boolean
}

/** The object a type holds, as the sample builds it, with both sides when a transformation fills in defaults. */
const objectOf = (
  ast: SchemaAST.AST,
  path: Path
): { readonly from: SchemaAST.TypeLiteral; readonly to: SchemaAST.TypeLiteral; readonly path: Path } | undefined => {
  switch (ast._tag) {
    case "TypeLiteral":
      return ast.propertySignatures.length > 0 ? { from: ast, to: ast, path } : undefined
    case "Transformation": {
      const inner = objectOf(ast.from, path)
      return inner === undefined ? undefined : { ...inner, to: SchemaAST.isTypeLiteral(ast.to) ? ast.to : inner.to }
    }
    case "Union": {
      const first = ast.types.find((t) => !isNullLiteral(t))
      return first === undefined ? undefined : objectOf(first, path)
    }
    case "TupleType":
      return ast.rest.length > 0 ? objectOf(ast.rest[0]!.type, [...path, 0]) : undefined
    case "Suspend":
      return objectOf(ast.f(), path)
    default:
      return undefined
  }
}

/** Every property of every object the sample of `ast` holds. */
const fieldsOf = (ast: SchemaAST.AST): Array<Field> => {
  const out: Array<Field> = []
  const visit = (type: SchemaAST.AST, path: Path, depth: number): void => {
    if (depth > 60) throw new Error("fieldsOf: too deep (a recursive schema?)")
    const found = objectOf(type, path)
    if (found === undefined) return
    for (const ps of found.from.propertySignatures) {
      const name = String(ps.name)
      const at = [...found.path, name]
      const decoded = found.to.propertySignatures.find((p) => p.name === ps.name)
      out.push({ path: at, name, encoded: ps.type, required: decoded !== undefined && !decoded.isOptional })
      visit(ps.type, at, depth + 1)
    }
  }
  visit(ast, [], 0)
  return out
}

/** Decodes with both decoders; the Schema's result, or a failure message (also when they disagree). */
const decodeBoth = (
  { name, schema, fast }: ResponseSchema,
  input: unknown,
  label: string
): Either.Either<unknown, string> => {
  const reference = decodeWithSchema(schema)(input)
  const quick = decodeFast(fast, input)
  if (Either.isLeft(reference)) return Either.left(`${name} ${label}: the Schema rejects it: ${String(reference.left)}`)
  if (Either.isLeft(quick)) return Either.left(`${name} ${label}: the fast decoder rejects it`)
  assert.deepStrictEqual(quick.right, reference.right, `${name} ${label}: the two decoders disagree`)
  return Either.right(reference.right)
}

describe("the generator's real-traffic rules, over every response schema", () => {
  it("every enum decodes null, as null (a constant `type` as its constant)", () => {
    const failures: Array<string> = []
    let enums = 0
    let required = 0
    for (const target of responseSchemas) {
      const full = sample(target.schema.ast)
      for (const field of fieldsOf(target.schema.ast)) {
        const values = openEnumValues(field.encoded)
        if (values === undefined) continue
        enums++
        if (field.required) required++
        const label = `${show(field.path)} = null`
        const decoded = decodeBoth(
          target,
          editAt(full, field.path, (o, k) => (o[k] = null)),
          label
        )
        if (Either.isLeft(decoded)) {
          failures.push(decoded.left)
          continue
        }
        const value = getAt(decoded.right, field.path)
        const constant = field.name === "type" && values.length === 1 ? values[0] : undefined
        if (value !== null && value !== constant) failures.push(`${target.name} ${label}: decoded as ${String(value)}`)
      }
    }
    // eslint-disable-next-line no-console -- the figures are what this test reports
    console.log(
      `rule "an enum may be null": ${enums} enum fields (${required} of them required) each decoded from null`
    )
    assert.deepStrictEqual(failures, [])
    assert.isAbove(required, 20)
  })

  it("every constant `type` may be absent, and decodes as its constant where the type requires it", () => {
    const failures: Array<string> = []
    let constants = 0
    let filled = 0
    for (const target of responseSchemas) {
      const full = sample(target.schema.ast)
      for (const field of fieldsOf(target.schema.ast)) {
        const values = openEnumValues(field.encoded)
        if (field.name !== "type" || values?.length !== 1) continue
        constants++
        const label = `${show(field.path)} absent`
        const decoded = decodeBoth(
          target,
          editAt(full, field.path, (o, k) => delete o[k]),
          label
        )
        if (Either.isLeft(decoded)) {
          failures.push(decoded.left)
          continue
        }
        const value = getAt(decoded.right, field.path)
        if (field.required) {
          filled++
          if (value !== values[0])
            failures.push(`${target.name} ${label}: decoded as ${String(value)}, not ${values[0]}`)
        } else if (value !== undefined) {
          failures.push(`${target.name} ${label}: an optional field decoded as ${String(value)}`)
        }
      }
    }
    // eslint-disable-next-line no-console -- the figures are what this test reports
    console.log(
      `rule "a constant type may be absent": ${constants} constant \`type\` fields decoded without it, ` +
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
