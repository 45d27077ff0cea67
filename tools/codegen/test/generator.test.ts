/**
 * The generator against the real spec: overrides match the file, output is deterministic, the committed
 * output is current, and a hand edit is caught.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { HEADER } from "../src/emit.js"
import { diffFiles, generateFiles, writeFiles } from "../src/generate.js"
import { buildModel } from "../src/model.js"
import { applyOverrides, type Override, overrides } from "../src/overrides.js"
import { getAt, loadSpec, parentAt, repoRoot } from "../src/spec.js"
import { describeWithSpec, specPath } from "../src/testing.js"

const generatedDir = path.join(repoRoot, "packages/schemas/src/generated")

/** What an override is about, for assertion messages. */
const label = (o: Override): string => (o.op === "param" ? `${o.method} ${o.path} ${o.name}` : o.target)

describe("overrides", () => {
  it("each has a reason", () => {
    for (const o of overrides) assert.isAbove(o.reason.trim().length, 20, label(o))
  })

  it("apply set, merge and remove", () => {
    const spec = { openapi: "3.0.1", paths: {}, components: { schemas: { a: { type: "object", x: 1 } } } }
    applyOverrides(spec, [
      { op: "merge", target: "#/components/schemas/a", reason: "r", value: { y: 2 } },
      { op: "remove", target: "#/components/schemas/a/x", reason: "r" },
      { op: "set", target: "#/components/schemas/b", reason: "r", value: { type: "string" } }
    ])
    assert.deepStrictEqual(spec.components.schemas, { a: { type: "object", y: 2 }, b: { type: "string" } } as never)
  })

  it("merge into a parameter's schema found by name, and reject a parameter that is not there", () => {
    const params = [
      { name: "page", in: "query", schema: { type: "integer" } },
      { name: "per_page", in: "query", schema: { type: "integer" } }
    ]
    const spec = { openapi: "3.0.1", paths: { "/x": { get: { parameters: params } } }, components: { schemas: {} } }
    applyOverrides(spec, [
      { op: "param", path: "/x", method: "get", name: "per_page", reason: "r", value: { maximum: 60 } }
    ])
    assert.deepStrictEqual(params[1]!.schema, { type: "integer", maximum: 60 } as never)
    assert.deepStrictEqual(params[0]!.schema, { type: "integer" })
    assert.throws(
      () => applyOverrides(spec, [{ op: "param", path: "/x", method: "get", name: "nope", reason: "r", value: {} }]),
      /param target missing/
    )
  })

  it("reject a merge into nothing", () => {
    const spec = { openapi: "3.0.1", paths: {}, components: { schemas: {} } }
    assert.throws(() =>
      applyOverrides(spec, [{ op: "merge", target: "#/components/schemas/missing", reason: "r", value: {} }])
    )
  })
})

// Each full run formats ~20,000 lines with prettier; on a 2-core CI machine running other packages' tests at the same
// time that can take well over the default 30 s. The limit only guards against a hang.
const fullRun = { timeout: 180_000 }

describeWithSpec("generator on the 2.10 file", () => {
  it("every override targets something that exists in the file (or a new leaf under an existing node)", () => {
    const spec = loadSpec(specPath)
    // Apply one by one, so that entries may build on earlier ones (e.g. a schema created, then referenced).
    for (const [i, o] of overrides.entries()) {
      if (o.op === "set") assert.doesNotThrow(() => parentAt(spec, o.target), o.target)
      else if (o.op !== "param") assert.isDefined(getAt(spec, o.target), o.target)
      // A parameter override finds its parameter by name, and throws when there is none.
      assert.doesNotThrow(() => applyOverrides(spec, overrides.slice(i, i + 1)), label(o))
    }
  })

  it("without the overrides, the dangling custom_attributes reference is reported, not crashed on", () => {
    const spec = loadSpec(specPath)
    assert.throws(() => buildModel(spec), /dangling \$ref to custom_attributes/)
  })

  it("is deterministic, covers every component schema and request body, and copies no prose", fullRun, async () => {
    const first = await generateFiles(specPath)
    const second = await generateFiles(specPath)
    assert.deepStrictEqual([...first.files], [...second.files])
    assert.strictEqual(first.stats.components, 171)
    assert.strictEqual(first.stats.operations, 108)
    const components = new Set([...first.model.units.values()].map((u) => u.component))
    for (const name of Object.keys(loadSpec(specPath).components.schemas)) assert.isTrue(components.has(name), name)
    const spec = loadSpec(specPath)
    const prose = new Set<string>()
    JSON.stringify(spec, (key, value: unknown) => {
      if ((key === "description" || key === "summary") && typeof value === "string" && value.length > 40) {
        prose.add(value)
      }
      return value
    })
    for (const [file, content] of first.files) {
      assert.isTrue(content.startsWith(HEADER), `${file} lacks the header`)
      for (const text of prose) assert.notInclude(content, text, `${file} copies spec prose`)
    }
  })

  it("the committed output matches a fresh run, and a hand edit is reported", fullRun, async () => {
    const { files } = await generateFiles(specPath)
    assert.deepStrictEqual(diffFiles(generatedDir, files), [])
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "codegen-check-"))
    try {
      writeFiles(tmp, files)
      assert.deepStrictEqual(diffFiles(tmp, files), [])
      const contacts = path.join(tmp, "contacts.ts")
      fs.writeFileSync(contacts, fs.readFileSync(contacts, "utf8").replace("Schema.String", "Schema.Number"))
      fs.writeFileSync(path.join(tmp, "stray.ts"), "export {}\n")
      const differences = diffFiles(tmp, files)
      assert.strictEqual(differences.length, 2)
      assert.match(differences[0]!, /^changed: contacts\.ts \(first difference at line \d+/)
      assert.strictEqual(differences[1], "unexpected: stray.ts")
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true })
    }
  })
})
