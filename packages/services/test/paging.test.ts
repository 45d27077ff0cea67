/**
 * Every paged list of the services against a real loopback server that pages the way Intercom does in each style:
 * the walk yields exactly the server's items across page boundaries, with exactly the requests the metadata calls
 * for, and a position saved after the first page (as JSON, the way an app would persist it) resumes right after it.
 */
import { assert, describe, it } from "@effect/vitest"
import { type Paginate, Position } from "@intercom-effect/pagination"
import { SearchQuery } from "@intercom-effect/schemas"
import { Chunk, Effect, Option, Stream } from "effect"
import * as TestServer from "../../http/test/utils/TestServer.js"
import type { Paging } from "../src/index.js"
import { type All, withServices } from "./utils/services.js"

type Style = "cursor" | "search" | "pageNumber" | "scroll" | "nextUrl"
type AnyPaginator = Paginate.Paginator<unknown, { readonly id: string }, Position.Position, unknown, never>

interface Case {
  readonly name: string
  readonly style: Style
  readonly method: "GET" | "POST"
  readonly path: string
  /** The property holding a page's items. */
  readonly items: string
  readonly item: (id: string) => Record<string, unknown>
  readonly walk: (services: All, options: Paging.Options<never>) => AnyPaginator
}

const entity = (type: string) => (id: string) => ({ type, id })
const contact = (id: string) => ({
  type: "contact",
  id,
  workspace_id: "w1",
  role: "user",
  created_at: 1,
  updated_at: 1
})
const event = (id: string) => ({ type: "event", id, event_name: "invited-friend", created_at: 1717021758 })
const query = SearchQuery.field("created_at").gt(1717000000)

// The service methods are typed per list; here they are walked alike, by what they share.
const paginator = (p: unknown): AnyPaginator => p as AnyPaginator

const cases: ReadonlyArray<Case> = [
  {
    name: "Contacts.list",
    style: "cursor",
    method: "GET",
    path: "/contacts",
    items: "data",
    item: contact,
    walk: (s, o) => paginator(s.Contacts.list(o))
  },
  {
    name: "Conversations.list",
    style: "cursor",
    method: "GET",
    path: "/conversations",
    items: "conversations",
    item: entity("conversation"),
    walk: (s, o) => paginator(s.Conversations.list(o))
  },
  {
    name: "Contacts.search",
    style: "search",
    method: "POST",
    path: "/contacts/search",
    items: "data",
    item: contact,
    walk: (s, o) => paginator(s.Contacts.search(query, o))
  },
  {
    name: "Conversations.search",
    style: "search",
    method: "POST",
    path: "/conversations/search",
    items: "conversations",
    item: entity("conversation"),
    walk: (s, o) => paginator(s.Conversations.search(query, o))
  },
  {
    name: "Tickets.search",
    style: "search",
    method: "POST",
    path: "/tickets/search",
    items: "tickets",
    item: entity("ticket"),
    walk: (s, o) => paginator(s.Tickets.search(query, o))
  },
  {
    name: "Articles.list",
    style: "pageNumber",
    method: "GET",
    path: "/articles",
    items: "data",
    item: entity("article"),
    walk: (s, o) => paginator(s.Articles.list(o))
  },
  {
    name: "HelpCenter.listCollections",
    style: "pageNumber",
    method: "GET",
    path: "/help_center/collections",
    items: "data",
    item: entity("collection"),
    walk: (s, o) => paginator(s.HelpCenter.listCollections(o))
  },
  {
    name: "Companies.list",
    style: "pageNumber",
    method: "GET",
    path: "/companies",
    items: "data",
    item: entity("company"),
    walk: (s, o) => paginator(s.Companies.list({ tag_id: "t1" }, o))
  },
  {
    name: "Companies.listAll",
    style: "pageNumber",
    method: "POST",
    path: "/companies/list",
    items: "data",
    item: entity("company"),
    walk: (s, o) => paginator(s.Companies.listAll({ order: "desc" }, o))
  },
  {
    name: "Companies.scroll",
    style: "scroll",
    method: "GET",
    path: "/companies/scroll",
    items: "data",
    item: entity("company"),
    walk: (s, o) => paginator(s.Companies.scroll(o))
  },
  {
    name: "Contacts.listNotes",
    style: "pageNumber",
    method: "GET",
    path: "/contacts/c1/notes",
    items: "data",
    item: entity("note"),
    walk: (s, o) => paginator(s.Contacts.listNotes("c1", o))
  },
  {
    name: "Contacts.listCompanies",
    style: "pageNumber",
    method: "GET",
    path: "/contacts/c1/companies",
    items: "data",
    item: entity("company"),
    walk: (s, o) => paginator(s.Contacts.listCompanies("c1", o))
  },
  {
    name: "DataEvents.list",
    style: "nextUrl",
    method: "GET",
    path: "/events",
    items: "events",
    item: event,
    walk: (s, o) => paginator(s.DataEvents.list({ filter: { user_id: "u1" }, type: "user" }, o))
  }
]

const TOTAL = 7
const PER_PAGE = 3
const ids = Array.from({ length: TOTAL }, (_, i) => `item-${i + 1}`)

