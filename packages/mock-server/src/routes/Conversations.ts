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
import * as Records from "../internal/records.js"
import * as Render from "../internal/render.js"
import { byId, create, now, param, search as searchRoute, store } from "../internal/route.js"
import * as Wire from "../internal/wire.js"
import * as Reply from "../Reply.js"
import * as Search from "../Search.js"
import type { ConversationRecord, Store } from "../State.js"

const find = (s: Store, id: string): Effect.Effect<ConversationRecord, Reply.ApiError> => {
  const record = s.conversations.get(id)
  return record === undefined ? Reply.notFound("not_found", "Resource Not Found") : Effect.succeed(record)
}

const findAdmin = (s: Store, id: string) => {
  const admin = s.admin(id)
  return admin === undefined ? Reply.notFound("admin_not_found", "Admin not found") : Effect.succeed(admin)
}

const respond = (s: Store, r: ConversationRecord) => Reply.json(Conversation, Render.conversation(s, r))

const createConversation = Effect.gen(function* () {
  const s = yield* store
  const body = yield* Reply.body(CreateConversationRequest)
  const contact = s.contacts.get(body.from.id)
  if (contact === undefined || (body.from.type !== "contact" && body.from.type !== contact.contact.role)) {
    return yield* Reply.notFound("not_found", "User Not Found")
  }
  const at = yield* now
  const conversation = Records.conversation(
    s.ids,
    {
      author: Records.contactAuthor(contact.contact),
      subject: body.subject ?? "",
      body: body.body,
      attachmentUrls: body.attachment_urls,
      created: at
    },
    {}
  )
  const record = s.addConversation(conversation, [contact.id])
  return yield* Reply.json(CreateConversationResponse, {
    type: "user_message",
    id: conversation.source!.id!,
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
  s.updateConversation(record, body, yield* now)
  return yield* respond(s, record)
})

const reply = Effect.gen(function* () {
  const s = yield* store
  const record = yield* find(s, yield* param("id"))
  const body = yield* Reply.body(ReplyConversationRequest)
  const at = yield* now
  if (body.type === "admin") {
    const admin = yield* findAdmin(s, body.admin_id)
    s.addPart(
      record,
      { part_type: body.message_type, body: body.body ?? null, author: Records.adminAuthor(admin) },
      at,
      Records.adminReply(body.message_type)
    )
  } else {
    const contact =
      "intercom_user_id" in body
        ? s.contacts.get(body.intercom_user_id)
        : "user_id" in body
          ? s.contactByExternalId(body.user_id)
          : s.contactsByEmail(body.email)[0]
    if (contact === undefined) return yield* Reply.notFound("not_found", "User Not Found")
    s.addPart(
      record,
      { part_type: "comment", body: body.body, author: Records.contactAuthor(contact.contact) },
      at,
      Records.customerReply(record.conversation, at)
    )
  }
  return yield* respond(s, record)
})

const manage = Effect.gen(function* () {
  const s = yield* store
  const record = yield* find(s, yield* param("id"))
  const body = yield* Reply.body(ManageConversationRequest)
  const admin = yield* findAdmin(s, body.admin_id)
  const author = Records.adminAuthor(admin)
  const at = yield* now
  switch (body.message_type) {
    case "close":
      s.addPart(record, { part_type: "close", body: body.body ?? null, author }, at, {
        open: false,
        state: "closed",
        waiting_since: null,
        snoozed_until: null
      })
      break
    case "snoozed":
      s.addPart(record, { part_type: "snoozed", body: null, author }, at, {
        open: true,
        state: "snoozed",
        snoozed_until: body.snoozed_until
      })
      break
    case "open":
      s.addPart(record, { part_type: "open", body: null, author }, at, {
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
      s.addPart(
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

/**
 * The conversation dates a living workspace compares by calendar day, as Intercom does.
 *
 * @since 0.2.0
 * @category constants
 */
export const livingDays: ReadonlyArray<string> = ["created_at", "updated_at", "waiting_since", "snoozed_until"]

const search = searchRoute<ConversationRecord>({
  request: SearchQuery.SearchRequest,
  records: (s, matches) => s.conversations.values(matches),
  fields,
  livingDays,
  createdAt: (r) => r.conversation.created_at,
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
