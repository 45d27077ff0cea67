/**
 * What the services refuse before sending, over a real socket that counts requests: query parameters outside what
 * Intercom accepts (checked like bodies), walk options that are not whole numbers, and a resume position taken on
 * another page size, another query or another list (which would skip or repeat rows). And what they still do: a
 * position of the same walk resumes exactly where it left off.
 */
import { assert, describe, it } from "@effect/vitest"
import { type IntercomError } from "@intercom-effect/http"
import { Position } from "@intercom-effect/pagination"
import { SearchQuery } from "@intercom-effect/schemas"
import { Chunk, Effect, Option, Stream } from "effect"
import * as TestServer from "../../http/test/utils/TestServer.js"
import type { All } from "./utils/services.js"
import { withServices } from "./utils/services.js"

const company = (id: string) => ({ type: "company", id })
const contact = { type: "contact", id: "c1", workspace_id: "w", role: "user", created_at: 1, updated_at: 1 }
const TOTAL = 7

/**
 * Answers page-numbered lists from `page`/`per_page` in the query, cursor lists and searches by an offset cursor,
 * and anything else with a contact.
 */
const server = TestServer.make((request, response) => {
  const url = new URL(request.url, "http://x")
  const perPage = Number(url.searchParams.get("per_page") ?? 15)
  if (url.pathname === "/companies") {
    const page = Number(url.searchParams.get("page") ?? 1)
    const data = Array.from({ length: TOTAL }, (_, i) => company(`co-${i + 1}`)).slice(
      (page - 1) * perPage,
      page * perPage
    )
    return TestServer.json(response, 200, {
      type: "list",
      data,
      total_count: TOTAL,
      pages: { type: "pages", page, per_page: perPage, total_pages: Math.ceil(TOTAL / perPage) }
    })
  }
  if (url.pathname === "/contacts/search") {
    const body = JSON.parse(request.body) as { pagination?: { starting_after?: string } }
    const offset = Number(body.pagination?.starting_after ?? 0)
    return TestServer.json(response, 200, {
      type: "list",
      data: [{ ...contact, id: `c${offset + 1}` }],
      pages: { type: "pages", next: offset + 1 < TOTAL ? { starting_after: String(offset + 1) } : null }
    })
  }
  return TestServer.json(response, 200, contact)
})

/** Runs `f` against a fresh server; the error it fails with, and the requests the server saw. */
const refusedBy = <A>(f: (services: All) => Effect.Effect<A, IntercomError.IntercomError>) =>
  Effect.gen(function* () {
    const s = yield* server
    const error = yield* withServices(s.url, f).pipe(Effect.flip)
    assert.strictEqual(error._tag, "InvalidRequest", error.message)
    assert.strictEqual(s.received.length, 0, "the server received a request")
    return error as IntercomError.InvalidRequest
  })

const drain = <A, E>(stream: Stream.Stream<A, E>) => Stream.runCollect(stream).pipe(Effect.map(Chunk.toReadonlyArray))