/** One page of `c` starting at `offset`, shaped as its style shapes it. */
const pageOf = (c: Case, baseUrl: string, offset: number, perPage: number, pageNumber: number) => {
  const slice = ids.slice(offset, offset + perPage).map(c.item)
  const end = offset + slice.length
  const more = end < TOTAL
  const items = { [c.items]: slice }
  switch (c.style) {
    case "cursor":
    case "search":
      return {
        type: "list",
        ...items,
        total_count: TOTAL,
        pages: {
          type: "pages",
          per_page: perPage,
          next: more ? { per_page: perPage, starting_after: `after-${end}` } : null
        }
      }
    case "pageNumber":
      return {
        type: "list",
        ...items,
        total_count: TOTAL,
        pages: { type: "pages", page: pageNumber, per_page: perPage, total_pages: Math.ceil(TOTAL / perPage) }
      }
    case "scroll":
      // The end of a scroll is its first empty page; until then every page hands out the scroll to continue.
      return { type: "list", ...items, scroll_param: `scroll-${end}` }
    case "nextUrl":
      return {
        type: "event.list",
        ...items,
        pages: { next: more ? `${baseUrl}${c.path}?user_id=u1&type=user&per_page=${perPage}&offset=${end}` : null }
      }
  }
}

/** Where the client asked to start, by style. */
const offsetOf = (c: Case, url: URL, body: string): { offset: number; perPage: number; pageNumber: number } => {
  const q = url.searchParams
  const perPage = Number(q.get("per_page") ?? PER_PAGE)
  switch (c.style) {
    case "cursor":
      return { offset: Number((q.get("starting_after") ?? "after-0").slice(6)), perPage, pageNumber: 0 }
    case "search": {
      const pagination = (JSON.parse(body) as { pagination?: { per_page?: number; starting_after?: string } })
        .pagination
      const offset = Number((pagination?.starting_after ?? "after-0").slice(6))
      return { offset, perPage: pagination?.per_page ?? PER_PAGE, pageNumber: 0 }
    }
    case "pageNumber": {
      const page = Number(q.get("page") ?? 1)
      return { offset: (page - 1) * perPage, perPage, pageNumber: page }
    }
    case "scroll":
      return { offset: Number((q.get("scroll_param") ?? "scroll-0").slice(7)), perPage: PER_PAGE, pageNumber: 0 }
    case "nextUrl":
      return { offset: Number(q.get("offset") ?? 0), perPage, pageNumber: 0 }
  }
}

const serve = (c: Case) =>
  TestServer.make((request, response) => {
    const url = new URL(request.url, "http://127.0.0.1")
    if (request.method !== c.method || url.pathname !== c.path) {
      return TestServer.json(response, 404, {
        type: "error.list",
        errors: [{ code: "not_found", message: url.pathname }]
      })
    }
    const { offset, perPage, pageNumber } = offsetOf(c, url, request.body)
    TestServer.json(response, 200, pageOf(c, `http://${request.headers.host}`, offset, perPage, pageNumber))
  })

const idsOf = (items: Chunk.Chunk<{ readonly id: string }>) => Chunk.toReadonlyArray(items).map((item) => item.id)

describe("paged lists walk every style exactly, and resume from a saved position", () => {
  for (const c of cases) {
    it.scopedLive(`${c.name} (${c.style})`, () =>
      Effect.gen(function* () {
        const server = yield* serve(c)
        const options = { per_page: PER_PAGE } as Paging.Options<never>
        const pages = Math.ceil(TOTAL / PER_PAGE)
        // Scroll learns the end only from an empty page; every other style from the metadata.
        const requests = c.style === "scroll" ? pages + 1 : pages

        const all = yield* withServices(server.url, (s) => Stream.runCollect(c.walk(s, options).items))
        assert.deepStrictEqual(idsOf(all), ids)
        assert.strictEqual(server.received.length, requests, "requests for a full walk")

        // Save the position after the first page as JSON, read it back, and resume from it.
        const first = yield* withServices(server.url, (s) =>
          Stream.runHead(c.walk(s, { ...options, prefetch: 0 }).pages)
        )
        const next = Option.flatMap(first, (page) => page.next)
        assert.isTrue(Option.isSome(next))
        const saved = Position.toJson(Option.getOrThrow(next))
        const start = yield* Position.fromJson(JSON.parse(JSON.stringify(saved)))
        const before = server.received.length
        const rest = yield* withServices(server.url, (s) =>
          Stream.runCollect(c.walk(s, { ...options, start: start as never }).items)
        )
        assert.deepStrictEqual(idsOf(rest), ids.slice(PER_PAGE))
        assert.strictEqual(server.received.length - before, requests - 1, "requests after resuming")
      })
    )
  }

  it.effect("covers every paged list of the services (each has a one-page method beside it)", () =>
    withServices("http://127.0.0.1:9", (services) =>
      Effect.sync(() => {
        const paged = Object.entries(services).flatMap(([service, methods]) =>
          Object.keys(methods)
            .filter((name) => name.endsWith("Page"))
            .map((name) => `${service}.${name.slice(0, -"Page".length)}`)
        )
        assert.deepStrictEqual([...paged].sort(), cases.map((c) => c.name).sort())
      })
    )
  )
})
