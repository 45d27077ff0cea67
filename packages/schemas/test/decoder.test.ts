/**
 * The generated fast decoders agree with their Schemas: over every response schema, on arbitrary valid values and on
 * the same values mutated the ways real traffic and broken servers mutate them (wrong types, nulls, missing required
 * fields, extra fields, ids as numbers, numbers as strings), the fast decoder accepts exactly what the Schema accepts
 * and returns an equal value. And `Decoder` itself: same value, no copy when nothing changes, input never mutated.
 */
import { assert, describe, it } from "@effect/vitest"
import { Arbitrary, Either, FastCheck as fc, Schema } from "effect"
import { Contact, ContactList, Decoder } from "../src/index.js"
import { decodeFast, decodeWithSchema, type Path, responseSchemas } from "./utils/responses.js"

/** Every path to a node of a JSON-like value (objects and arrays are walked). */
const pathsOf = (value: unknown, path: Path = [], out: Array<Path> = []): Array<Path> => {
  out.push(path)
  if (Array.isArray(value)) value.forEach((item, i) => pathsOf(item, [...path, i], out))
  else if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) pathsOf(item, [...path, key], out)
  }
  return out
}

type Mutation =
  | { readonly kind: "replace"; readonly value: unknown }
  | { readonly kind: "null" }
  | { readonly kind: "delete" }
  | { readonly kind: "extra"; readonly key: string; readonly value: unknown }
  | { readonly kind: "flip" }

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("replace" as const), value: fc.jsonValue({ maxDepth: 2 }) }),
  fc.record({ kind: fc.constant("null" as const) }),
  fc.record({ kind: fc.constant("delete" as const) }),
  fc.record({
    kind: fc.constant("extra" as const),
    key: fc.string({ maxLength: 12 }).filter((key) => key !== "__proto__"),
    value: fc.jsonValue({ maxDepth: 2 })
  }),
  fc.record({ kind: fc.constant("flip" as const) })
)

/** The other lossless (or not quite) form of a scalar: numbers as strings, numeric strings as numbers. */
const flip = (value: unknown): unknown => {
  if (typeof value === "number") return String(value)
  if (typeof value === "string" && value.trim() !== "" && !Number.isNaN(Number(value))) return Number(value)
  if (typeof value === "string") return value.length
  return value
}

/** Applies a mutation at the node `pick` selects (a fraction of the list of paths), on a deep copy. */
const mutate = (value: unknown, pick: number, m: Mutation): unknown => {
  const paths = pathsOf(value)
  const path = paths[Math.floor(pick * paths.length)]!
  if (path.length === 0) {
    if (m.kind === "replace") return m.value
    if (m.kind === "null") return null
    if (m.kind === "flip") return flip(value)
  }
  const copy = structuredClone(value)
  const parentPath = m.kind === "extra" ? path : path.slice(0, -1)
  let parent = copy as Record<string | number, unknown>
  for (const step of parentPath) parent = parent[step] as Record<string | number, unknown>
  const key = path[path.length - 1]!
  switch (m.kind) {
    case "replace":
      parent[key] = m.value
      break
    case "null":
      parent[key] = null
      break
    case "delete":
      if (Array.isArray(parent)) parent.splice(Number(key), 1)
      else delete parent[key]
      break
    case "flip":
      parent[key] = flip(parent[key])
      break
    case "extra":
      if (typeof parent === "object" && parent !== null && !Array.isArray(parent)) parent[m.key] = m.value
      break
  }
  return copy
}

/**
 * Whether every object in a value is a plain object or array, as JSON.parse makes them, with no own `__proto__` key.
 * Generators can build objects whose `__proto__` key set their prototype instead; and for an own `__proto__` key
 * (which JSON.parse does make) Schema sets the decoded object's prototype where the fast path keeps the field: the
 * one input on which the two differ on purpose.
 */
const isPlain = (value: unknown): boolean => {
  if (typeof value !== "object" || value === null) return true
  const proto = Object.getPrototypeOf(value)
  if (proto !== (Array.isArray(value) ? Array.prototype : Object.prototype)) return false
  if (Object.prototype.hasOwnProperty.call(value, "__proto__")) return false
  return Object.values(value).every(isPlain)
}

