/**
 * Conversations: create (as a contact), get with parts, update, reply, manage (close, snooze, open, assign), list by
 * cursor, search, and their tags.
 *
 * @since 0.1.0
 */
import { HttpRouter } from "@effect/platform"
import {
  AttachTagToConversationRequest,
  Conversation,
  ConversationList,
  type ConversationPart,
  type ConversationPartAuthor,
  CreateConversationRequest,
  CreateConversationResponse,
  DetachTagFromConversationRequest,
  ManageConversationRequest,
  ReplyConversationRequest,
  SearchQuery,
  Tag,
  UpdateConversationRequest
} from "@intercom-effect/schemas"
import { Effect } from "effect"
import * as Paging from "../internal/paging.js"
import * as Render from "../internal/render.js"
import { byId, create, now, param, search as searchRoute, store } from "../internal/route.js"
import * as Wire from "../internal/wire.js"
import * as Reply from "../Reply.js"
import * as Search from "../Search.js"
import type { ContactRecord, ConversationRecord, Store } from "../State.js"

const find = (s: Store, id: string): Effect.Effect<ConversationRecord, Reply.ApiError> => {
  const record = s.conversations.get(id)
  return record === undefined ? Reply.notFound("not_found", "Resource Not Found") : Effect.succeed(record)
}

const findAdmin = (s: Store, id: string) => {
  const admin = s.admin(id)
  return admin === undefined ? Reply.notFound("admin_not_found", "Admin not found") : Effect.succeed(admin)
}

const contactAuthor = (r: ContactRecord): ConversationPartAuthor => ({
  // The mock's contacts always have a role; the type admits null because real traffic sends it.
  type: r.contact.role ?? "user",
  id: r.id,
  name: r.contact.name ?? null,
  email: r.contact.email ?? null
})

const respond = (s: Store, r: ConversationRecord) => Reply.json(Conversation, Render.conversation(s, r))

/** Appends a part and applies the changes it brings to the conversation. */
const addPart = (
  s: Store,
  r: ConversationRecord,
  part: Omit<ConversationPart, "type" | "id" | "created_at" | "updated_at" | "notified_at">,
  at: number,
  changes: Partial<Conversation>
) => {
  r.parts.push({
    type: "conversation_part",
    id: s.ids.numeric("part"),
    created_at: at,
    updated_at: at,
    notified_at: at,
    assigned_to: null,
    attachments: [],
    external_id: null,
    redacted: false,
    ...part
  })
  r.conversation = { ...r.conversation, ...changes, updated_at: at }
  s.touch()
}

const createConversation = Effect.gen(function* () {
  const s = yield* store
  const body = yield* Reply.body(CreateConversationRequest)
  const contact = s.contacts.get(body.from.id)
  if (contact === undefined || (body.from.type !== "contact" && body.from.type !== contact.contact.role)) {
    return yield* Reply.notFound("not_found", "User Not Found")
  }
  const at = yield* now
  const messageId = s.ids.numeric("message")
  const record = s.addConversation(
    {
      type: "conversation",
      id: s.ids.numeric("conversation"),
      title: null,
      created_at: at,
      updated_at: at,
      waiting_since: at,
      snoozed_until: null,
      open: true,
      state: "open",
      read: false,
      priority: "not_priority",
      admin_assignee_id: null,
      team_assignee_id: null,
      conversation_rating: null,
      source: {
        type: "conversation",
        id: messageId,
        delivered_as: "customer_initiated",
        subject: body.subject ?? "",
        body: body.body,
        author: contactAuthor(contact),
        attachments: (body.attachment_urls ?? []).map((url) => ({ type: "upload", url })),
        url: null,
        redacted: false
      },
      teammates: { type: "admin.list", teammates: [] },
      first_contact_reply: { created_at: at, type: "conversation", url: null },
      sla_applied: null,
      linked_objects: { type: "list", total_count: 0, has_more: false, data: [] }
    },
    [contact.id]
  )
  return yield* Reply.json(CreateConversationResponse, {
    type: "user_message",
    id: messageId,
    created_at: at,
    body: body.body,
    message_type: "inapp",
    conversation_id: record.id
  })
})

const update = Effect.gen(function* () {
  const s = yield* store
  const record = yield* find(s, yield* param("id"))
  const body = yield* Reply.body(UpdateConversationRequest)
  record.conversation = { ...record.conversation, ...body, updated_at: yield* now }
  s.touch()
  return yield* respond(s, record)
})

const reply = Effect.gen(function* () {
  const s = yield* store
  const record = yield* find(s, yield* param("id"))
  const body = yield* Reply.body(ReplyConversationRequest)
  const at = yield* now
  if (body.type === "admin") {
    const admin = yield* findAdmin(s, body.admin_id)
    addPart(
      s,
      record,
      {
        part_type: body.message_type,
        body: body.body ?? null,
        author: { type: "admin", id: admin.id, name: admin.name ?? null, email: admin.email ?? null }
      },
      at,
      // A note is internal: the customer is still waiting for an answer.
      body.message_type === "comment" ? { waiting_since: null } : {}
    )
  } else {
    const contact =
      "intercom_user_id" in body
        ? s.contacts.get(body.intercom_user_id)
        : "user_id" in body
          ? s.contactByExternalId(body.user_id)
          : s.contactsByEmail(body.email)[0]
    if (contact === undefined) return yield* Reply.notFound("not_found", "User Not Found")
    // A customer's reply reopens the conversation and starts the wait for an answer.
    addPart(s, record, { part_type: "comment", body: body.body, author: contactAuthor(contact) }, at, {
      open: true,
      state: "open",
      snoozed_until: null,
      waiting_since: record.conversation.waiting_since ?? at
    })
  }
  return yield* respond(s, record)
})

