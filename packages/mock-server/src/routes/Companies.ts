/**
 * Companies: create-or-update by `company_id`, get, update, delete, list by page (`GET /companies`,
 * `POST /companies/list`; the first 10,000 only, as at Intercom), scroll, and their contacts and segments.
 *
 * @since 0.1.0
 */
import { HttpRouter } from "@effect/platform"
import {
  Company,
  CompanyAttachedContacts,
  CompanyAttachedSegments,
  CompanyList,
  CompanyScroll,
  CreateOrUpdateCompanyRequest,
  DeletedCompanyObject
} from "@intercom-effect/schemas"
import { Clock, Effect } from "effect"
import { sliceAfter } from "../internal/collection.js"
import * as Paging from "../internal/paging.js"
import * as Render from "../internal/render.js"
import { byId, create, now, param, store } from "../internal/route.js"
import * as Wire from "../internal/wire.js"
import * as Reply from "../Reply.js"
import type { CompanyRecord, Store } from "../State.js"

/**
 * Companies past this many are reachable only by scroll.
 *
 * @since 0.1.0
 * @category constants
 */
export const pageLimit = 10_000

/**
 * Companies per scroll page.
 *
 * @since 0.1.0
 * @category constants
 */
export const scrollPageSize = 50

/**
 * How long a scroll may sit idle before it expires, in milliseconds.
 *
 * @since 0.1.0
 * @category constants
 */
export const scrollIdleMillis = 60_000

/**
 * Finds a company by Intercom's id, or answers Intercom's 404 (the contacts routes attach companies through it too).
 *
 * @internal
 */
export const find = (s: Store, id: string): Effect.Effect<CompanyRecord, Reply.ApiError> => {
  const record = s.companies.get(id)
  return record === undefined ? Reply.notFound("company_not_found", "Company Not Found") : Effect.succeed(record)
}

const plan = (name: string) => ({ type: "plan", id: name, name })

const fieldsOf = (body: CreateOrUpdateCompanyRequest) => {
  const { plan: planName, custom_attributes: _, ...rest } = body
  return { ...rest, ...(planName === undefined ? {} : { plan: plan(planName) }) }
}

const respond = (s: Store, record: CompanyRecord) => Reply.json(Company, Render.company(s, record))

const createOrUpdate = Effect.gen(function* () {
  const s = yield* store
  const body = yield* Reply.body(CreateOrUpdateCompanyRequest)
  const at = yield* now
  const existing = body.company_id === undefined ? undefined : s.companyByCompanyId(body.company_id)
  if (existing !== undefined) {
    s.updateCompany(existing, {
      ...existing.company,
      ...fieldsOf(body),
      custom_attributes: { ...existing.company.custom_attributes, ...body.custom_attributes },
      updated_at: at
    })
    return yield* respond(s, existing)
  }
  if (body.company_id === undefined && body.name === undefined) {
    return yield* Reply.fail(400, "parameter_not_found", "company_id or name is required", "company_id")
  }
  const id = s.ids.object("company", at)
  const record = s.addCompany({
    type: "company",
    id,
    app_id: s.app.id_code ?? null,
    name: body.name ?? null,
    company_id: body.company_id ?? id,
    plan: {},
    created_at: at,
    updated_at: at,
    last_request_at: null,
    monthly_spend: 0,
    session_count: 0,
    ...fieldsOf(body),
    custom_attributes: body.custom_attributes ?? {}
  })
  return yield* respond(s, record)
})

const update = Effect.gen(function* () {
  const s = yield* store
  const record = yield* find(s, yield* param("id"))
  // The SDK's Companies.update sends no body (the file declares none); a body may still set fields.
  const body = yield* Effect.flatMap(Reply.rawBody, (text) => Reply.decodeText(CreateOrUpdateCompanyRequest, text))
  if (body.company_id !== undefined && body.company_id !== record.company.company_id) {
    return yield* Reply.invalid("company_id", "company_id cannot be updated")
  }
  s.updateCompany(record, {
    ...record.company,
    ...fieldsOf(body),
    custom_attributes: { ...record.company.custom_attributes, ...body.custom_attributes },
    updated_at: yield* now
  })
  return yield* respond(s, record)
})

const remove = Effect.gen(function* () {
  const s = yield* store
  const record = yield* find(s, yield* param("id"))
  s.removeCompany(record)
  return yield* Reply.json(DeletedCompanyObject, { id: record.id, object: "company", deleted: true })
})

