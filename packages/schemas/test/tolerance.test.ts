/**
 * Generated over every response schema, not over the file's examples: for each, a value with every property set is
 * built from the schema, then each optional field (at any depth the value reaches) is set to null, then removed,
 * and the value must still decode; an unknown field added to each object must survive decoding. Both decoders run:
 * the Schema (the reference) and the generated fast path, which must return the same value.
 */
import { assert, describe, it } from "@effect/vitest"
import { Either } from "effect"
import {
  decodeFast,
  decodeWithSchema,
  editAt,
  getAt,
  optionalPaths,
  type Path,
  responseSchemas,
  sample
} from "./utils/responses.js"

const show = (path: Path): string => (path.length === 0 ? "(root)" : path.join("."))

describe("every response schema tolerates what real traffic does", () => {
  it("there is one per response component (and inline response)", () => {
    // 117 generated response schemas: the file's response components plus the inline responses lifted by codegen.
    assert.isAtLeast(responseSchemas.length, 110)
  })

  // Some 8,000 decodes; the limit only guards against a hang on a loaded machine.
  it(
    "a full value, each optional field null, each optional field absent, and unknown fields all decode",
    { timeout: 120_000 },
    () => {
      const failures: Array<string> = []
      let fields = 0
      let objects = 0
      for (const { name, schema, fast } of responseSchemas) {
        const full = sample(schema.ast)
        const { optional, objects: objectPaths } = optionalPaths(schema.ast)
        const check = (label: string, input: unknown, expectField?: Path): void => {
          const reference = decodeWithSchema(schema)(input)
          const quick = decodeFast(fast, input)
          if (Either.isLeft(reference)) {
            failures.push(`${name} ${label}: the Schema rejects it: ${String(reference.left)}`)
            return
          }
          if (Either.isLeft(quick)) {
            failures.push(`${name} ${label}: the fast decoder rejects it`)
            return
          }
          assert.deepStrictEqual(quick.right, reference.right, `${name} ${label}: the two decoders disagree`)
          if (expectField !== undefined) {
            for (const decoded of [reference.right, quick.right]) {
              if (getAt(decoded, expectField) !== "kept")
                failures.push(`${name} ${label}: the unknown field was dropped`)
            }
          }
        }
        check("with every field set", full)
        for (const path of optional) {
          fields++
          check(
            `${show(path)} = null`,
            editAt(full, path, (o, k) => (o[k] = null))
          )
          check(
            `${show(path)} absent`,
            editAt(full, path, (o, k) => delete o[k])
          )
        }
        for (const path of objectPaths) {
          objects++
          const extra = [...path, "field_from_a_newer_api_version"]
          check(
            `unknown field at ${show(path)}`,
            editAt(full, extra, (o, k) => (o[k] = "kept")),
            extra
          )
        }
      }
      // eslint-disable-next-line no-console -- the figures are what this test reports
      console.log(
        `tolerance: ${responseSchemas.length} response schemas, ${fields} optional fields each decoded as null and ` +
          `as absent, an unknown field kept in each of ${objects} objects`
      )
      assert.deepStrictEqual(failures, [])
      assert.isAbove(fields, 900)
    }
  )
})