const manage = Effect.gen(function* () {
  const s = yield* store
  const record = yield* find(s, yield* param("id"))
  const body = yield* Reply.body(ManageConversationRequest)
  const admin = yield* findAdmin(s, body.admin_id)
  const author = { type: "admin", id: admin.id, name: admin.name ?? null, email: admin.email ?? null }
  const at = yield* now
  switch (body.message_type) {
    case "close":
      addPart(s, record, { part_type: "close", body: body.body ?? null, author }, at, {
        open: false,
        state: "closed",
        waiting_since: null,
        snoozed_until: null
      })
      break
    case "snoozed":
      addPart(s, record, { part_type: "snoozed", body: null, author }, at, {
        open: true,
        state: "snoozed",
        snoozed_until: body.snoozed_until
      })
      break
    case "open":
      addPart(s, record, { part_type: "open", body: null, author }, at, {
        open: true,
        state: "open",
        snoozed_until: null
      })
      break
    case "assignment": {
      // Intercom's "0" unassigns.
      const assignee = body.assignee_id === "0" ? null : Number(body.assignee_id)
      if (assignee !== null && body.type === "admin") yield* findAdmin(s, body.assignee_id)
      if (assignee !== null && body.type === "team" && !s.teams.some((t) => t.id === body.assignee_id)) {
        return yield* Reply.notFound("team_not_found", "Team not found")
      }
      addPart(
        s,
        record,
        {
          part_type: "assignment",
          body: body.body ?? null,
          author,
          assigned_to: { type: body.type, id: body.assignee_id }
        },
        at,
        body.type === "admin" ? { admin_assignee_id: assignee } : { team_assignee_id: assignee }
      )
      break
    }
  }
  return yield* respond(s, record)
})

const list = Effect.gen(function* () {
  const s = yield* store
  const params = yield* Reply.query
  const perPage = yield* Reply.intParam(params, "per_page", 20, { min: 1, max: 150 })
  const from = yield* Paging.after(params.get("starting_after"))
  const slice = s.conversations.page(from?.seq, perPage)
  const total = s.conversations.size
  return yield* Reply.list(
    ConversationList,
    {
      type: "conversation.list",
      conversations: [],
      total_count: total,
      pages: Paging.cursorPages(slice, perPage, from, total)
    },
    "conversations",
    Wire.conversations.all(s, slice.items)
  )
})

const fields: Search.Fields<ConversationRecord> = {
  values: (r, field) => {
    switch (field) {
      case "contact_ids":
        return r.contacts
      case "tag_ids":
        return [...r.tags.keys()]
      case "teammate_ids":
        return Search.path(r.conversation, "teammates.teammates.id")
      default:
        return Search.path(r.conversation, field)
    }
  }
}

const search = searchRoute<ConversationRecord>({
  request: SearchQuery.SearchRequest,
  records: (s, matches) => s.conversations.values(matches),
  fields,
  perPage: 20,
  respond: (s, items, page) =>
    Reply.list(
      ConversationList,
      { type: "conversation.list", ...page, conversations: [] },
      "conversations",
      Wire.conversations.all(s, items)
    )
})

const attachTag = Effect.gen(function* () {
  const s = yield* store
  const record = yield* find(s, yield* param("id"))
  const body = yield* Reply.body(AttachTagToConversationRequest)
  yield* findAdmin(s, body.admin_id)
  if (!s.tags.has(body.id)) return yield* Reply.notFound("tag_not_found", "Tag not found")
  const applied = record.tags.get(body.id) ?? { id: body.id, appliedAt: yield* now, appliedBy: body.admin_id }
  record.tags.set(body.id, applied)
  s.touch()
  return yield* Reply.json(Tag, Render.tag(s, applied))
})

const detachTag = Effect.gen(function* () {
  const s = yield* store
  const record = yield* find(s, yield* param("id"))
  const body = yield* Reply.body(DetachTagFromConversationRequest)
  yield* findAdmin(s, body.admin_id)
  const applied = record.tags.get(yield* param("tagId"))
  if (applied === undefined) return yield* Reply.notFound("tag_not_found", "Tag not found")
  record.tags.delete(applied.id)
  s.touch()
  return yield* Reply.json(Tag, Render.tag(s, applied))
})

/**
 * The conversation routes.
 *
 * @since 0.1.0
 * @category routers
 */
export const router = HttpRouter.empty.pipe(
  HttpRouter.get("/conversations", list),
  HttpRouter.post("/conversations", create(createConversation)),
  HttpRouter.post("/conversations/search", search),
  HttpRouter.get("/conversations/:id", byId(find, respond)),
  HttpRouter.put("/conversations/:id", update),
  HttpRouter.post("/conversations/:id/reply", create(reply)),
  HttpRouter.post("/conversations/:id/parts", manage),
  HttpRouter.post("/conversations/:id/tags", attachTag),
  HttpRouter.del("/conversations/:id/tags/:tagId", detachTag)
)
