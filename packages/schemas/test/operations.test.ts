/**
 * The operation table: every 2.10 operation, its schemas resolvable by name, and in step with the spec file.
 */
import { assert, describe, it } from "@effect/vitest"
import { operations, schemas } from "../src/index.js"
import { describeWithSpec, spec } from "@intercom-effect/codegen/testing"

const all = Object.values(operations)

describe("operations", () => {
  it("lists the 108 operations of 2.10", () => {
    assert.strictEqual(all.length, 108)
    assert.strictEqual(new Set(all.map((op) => `${op.method} ${op.path}`)).size, 108)
  })

  it("names only schemas that exist", () => {
    for (const op of all) {
      const names = [op.requestBody, ...Object.values(op.responses as Record<string, string | null>)]
      for (const name of names) if (name !== null) assert.isTrue(name in schemas, `${op.operationId}: ${name}`)
    }
  })

  it("links each operation to its page", () => {
    for (const op of all) assert.match(op.docs, /^https:\/\/developers\.intercom\.com\/docs\/references\/2\.10\//)
  })

  it("records the paging parameters the file forgets", () => {
    assert.deepStrictEqual(
      operations.ListContacts.queryParams.map((p) => p.name),
      ["per_page", "starting_after"]
    )
  })

  it("maps GET /conversations to the list the API really returns", () => {
    assert.strictEqual(operations.listConversations.responses["200"], "ConversationList")
  })
})

describeWithSpec("operations against the spec file", () => {
  it("has the same operations as the file", () => {
    const paths = spec()["paths"] as Record<string, Record<string, { operationId?: string }>>
    const inFile = Object.entries(paths).flatMap(([path, item]) =>
      ["get", "post", "put", "delete", "patch"].flatMap((m) => {
        const id = item[m]?.operationId
        return id === undefined ? [] : [`${m.toUpperCase()} ${path} ${id}`]
      })
    )
    assert.deepStrictEqual(all.map((op) => `${op.method} ${op.path} ${op.operationId}`).sort(), inFile.sort())
  })
})