describe("query parameters are checked against Intercom's limits before sending", () => {
  const cases: ReadonlyArray<
    readonly [string, (s: All) => Effect.Effect<unknown, IntercomError.IntercomError>, string]
  > = [
    ["Contacts.listPage per_page -1", (s) => s.Contacts.listPage({ per_page: -1 }), "per_page"],
    ["Contacts.listPage per_page 0", (s) => s.Contacts.listPage({ per_page: 0 }), "per_page"],
    ["Contacts.listPage per_page NaN", (s) => s.Contacts.listPage({ per_page: NaN }), "per_page"],
    ["Contacts.listPage per_page Infinity", (s) => s.Contacts.listPage({ per_page: Infinity }), "per_page"],
    ["Contacts.listPage per_page 151", (s) => s.Contacts.listPage({ per_page: 151 }), "per_page"],
    ["Conversations.listPage per_page 2.5", (s) => s.Conversations.listPage({ per_page: 2.5 }), "per_page"],
    ["Companies.listPage per_page 61 (60 is its cap)", (s) => s.Companies.listPage({ per_page: 61 }), "per_page"],
    ["Companies.listAllPage per_page 61", (s) => s.Companies.listAllPage({ per_page: 61 }), "per_page"],
    ["Articles.listPage page 1.5", (s) => s.Articles.listPage({ page: 1.5 }), "page"],
    ["Articles.listPage page 0", (s) => s.Articles.listPage({ page: 0 }), "page"],
    ["Contacts.listNotesPage page -Infinity", (s) => s.Contacts.listNotesPage("c1", { page: -Infinity }), "page"],
    ["a walk's per_page out of range", (s) => drain(s.Companies.list(undefined, { per_page: 0 }).pages), "per_page"],
    [
      "DataEvents.listPage filter with a key it does not take",
      (s) => s.DataEvents.listPage({ filter: { user_id: "u", email: "e" } as never, type: "user" }),
      "filter"
    ],
    ["DataAttributes.list model outside its enum", (s) => s.DataAttributes.list({ model: "ticket" as never }), "model"]
  ]
  for (const [label, call, field] of cases) {
    it.scopedLive(`${label}: InvalidRequest naming ${field}, nothing sent`, () =>
      Effect.gen(function* () {
        const error = yield* refusedBy(call)
        assert.strictEqual(error.location, "query")
        assert.strictEqual(error.field?.split(".")[0], field, error.message)
      })
    )
  }

  it.scopedLive("the limits themselves are accepted", () =>
    Effect.gen(function* () {
      const s = yield* server
      yield* withServices(s.url, (services) =>
        Effect.all([
          services.Companies.listPage({ per_page: 60, page: 1 }),
          services.Contacts.listCompaniesPage("c1", { per_page: 150, page: 2 })
        ])
      ).pipe(Effect.ignore)
      const sent = s.received.map((r) => {
        const url = new URL(r.url, "http://x")
        return [url.pathname, url.searchParams.get("page"), url.searchParams.get("per_page")]
      })
      assert.deepStrictEqual(sent, [
        ["/companies", "1", "60"],
        ["/contacts/c1/companies", "2", "150"]
      ])
    })
  )
})

describe("path parameters go through the one path builder", () => {
  for (const id of ["", ".", "..", "\ud800", "x\udfff"]) {
    it.scopedLive(`${JSON.stringify(id)} as an id: InvalidRequest naming it, nothing sent`, () =>
      Effect.gen(function* () {
        const error = yield* refusedBy((s) => s.Contacts.detachTag("c1", id))
        assert.strictEqual(error.location, "path")
        assert.strictEqual(error.field, "id")
        assert.strictEqual(error.path, "/contacts/{contact_id}/tags/{id}")
      })
    )
  }
})

describe("walk options", () => {
  for (const [option, value] of [
    ["maxItems", NaN],
    ["maxItems", -1],
    ["maxPages", 1.5],
    ["prefetch", Infinity]
  ] as const) {
    it.scopedLive(`${option}: ${value} is refused before the walk sends anything`, () =>
      Effect.gen(function* () {
        const error = yield* refusedBy((s) => drain(s.Companies.list(undefined, { [option]: value }).items))
        assert.strictEqual(error.field, option)
      })
    )
  }

  it.scopedLive("a start of another paging style is refused, not read as the beginning", () =>
    Effect.gen(function* () {
      const error = yield* refusedBy((s) =>
        drain(s.Companies.list(undefined, { start: Position.cursor("abc") as unknown as Position.PageNumber }).pages)
      )
      assert.strictEqual(error.field, "start")
    })
  )
})

