/**
 * The operation table: every 2.10 operation, its schemas resolvable by name, and in step with the spec file.
 */
import { assert, describe, it } from "@effect/vitest"
import { Either, Schema } from "effect"
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

describe("the hand-kept facts of the table", () => {
  it("repeats every GET, PUT and DELETE, and of the POSTs only those that read", () => {
    const posts = all.filter((op) => op.method === "POST")
    assert.deepStrictEqual(
      posts
        .filter((op) => op.idempotent)
        .map((op) => op.operationId)
        .sort(),
      ["SearchContacts", "listAllCompanies", "searchConversations", "searchTickets"]
    )
    for (const op of all) if (op.method !== "POST") assert.isTrue(op.idempotent, op.operationId)
  })

  it("names each operation for its service method, once", () => {
    for (const op of all) assert.strictEqual(op.name, `${op.service}.${op.call}`)
    assert.strictEqual(new Set(all.map((op) => op.name)).size, all.length)
    assert.strictEqual(operations.identifyAdmin.name, "Admins.me")
  })

  it("says which 429 is final: only a second data export's", () => {
    assert.deepStrictEqual(
      all.filter((op) => "finalRateLimit" in op && op.finalRateLimit).map((op) => op.operationId),
      ["createDataExport"]
    )
  })

  it("gives each list its paging style and its query schema", () => {
    assert.deepStrictEqual(operations.ListContacts.paging, { style: "cursor", items: "data" })
    assert.strictEqual(operations.scrollOverAllCompanies.paging.style, "scroll")
    assert.isNull(operations.ShowContact.paging)
    const decode = Schema.decodeUnknownEither(operations.ListContacts.query)
    assert.isTrue(Either.isRight(decode({ per_page: 150 })))
    assert.isTrue(Either.isLeft(decode({ per_page: 151 })))
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