const agree = (name: string, schema: Schema.Schema<unknown, unknown>, fast: Decoder.FastPath, input: unknown) => {
  const reference = decodeWithSchema(schema)(input)
  const quick = decodeFast(fast, input)
  if (Either.isLeft(reference)) {
    assert.isTrue(Either.isLeft(quick), `${name}: the fast decoder accepts what the Schema rejects`)
  } else {
    assert.isTrue(Either.isRight(quick), `${name}: the fast decoder rejects what the Schema accepts`)
    assert.deepStrictEqual(Either.getOrThrow(quick), reference.right, `${name}: the decoded values differ`)
  }
  return Either.isRight(reference)
}

describe("fast decoders agree with their Schemas", () => {
  const counts = { valid: 0, accepted: 0, rejected: 0 }

  for (const { name, schema, fast } of responseSchemas) {
    // Valid wire values: arbitrary decoded values of the schema, encoded back. (The arbitrary of an index signature
    // may reuse a declared property's name for an unknown value, which then does not encode: such values are skipped.)
    const valid = Arbitrary.make(schema)
      .map((value) => Schema.encodeEither(schema)(value))
      .filter(Either.isRight)
      .map((encoded) => encoded.right)
      .filter(isPlain)

    it(name, () => {
      fc.assert(
        fc.property(
          valid,
          fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
          mutation,
          (value, pick, m) => {
            assert.isTrue(agree(name, schema, fast, value), `${name}: a valid value does not decode`)
            counts.valid++
            const mutated = mutate(value, pick, m)
            if (!isPlain(mutated)) return
            if (agree(name, schema, fast, mutated)) counts.accepted++
            else counts.rejected++
          }
        ),
        { numRuns: 40 }
      )
    })
  }

  it("covered valid values and mutations both accepted and rejected", () => {
    // eslint-disable-next-line no-console -- the figures are what this suite reports
    console.log(
      `fast decoders vs Schemas: ${responseSchemas.length} schemas, ${counts.valid} valid values, ` +
        `${counts.accepted + counts.rejected} mutated ones (${counts.accepted} accepted, ${counts.rejected} rejected by both)`
    )
    assert.isAbove(counts.accepted, 100)
    assert.isAbove(counts.rejected, 100)
  })
})

describe("Decoder", () => {
  const contact = {
    type: "contact",
    id: "c1",
    workspace_id: "w1",
    role: "user",
    created_at: 1717021758,
    updated_at: 1717021758
  }

  it("returns the parsed value itself when nothing needs converting", () => {
    const input = { type: "list", data: [contact, { ...contact, id: "c2" }], pages: null }
    const decoded = Decoder.decodeUnknownSync(ContactList)(input)
    assert.strictEqual(decoded, input)
  })

  it("copies only the path to a converted field and never mutates its input", () => {
    const other = { ...contact, id: "c2" }
    const input = { type: "list", data: [{ ...contact, id: 42, created_at: "1717021758" }, other] }
    const before = structuredClone(input)
    const decoded = Decoder.decodeUnknownSync(ContactList)(input)
    assert.deepStrictEqual(input, before)
    assert.strictEqual(decoded.data[0]!.id, "42")
    assert.strictEqual(decoded.data[0]!.created_at, 1717021758)
    assert.strictEqual(decoded.data[1], other)
  })

  it("falls back to the Schema for the error, which names the path and the item index", () => {
    const result = Decoder.decodeUnknownEither(ContactList)({ type: "list", data: [contact, { ...contact, email: 5 }] })
    assert.isTrue(Either.isLeft(result))
    const message = String(Either.flip(result).pipe(Either.getOrThrow))
    assert.include(message, '["data"]')
    assert.include(message, "[1]")
    assert.include(message, '["email"]')
  })

  it("decodes through the Schema when a schema has no fast path", () => {
    const list = Schema.Array(Contact)
    assert.isTrue(Decoder.fastPath(list)._tag === "None")
    assert.deepStrictEqual(Decoder.decodeUnknownSync(list)([{ ...contact, id: 7 }]), [{ ...contact, id: "7" }])
  })
})
