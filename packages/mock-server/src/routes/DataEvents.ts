/**
 * Data events: record one (202, no body), record summaries (200, no body), list a contact's events of the last 90
 * days (`pages.next` is a URL) or their summary.
 *
 * @since 0.1.0
 */
import { HttpRouter, HttpServerResponse } from "@effect/platform"
import {
  CreateDataEventRequest,
  CreateDataEventSummariesRequest,
  DataEventList,
  DataEventSummary
} from "@intercom-effect/schemas"
import { Effect } from "effect"
import * as Paging from "../internal/paging.js"
import { create, now, store } from "../internal/route.js"
import * as Reply from "../Reply.js"
import type { ContactRecord, Store } from "../State.js"

const DAY = 86_400

const contactOf = (
  s: Store,
  ref: { readonly id?: string | undefined; readonly user_id?: string | undefined; readonly email?: string | undefined }
): ContactRecord | undefined =>
  ref.id !== undefined
    ? s.contacts.get(ref.id)
    : ref.user_id !== undefined
      ? s.contactByExternalId(ref.user_id)
      : ref.email !== undefined
        ? s.contactsByEmail(ref.email)[0]
        : undefined

const createEvent = Effect.gen(function* () {
  const s = yield* store
  const body = yield* Reply.body(CreateDataEventRequest)
  const contact = contactOf(s, body)
  if (contact === undefined) return yield* Reply.notFound("not_found", "User Not Found")
  s.addEvent(contact.id, {
    type: "event",
    id: s.ids.numeric("event"),
    event_name: body.event_name,
    created_at: body.created_at,
    user_id: contact.contact.external_id ?? null,
    intercom_user_id: contact.id,
    email: contact.contact.email ?? null,
    metadata: body.metadata ?? {}
  })
  // Intercom accepts an event (a duplicate too) with 202 and no body.
  return HttpServerResponse.empty({ status: 202 })
})

const summaries = Effect.gen(function* () {
  const s = yield* store
  const body = yield* Reply.body(CreateDataEventSummariesRequest)
  if (body.user_id !== undefined && s.contactByExternalId(body.user_id) === undefined) {
    return yield* Reply.notFound("not_found", "User Not Found")
  }
  return HttpServerResponse.empty({ status: 200 })
})

const list = Effect.gen(function* () {
  const s = yield* store
  const params = yield* Reply.query
  if (params.get("type") !== "user") return yield* Reply.invalid("type", "type must be user")
  const contact = contactOf(s, {
    id: params.get("intercom_user_id") ?? undefined,
    user_id: params.get("user_id") ?? undefined,
    email: params.get("email") ?? undefined
  })
  if (contact === undefined) return yield* Reply.notFound("not_found", "User Not Found")
  const since = (yield* now) - 90 * DAY
  // Newest first, and only the last 90 days, as Intercom lists them.
  const events = (s.events.get(contact.id) ?? []).filter((e) => e.created_at >= since).reverse()
  const identity = {
    email: contact.contact.email ?? null,
    intercom_user_id: contact.id,
    user_id: contact.contact.external_id ?? null
  }
  if (params.get("summary") === "true") {
    const byName = new Map<string, { first: number; last: number; count: number }>()
    for (const e of events) {
      const entry = byName.get(e.event_name) ?? { first: e.created_at, last: e.created_at, count: 0 }
      byName.set(e.event_name, {
        first: Math.min(entry.first, e.created_at),
        last: Math.max(entry.last, e.created_at),
        count: entry.count + 1
      })
    }
    return yield* Reply.json(DataEventSummary, {
      type: "event.summary",
      ...identity,
      events: [...byName].map(([name, e]) => ({
        name,
        first: new Date(e.first * 1000).toISOString(),
        last: new Date(e.last * 1000).toISOString(),
        count: e.count,
        description: null
      }))
    })
  }
  const perPage = yield* Reply.intParam(params, "per_page", 50, { min: 1, max: 150 })
  const page = yield* Reply.intParam(params, "page", 1, { min: 1 })
  const origin = yield* Paging.origin
  const next = new URLSearchParams(params)
  next.set("per_page", String(perPage))
  next.set("page", String(page + 1))
  return yield* Reply.json(DataEventList, {
    type: "event.list",
    ...identity,
    events: events.slice((page - 1) * perPage, page * perPage),
    pages: {
      next: page * perPage < events.length ? `${origin}/events?${next}` : null,
      since: null
    }
  })
})

/**
 * The data event routes.
 *
 * @since 0.1.0
 * @category routers
 */
export const router = HttpRouter.empty.pipe(
  HttpRouter.post("/events", create(createEvent)),
  HttpRouter.post("/events/summaries", summaries),
  HttpRouter.get("/events", list)
)
