/**
 * Records encoded for the wire, each with the generated schema of its kind, and kept until the store changes.
 * Encoding through the `Schema` costs far more than `JSON.stringify` (about 150 µs a contact), and a walk of a big
 * workspace asks for the same records again and again (several clients, a benchmark's contenders), so each record is
 * encoded once, and again only after it changed (its `rev`) or after a change that may show in every record (the
 * store's `renderVersion`).
 *
 * @internal
 */
import { Company, Contact, Conversation, ConversationListItem, Ticket } from "@intercom-effect/schemas"
import { Schema } from "effect"
import type { CompanyRecord, ContactRecord, ConversationRecord, Store, TicketRecord } from "../State.js"
import * as Render from "./render.js"

/** @internal */
export class Encoded<R extends { readonly rev: number }, A, I> {
  private readonly cache = new WeakMap<R, { readonly renderVersion: number; readonly rev: number; readonly value: I }>()
  private readonly encode: (a: A) => I

  constructor(
    schema: Schema.Schema<A, I>,
    private readonly render: (store: Store, record: R) => A
  ) {
    this.encode = Schema.encodeSync(schema)
  }

  get(store: Store, record: R): I {
    const hit = this.cache.get(record)
    if (hit !== undefined && hit.renderVersion === store.renderVersion && hit.rev === record.rev) return hit.value
    const value = this.encode(this.render(store, record))
    this.cache.set(record, { renderVersion: store.renderVersion, rev: record.rev, value })
    return value
  }

  all(store: Store, records: ReadonlyArray<R>): Array<I> {
    return records.map((record) => this.get(store, record))
  }
}

/** Contacts as GET /contacts/{id} and the lists send them. @internal */
export const contacts = new Encoded<ContactRecord, Contact, typeof Contact.Encoded>(Contact, (_, r) =>
  Render.contact(r)
)

/** @internal */
export const companies = new Encoded<CompanyRecord, Company, typeof Company.Encoded>(Company, Render.company)

/** Conversations without parts, as lists and searches send them. @internal */
export const conversations = new Encoded<ConversationRecord, ConversationListItem, typeof ConversationListItem.Encoded>(
  ConversationListItem,
  Render.conversationItem
)

/** Conversations with every part, as GET /conversations/{id} would send them were it not for its limit. @internal */
export const wholeConversations = new Encoded<ConversationRecord, Conversation, typeof Conversation.Encoded>(
  Conversation,
  (store, r) => Render.conversation(store, r, Infinity)
)

/** @internal */
export const tickets = new Encoded<TicketRecord, Ticket, typeof Ticket.Encoded>(Ticket, (_, r) => r.ticket)
