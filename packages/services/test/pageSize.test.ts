/**
 * The page size cap of each list is one fact, kept in the operation table's query schemas: `Paging.maxPerPage`
 * reads it from there, a call at the cap is sent and one past it is refused, and a walk whose size is clamped with
 * `Paging.clampPerPage` asks for the cap.
 */
import { assert, describe, expectTypeOf, it } from "@effect/vitest"
import { operations } from "@intercom-effect/schemas"
import { Chunk, Effect, Either, Schema, Stream } from "effect"
import * as TestServer from "../../http/test/utils/TestServer.js"
import { Paging } from "../src/index.js"
import { withServices } from "./utils/services.js"

// Every list whose query takes `per_page`, as `Service.method`, with the schema its calls are checked against.
const pagedLists = Object.values(operations).flatMap((operation) => {
  const query: Schema.Schema.AnyNoContext | undefined = "query" in operation ? operation.query : undefined
  const takesPerPage =
    query !== undefined &&
    query.ast._tag === "TypeLiteral" &&
    query.ast.propertySignatures.some((p) => p.name === "per_page")
  return takesPerPage ? [{ name: operation.name as Paging.PagedList, query }] : []
})

describe("Paging.maxPerPage", () => {
  it("is 60 for the companies lists and 150 for the others", () => {
    assert.strictEqual(Paging.maxPerPage("Companies.list"), 60)
    assert.strictEqual(Paging.maxPerPage("Companies.listAll"), 60)
    assert.strictEqual(Paging.maxPerPage("Contacts.list"), 150)
    assert.strictEqual(Paging.maxPerPage("Conversations.list"), 150)
    assert.strictEqual(Paging.maxPerPage("Articles.list"), 150)
  })

  it("names exactly the lists that take per_page", () => {
    expectTypeOf<"Companies.list">().toMatchTypeOf<Paging.PagedList>()
    expectTypeOf<"Companies.get">().not.toMatchTypeOf<Paging.PagedList>()
    expectTypeOf<"Contacts.search">().not.toMatchTypeOf<Paging.PagedList>()
    assert.isAbove(pagedLists.length, 5)
  })

  for (const { name, query } of pagedLists) {
    it(`${name}: its query schema takes per_page ${Paging.maxPerPage(name)} and refuses one more`, () => {
      const max = Paging.maxPerPage(name)
      assert.isTrue(Either.isRight(Schema.decodeUnknownEither(query)({ per_page: max })))
      assert.isTrue(Either.isLeft(Schema.decodeUnknownEither(query)({ per_page: max + 1 })))
    })
  }
})

describe("Paging.clampPerPage", () => {
  it("lowers a size to the list's cap and keeps a smaller one", () => {
    assert.strictEqual(Paging.clampPerPage("Companies.list", 150), 60)
    assert.strictEqual(Paging.clampPerPage("Companies.list", 25), 25)
    assert.strictEqual(Paging.clampPerPage("Contacts.list", 150), 150)
    assert.strictEqual(Paging.clampPerPage("Contacts.list", 500), 150)
  })

  it.scopedLive("a companies walk of 150 a page, clamped, asks for 60 a page and walks them all", () =>
    Effect.gen(function* () {
      const total = 130
      const server = yield* TestServer.make((request, response) => {
        const url = new URL(request.url, "http://x")
        const page = Number(url.searchParams.get("page") ?? 1)
        const perPage = Number(url.searchParams.get("per_page"))
        const data = Array.from({ length: total }, (_, i) => ({ type: "company", id: `co-${i}` })).slice(
          (page - 1) * perPage,
          page * perPage
        )
        TestServer.json(response, 200, {
          type: "list",
          data,
          total_count: total,
          pages: { type: "pages", page, per_page: perPage, total_pages: Math.ceil(total / perPage) }
        })
      })
      const items = yield* withServices(server.url, (s) =>
        Stream.runCollect(s.Companies.list(undefined, { per_page: Paging.clampPerPage("Companies.list", 150) }).items)
      )
      assert.strictEqual(Chunk.size(items), total)
      assert.deepStrictEqual(
        server.received.map((r) => new URL(r.url, "http://x").searchParams.get("per_page")),
        ["60", "60", "60"]
      )
    })
  )
})