const byPage = (records: ReadonlyArray<CompanyRecord>, path: string, extra: string) =>
  Effect.gen(function* () {
    const s = yield* store
    const page = yield* Paging.pageOf(records.slice(0, pageLimit), path, { default: 15, max: 60 }, extra)
    return yield* Reply.list(
      CompanyList,
      // The true count, although only the first 10,000 can be paged to.
      { type: "list", data: [], total_count: records.length, pages: page.pages },
      "data",
      Wire.companies.all(s, page.data)
    )
  })

const list = Effect.gen(function* () {
  const s = yield* store
  const params = yield* Reply.query
  const name = params.get("name")
  const companyId = params.get("company_id")
  const tagId = params.get("tag_id")
  const segmentId = params.get("segment_id")
  const records = s.companies
    .values(
      (r) =>
        (name === null || r.company.name === name) &&
        (companyId === null || r.company.company_id === companyId) &&
        (tagId === null || r.tags.has(tagId)) &&
        // The mock has no segments: a segment filter matches nothing.
        segmentId === null
    )
    .reverse()
  if ((name !== null || companyId !== null) && records.length === 0) {
    return yield* Reply.notFound("company_not_found", "Company Not Found")
  }
  const extra = [...params].filter(([k]) => k !== "page" && k !== "per_page")
  return yield* byPage(records, "/companies", extra.map(([k, v]) => `&${k}=${encodeURIComponent(v)}`).join(""))
})

const listAll = Effect.gen(function* () {
  const s = yield* store
  const params = yield* Reply.query
  const order = params.get("order") ?? "desc"
  if (order !== "asc" && order !== "desc") return yield* Reply.invalid("order", "order must be asc or desc")
  const records = s.companies.values()
  return yield* byPage(order === "desc" ? records.reverse() : records, "/companies/list", `&order=${order}`)
})

// A scroll param names the scroll and the position after the page it came with, so asking for the same page twice
// (a retry) gives the same page. Intercom's own param may move on when an answer is lost.
const scroll = Effect.gen(function* () {
  const s = yield* store
  const params = yield* Reply.query
  const clock = yield* Clock.currentTimeMillis
  const given = params.get("scroll_param")
  const open = s.scroll !== undefined && !s.scroll.done && clock - s.scroll.lastUsedAt < scrollIdleMillis
  let after: number | undefined
  if (given === null || given === "") {
    if (open) return yield* Reply.fail(400, "scroll_exists", "A scroll is already open for this workspace")
    s.scroll = { id: s.ids.numeric("scroll").padStart(8, "0"), lastUsedAt: clock, done: false }
  } else {
    const [id, position] = given.split(".")
    const current = s.scroll
    if (current === undefined || current.id !== id || clock - current.lastUsedAt >= scrollIdleMillis) {
      return yield* Reply.notFound("scroll_not_found", "Scroll parameter not found or expired")
    }
    after = Number(position)
  }
  const current = s.scroll!
  current.lastUsedAt = clock
  const records = s.companies.values()
  const slice = sliceAfter(records, after, scrollPageSize)
  if (slice.items.length === 0) current.done = true
  const last = slice.items[slice.items.length - 1]
  return yield* Reply.list(
    CompanyScroll,
    {
      type: "list",
      data: [],
      pages: null,
      total_count: records.length,
      scroll_param: `${current.id}.${last?.seq ?? after ?? 0}`
    },
    "data",
    Wire.companies.all(s, slice.items)
  )
})

const listContacts = Effect.gen(function* () {
  const s = yield* store
  const record = yield* find(s, yield* param("id"))
  const contacts = [...record.contacts].flatMap((c) => s.contacts.get(c) ?? []).sort((a, b) => a.seq - b.seq)
  const page = yield* Paging.pageOf(contacts, `/companies/${record.id}/contacts`, { default: 50, max: 150 })
  return yield* Reply.list(
    CompanyAttachedContacts,
    { type: "list", data: [], total_count: page.total_count, pages: page.pages },
    "data",
    Wire.contacts.all(s, page.data)
  )
})

/**
 * The company routes.
 *
 * @since 0.1.0
 * @category routers
 */
export const router = HttpRouter.empty.pipe(
  HttpRouter.post("/companies", create(createOrUpdate)),
  HttpRouter.get("/companies", list),
  HttpRouter.post("/companies/list", listAll),
  HttpRouter.get("/companies/scroll", scroll),
  HttpRouter.get("/companies/:id", byId(find, respond)),
  HttpRouter.put("/companies/:id", update),
  HttpRouter.del("/companies/:id", remove),
  HttpRouter.get("/companies/:id/contacts", listContacts),
  HttpRouter.get(
    "/companies/:id/segments",
    byId(find, () => Reply.json(CompanyAttachedSegments, { type: "list", data: [] }))
  )
)
