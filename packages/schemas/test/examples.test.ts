/**
 * Every response example in the 2.10 file decodes with the schema the operation table gives for its operation
 * and status. Examples that contradict the file's own schema are fixed by entries in
 * tools/codegen/src/overrides.ts, never skipped here.
 */
import { assert, it } from "@effect/vitest"
import { Either, ParseResult, Schema } from "effect"
import { Decoder, operations, schemas } from "../src/index.js"
import { describeWithSpec, spec } from "@intercom-effect/codegen/testing"

/** A loosely typed OpenAPI node. */
type SpecNode = { readonly [key: string]: unknown }

const isNode = (value: unknown): value is SpecNode =>
  typeof value === "object" && value !== null && !Array.isArray(value)

interface Example {
  readonly label: string
  readonly schema: string | null
  readonly value: unknown
}

/** All response examples of the file, with the schema name the operation table maps them to. */
const responseExamples = (): Array<Example> => {
  const paths = spec()["paths"] as Record<string, Record<string, unknown>>
  const out: Array<Example> = []
  for (const op of Object.values(operations)) {
    const operation = paths[op.path]?.[op.method.toLowerCase()]
    if (!isNode(operation) || !isNode(operation["responses"])) throw new Error(`${op.operationId} not in the spec`)
    for (const [status, response] of Object.entries(operation["responses"])) {
      const json = isNode(response) && isNode(response["content"]) ? response["content"]["application/json"] : undefined
      if (!isNode(json)) continue
      const schema = (op.responses as Record<string, string | null>)[status] ?? null
      const label = `${op.operationId} ${status}`
      if ("example" in json) out.push({ label, schema, value: json["example"] })
      if (isNode(json["examples"])) {
        for (const [name, example] of Object.entries(json["examples"])) {
          if (isNode(example) && "value" in example)
            out.push({ label: `${label} "${name}"`, schema, value: example["value"] })
        }
      }
    }
  }
  return out
}

describeWithSpec("response examples of the 2.10 file", () => {
  it("all decode with the schema of their operation and status", () => {
    const examples = responseExamples()
    const failures: Array<string> = []
    for (const example of examples) {
      if (example.schema === null) {
        failures.push(`${example.label}: the operation table has no schema for it`)
        continue
      }
      const schema = schemas[example.schema as keyof typeof schemas] as Schema.Schema<unknown, unknown>
      const result = Schema.decodeUnknownEither(schema)(example.value)
      if (Either.isLeft(result)) {
        failures.push(
          `${example.label} (${example.schema}):\n${ParseResult.TreeFormatter.formatErrorSync(result.left)}`
        )
        continue
      }
      // The fast path must take every example too, and agree with the Schema on it.
      const fast = Decoder.fastPath(schema)
      const quick = fast._tag === "Some" ? fast.value(example.value) : Decoder.Invalid
      if (quick === Decoder.Invalid) failures.push(`${example.label} (${example.schema}): the fast decoder rejects it`)
      else assert.deepStrictEqual(quick, result.right, example.label)
    }
    const decoded = examples.length - failures.length
    // eslint-disable-next-line no-console -- the figure is part of what this test reports
    console.log(
      `response examples decoded by the Schema and the fast decoder: ${decoded}/${examples.length} ` +
        `(${((100 * decoded) / examples.length).toFixed(1)} %)`
    )
    assert.isAbove(examples.length, 100)
    assert.deepStrictEqual(failures, [])
  })
})