describe("page-number positions record their page size and query, and refuse another", () => {
  /** Walks one page of Companies.list and returns the position after it. */
  const firstPage = (s: All, perPage: number, query?: { readonly name?: string }) =>
    Effect.map(drain(s.Companies.list(query, { per_page: perPage, maxPages: 1 }).pages), (pages) =>
      Option.getOrThrow(pages[0]!.next)
    )

  it.scopedLive("the position after a page carries its page size and the query's fingerprint", () =>
    Effect.gen(function* () {
      const s = yield* server
      const next = yield* withServices(s.url, (services) => firstPage(services, 3))
      assert.strictEqual(next.page, 2)
      assert.strictEqual(next.perPage, 3)
      assert.match(next.query ?? "", /^[0-9a-f]{16}$/)
    })
  )

  it.scopedLive("resuming with the same size and query continues exactly after the page", () =>
    Effect.gen(function* () {
      const s = yield* server
      const ids = yield* withServices(s.url, (services) =>
        Effect.gen(function* () {
          const next = yield* firstPage(services, 3)
          // Saved and read back the way an app persists it.
          const saved = yield* Position.fromJson(Position.toJson(next))
          return yield* drain(
            services.Companies.list(undefined, { per_page: 3, start: saved as Position.PageNumber }).items
          )
        })
      )
      assert.deepStrictEqual(
        ids.map((c) => c.id),
        ["co-4", "co-5", "co-6", "co-7"]
      )
    })
  )

  it.scopedLive("resuming with another page size is refused (it would skip or repeat rows)", () =>
    Effect.gen(function* () {
      const s = yield* server
      const error = yield* withServices(s.url, (services) =>
        Effect.flatMap(firstPage(services, 3), (next) => {
          s.received.length = 0
          return drain(services.Companies.list(undefined, { per_page: 5, start: next }).items)
        })
      ).pipe(Effect.flip)
      assert.strictEqual(error._tag, "InvalidRequest")
      assert.strictEqual((error as IntercomError.InvalidRequest).field, "start")
      assert.include(error.message, "3 a page")
      assert.include(error.message, "5 a page")
      assert.strictEqual(s.received.length, 0)
    })
  )

  it.scopedLive("resuming with another query, another list or another contact is refused", () =>
    Effect.gen(function* () {
      const s = yield* server
      const errors = yield* withServices(s.url, (services) =>
        Effect.gen(function* () {
          const next = yield* firstPage(services, 3, { name: "Acme" })
          s.received.length = 0
          return yield* Effect.all([
            Effect.flip(drain(services.Companies.list({ name: "Other" }, { per_page: 3, start: next }).pages)),
            Effect.flip(drain(services.Companies.listAll(undefined, { per_page: 3, start: next }).pages)),
            Effect.flip(drain(services.Contacts.listNotes("c2", { per_page: 3, start: next }).pages))
          ])
        })
      )
      for (const error of errors) {
        assert.strictEqual(error._tag, "InvalidRequest")
        assert.include(error.message, "another query")
      }
      assert.strictEqual(s.received.length, 0)
    })
  )

  it.scopedLive("a position saved before positions carried their basis is refused with a clear word", () =>
    Effect.gen(function* () {
      const old = yield* Position.fromJson('{"_tag":"PageNumber","page":3}')
      const error = yield* refusedBy((services) =>
        drain(services.Companies.list(undefined, { per_page: 3, start: old as Position.PageNumber }).pages)
      )
      assert.strictEqual(error.field, "start")
      assert.include(error.message, "page size")
    })
  )
})

describe("search cursors record their query and refuse another", () => {
  const a = SearchQuery.field("created_at").gt(1)
  const b = SearchQuery.field("created_at").gt(2)

  it.scopedLive("a cursor resumes its own search, and is refused by another", () =>
    Effect.gen(function* () {
      const s = yield* server
      const { resumed, refused } = yield* withServices(s.url, (services) =>
        Effect.gen(function* () {
          const [first] = yield* drain(services.Contacts.search(a, { maxPages: 1 }).pages)
          const next = Option.getOrThrow(first!.next)
          const resumed = yield* drain(services.Contacts.search(a, { start: next, maxPages: 1 }).items)
          const before = s.received.length
          const refused = yield* Effect.flip(drain(services.Contacts.search(b, { start: next }).pages))
          assert.strictEqual(s.received.length, before)
          return { resumed, refused }
        })
      )
      assert.deepStrictEqual(
        resumed.map((c) => c.id),
        ["c2"]
      )
      assert.strictEqual(refused._tag, "InvalidRequest")
      assert.include(refused.message, "another query")
    })
  )

  it.scopedLive("a cursor of a plain list (no query recorded) does not resume a search", () =>
    Effect.gen(function* () {
      const error = yield* refusedBy((services) =>
        drain(services.Contacts.search(a, { start: Position.cursor("5") }).pages)
      )
      assert.strictEqual(error.field, "start")
    })
  )
})
