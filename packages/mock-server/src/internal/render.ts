/**
 * Records as the API sends them: the stored fields plus what is derived from the links (a contact's embedded tags,
 * notes and companies, a company's user count, a conversation's contacts, tags, statistics and parts).
 *
 * @internal
 */
import type { Company, Contact, Conversation, ConversationListItem, Tag, TagBasic } from "@intercom-effect/schemas"
import type { AppliedTag, CompanyRecord, ContactRecord, ConversationRecord, Store } from "../State.js"

// Intercom embeds the first 10 linked objects in a contact and says whether there are more.
const embedded = (ids: Iterable<string>, type: string, url: (id: string) => string, listUrl: string) => {
  const all = [...ids]
  return {
    type: "list",
    data: all.slice(0, 10).map((id) => ({ type, id, url: url(id) })),
    url: listUrl,
    total_count: all.length,
    has_more: all.length > 10
  }
}

/** @internal */
export const contact = (r: ContactRecord): Contact => ({
  ...r.contact,
  tags: embedded(r.tags.keys(), "tag", (id) => `/tags/${id}`, `/contacts/${r.id}/tags`),
  notes: embedded(r.notes, "note", (id) => `/notes/${id}`, `/contacts/${r.id}/notes`),
  companies: embedded(r.companies, "company", (id) => `/companies/${id}`, `/contacts/${r.id}/companies`)
})

/** @internal */
export const tagBasic = (store: Store, id: string): TagBasic => store.tags.get(id) ?? { type: "tag", id, name: null }

/** @internal */
export const tag = (store: Store, applied: AppliedTag): Tag => ({
  ...tagBasic(store, applied.id),
  applied_at: applied.appliedAt,
  applied_by: applied.appliedBy === null ? null : { type: "admin", id: applied.appliedBy }
})

/** @internal */
export const company = (store: Store, r: CompanyRecord): Company => ({
  ...r.company,
  user_count: r.contacts.size,
  tags: { type: "tag.list", tags: [...r.tags].map((id) => tagBasic(store, id)) },
  segments: { type: "segment.list", segments: [] }
})

/** A conversation without its parts, as lists and searches send it. @internal */
export const conversationItem = (store: Store, r: ConversationRecord): ConversationListItem => {
  const { conversation_parts: _, ...rest } = r.conversation
  let lastAdminReply: number | null = null
  for (const part of r.parts) if (part.author?.type === "admin") lastAdminReply = part.created_at ?? lastAdminReply
  return {
    ...rest,
    tags: { type: "tag.list", tags: [...r.tags.values()].map((applied) => tag(store, applied)) },
    contacts: {
      type: "contact.list",
      contacts: r.contacts.map((id) => ({
        type: "contact",
        id,
        external_id: store.contacts.get(id)?.contact.external_id ?? null
      }))
    },
    statistics: {
      type: "conversation_statistics",
      count_conversation_parts: r.parts.length,
      count_assignments: r.parts.filter((p) => p.part_type === "assignment").length,
      count_reopens: r.parts.filter((p) => p.part_type === "open").length,
      last_admin_reply_at: lastAdminReply
    }
  }
}

/** The most parts GET /conversations/{id} sends: the most recent ones. @internal */
export const partsLimit = 500

/**
 * A conversation with its most recent `limit` parts: 500 as GET /conversations/{id} sends it, all of them for a
 * snapshot of the workspace. @internal
 */
export const conversation = (store: Store, r: ConversationRecord, limit = partsLimit): Conversation => ({
  ...conversationItem(store, r),
  conversation_parts: {
    type: "conversation_part.list",
    conversation_parts: r.parts.length > limit ? r.parts.slice(-limit) : r.parts,
    total_count: r.parts.length
  }
})
