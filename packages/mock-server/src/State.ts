/**
 * The mock's workspace in memory: every contact, company, conversation, ticket, note, tag, event and export job,
 * with the links between them. One `Store` per mock; handlers change it synchronously (JavaScript runs one fiber at
 * a time, so a change is never seen half-made) and tests may read it directly, e.g. to compare what a walk returned
 * with what exists. Records are live: read them, and change them through the mock's HTTP API (or, in a living
 * workspace, let the clock change them).
 *
 * Every change goes through a method of the store, which keeps the indexes right and tells the caches what is
 * stale: `touch()` when any record may be sent differently (a tag renamed), `touchRecords(record)` when only that
 * record is (its encoding is redone, the others are kept).
 *
 * @since 0.1.0
 */
import type {
  Admin,
  App,
  Company,
  Contact,
  Conversation,
  ConversationPart,
  DataEvent,
  Note,
  TagBasic,
  Team,
  Ticket,
  TicketType
} from "@intercom-effect/schemas"
import { Context, Layer } from "effect"
import { Collection } from "./internal/collection.js"
import { Ids } from "./internal/ids.js"
import * as Records from "./internal/records.js"
import * as Search from "./Search.js"
import type * as Seed from "./Seed.js"
import * as Snapshot from "./Snapshot.js"

/**
 * A tag on a contact or a conversation, with when and by whom it was applied.
 *
 * @since 0.1.0
 * @category models
 */
export interface AppliedTag {
  readonly id: string
  readonly appliedAt: number
  /** The admin who applied it, when known. */
  readonly appliedBy: string | null
}

/**
 * A contact and its links. `contact` holds the fields the API stores; `tags`, `notes` and `companies` are rendered
 * from the links when it is sent.
 *
 * @since 0.1.0
 * @category models
 */
export interface ContactRecord {
  /** Creation order: lists and cursors walk it. */
  readonly seq: number
  readonly id: string
  /** Grows whenever the record is sent differently: its cached encoding is then redone. */
  rev: number
  contact: Contact
  /** Archived contacts are left out of lists and searches, and still answer GET by id. */
  archived: boolean
  readonly tags: Map<string, AppliedTag>
  readonly companies: Set<string>
  readonly notes: Array<string>
}

/**
 * A company and its links.
 *
 * @since 0.1.0
 * @category models
 */
export interface CompanyRecord {
  readonly seq: number
  readonly id: string
  rev: number
  company: Company
  readonly contacts: Set<string>
  readonly tags: Set<string>
}

/**
 * A conversation, its parts (oldest first), its contacts and tags.
 *
 * @since 0.1.0
 * @category models
 */
export interface ConversationRecord {
  readonly seq: number
  readonly id: string
  rev: number
  conversation: Conversation
  readonly parts: Array<ConversationPart>
  readonly contacts: Array<string>
  readonly tags: Map<string, AppliedTag>
}

/**
 * A ticket as it is sent.
 *
 * @since 0.1.0
 * @category models
 */
export interface TicketRecord {
  readonly seq: number
  readonly id: string
  rev: number
  ticket: Ticket
}

/**
 * A note on a contact.
 *
 * @since 0.1.0
 * @category models
 */
export interface NoteRecord {
  readonly seq: number
  readonly id: string
  readonly note: Note
}

/**
 * A message data export job. Its status follows from the time: pending, then in progress, then completed (see
 * `MockIntercom.Options.exports`), unless it was canceled or completed on demand.
 *
 * @since 0.1.0
 * @category models
 */
export interface ExportJob {
  readonly id: string
  /** Epoch milliseconds. */
  readonly createdAt: number
  readonly createdAtAfter: number
  readonly createdAtBefore: number
  canceledAt: number | null
  /** Set when a test finished the job on demand. */
  completedAt: number | null
}

/**
 * Where an export job stands.
 *
 * @since 0.1.0
 * @category models
 */
export type ExportStatus = "pending" | "in_progress" | "completed" | "canceled"

/**
 * The workspace's one open company scroll.
 *
 * @since 0.1.0
 * @category models
 */
export interface Scroll {
  readonly id: string
  /** Epoch milliseconds of the last page served: a scroll idle for a minute expires. */
  lastUsedAt: number
  /** Set once the empty page has been served. */
  done: boolean
}

/**
 * Why a record is gone.
 *
 * @since 0.2.0
 * @category models
 */
export type Removal = { readonly reason: "deleted" } | { readonly reason: "merged"; readonly into: string }

const lower = (email: string | null | undefined) => (typeof email === "string" ? email.toLowerCase() : undefined)

/**
 * The workspace's records and their indexes.
 *
 * @since 0.1.0
 * @category models
 */
export class Store {
  readonly app: App
  readonly admins: ReadonlyArray<Admin>
  readonly teams: ReadonlyArray<Team>
  readonly ticketTypes: ReadonlyArray<TicketType>
  readonly ids: Ids
  readonly tags = new Map<string, TagBasic>()
  readonly contacts = new Collection<ContactRecord>()
  readonly companies = new Collection<CompanyRecord>()
  readonly conversations = new Collection<ConversationRecord>()
  readonly tickets = new Collection<TicketRecord>()
  readonly notes = new Collection<NoteRecord>()
  /** Data events by contact id, oldest first. */
  readonly events = new Map<string, Array<DataEvent>>()
  readonly exports = new Map<string, ExportJob>()
  scroll: Scroll | undefined = undefined
  /** How long an export job stays pending, then in progress, in milliseconds. */
  exportTiming: { readonly pending: number; readonly running: number } = { pending: 1000, running: 2000 }
  /** Grows on every change: search results are cached per version. */
  version = 0
  /** Grows on a change that may alter how any record is sent (a tag renamed): every cached encoding is stale. */
  renderVersion = 0
  /**
   * The workspace clock of a living workspace, in epoch milliseconds: what the routes take as now for the data they
   * write and read. Undefined when the mock follows Effect's `Clock`.
   */
  clock: number | undefined = undefined
  /** How long a new contact, conversation or ticket stays out of search results, in milliseconds. */
  searchLag = 0
  /** The calendar days of the workspace's timezone, by which searches compare dates. */
  calendar: Search.Calendar = Search.utc
  /** Records deleted or merged away since the store was made, by id, in the order they went. */
  readonly removed = {
    contacts: new Map<string, Removal>(),
    companies: new Map<string, Removal>(),
    conversations: new Map<string, Removal>()
  }
  private seq = 0
  private readonly byEmail = new Map<string, Set<string>>()
  private readonly byExternalId = new Map<string, string>()
  private readonly byCompanyId = new Map<string, string>()
  private readonly conversationsByContact = new Map<string, Set<string>>()

  constructor(data: Seed.Data) {
    this.app = data.app
    this.admins = data.admins
    this.teams = data.teams
    this.ticketTypes = data.ticketTypes
    this.ids = new Ids(data.salt, data.counters)
    for (const tag of data.tags) this.tags.set(tag.id, tag)
    for (const { company, tagIds } of data.companies) this.addCompany(company, tagIds)
    for (const { contact, tagIds, companyIds } of data.contacts) {
      const record = this.addContact(contact)
      for (const id of tagIds) record.tags.set(id, { id, appliedAt: contact.created_at, appliedBy: null })
      for (const id of companyIds) this.attachCompany(record, this.companies.get(id)!)
    }
    for (const { contactIds, conversation, parts, tagIds } of data.conversations) {
      const record = this.addConversation(conversation, contactIds, parts)
      for (const id of tagIds) {
        record.tags.set(id, { id, appliedAt: conversation.created_at ?? 0, appliedBy: null })
      }
    }
    for (const ticket of data.tickets ?? []) this.addTicket(ticket)
  }

  /** Marks a change that may show in any record: cached searches and every cached encoding are stale. */
  touch(): void {
    this.version++
    this.renderVersion++
  }

  /**
   * Marks a change that shows in `records` only (none: in no record sent): cached searches are stale, and so are
   * the encodings of those records.
   */
  touchRecords(...records: ReadonlyArray<{ rev: number }>): void {
    this.version++
    for (const record of records) record.rev++
  }

  /** The admin with this id. */
  admin(id: string): Admin | undefined {
    return this.admins.find((admin) => admin.id === id)
  }

  addContact(contact: Contact): ContactRecord {
    const record: ContactRecord = {
      seq: ++this.seq,
      id: contact.id,
      rev: 0,
      contact,
      archived: false,
      tags: new Map(),
      companies: new Set(),
      notes: []
    }
    this.contacts.add(record)
    this.index(record.contact, "add")
    this.touchRecords(record)
    return record
  }

  updateContact(record: ContactRecord, contact: Contact): void {
    // Conversations show their contacts' external ids.
    const everywhere = contact.external_id !== record.contact.external_id && this.hasConversations(record.id)
    this.index(record.contact, "remove")
    record.contact = contact
    this.index(contact, "add")
    if (everywhere) this.touch()
    else this.touchRecords(record)
  }

  /** Deletes (or merges away) a contact and its links. */
  removeContact(record: ContactRecord, removal: Removal = { reason: "deleted" }): void {
    this.contacts.remove(record.id)
    this.index(record.contact, "remove")
    const companies = [...record.companies].flatMap((id) => this.companies.get(id) ?? [])
    for (const company of companies) company.contacts.delete(record.id)
    this.removed.contacts.set(record.id, removal)
    // Its conversations now show it without an external id; its companies count one user fewer.
    if (this.hasConversations(record.id)) this.touch()
    else this.touchRecords(...companies)
  }

  /**
   * Merges the lead `from` into the user `into` at `at` (unix seconds): the lead's tags, companies, notes,
   * conversations, events and custom attributes (the user's win) move to the user, whose `updated_at` moves; the
   * lead is gone. The caller checks the roles.
   */
  mergeContacts(from: ContactRecord, into: ContactRecord, at: number): void {
    for (const [id, applied] of from.tags) if (!into.tags.has(id)) into.tags.set(id, applied)
    for (const id of from.companies) this.attachCompany(into, this.companies.get(id)!)
    for (const id of from.notes) into.notes.push(id)
    const conversations = this.conversationsOf(from.id)
    for (const conversation of conversations) {
      conversation.contacts.splice(conversation.contacts.indexOf(from.id), 1, into.id)
      this.linkConversation(into.id, conversation.id, "add")
    }
    this.conversationsByContact.delete(from.id)
    if (conversations.length > 0) this.touchRecords(...conversations)
    const events = this.events.get(from.id)
    if (events !== undefined) for (const event of events) this.addEvent(into.id, event)
    this.updateContact(into, {
      ...into.contact,
      custom_attributes: { ...from.contact.custom_attributes, ...into.contact.custom_attributes },
      updated_at: at
    })
    this.removeContact(from, { reason: "merged", into: into.id })
  }

  private index(contact: Contact, op: "add" | "remove") {
    const email = lower(contact.email)
    if (email !== undefined) {
      const ids = this.byEmail.get(email) ?? new Set()
      if (op === "add") ids.add(contact.id)
      else ids.delete(contact.id)
      if (ids.size === 0) this.byEmail.delete(email)
      else this.byEmail.set(email, ids)
    }
    if (typeof contact.external_id === "string") {
      if (op === "add") this.byExternalId.set(contact.external_id, contact.id)
      else if (this.byExternalId.get(contact.external_id) === contact.id) this.byExternalId.delete(contact.external_id)
    }
  }

  /** Contacts with this e-mail address (case-insensitive), oldest first. */
  contactsByEmail(email: string): Array<ContactRecord> {
    const ids = this.byEmail.get(email.toLowerCase())
    if (ids === undefined) return []
    return [...ids].flatMap((id) => this.contacts.get(id) ?? []).sort((a, b) => a.seq - b.seq)
  }

  contactByExternalId(externalId: string): ContactRecord | undefined {
    const id = this.byExternalId.get(externalId)
    return id === undefined ? undefined : this.contacts.get(id)
  }

  addCompany(company: Company, tagIds: ReadonlyArray<string> = []): CompanyRecord {
    const record: CompanyRecord = {
      seq: ++this.seq,
      id: company.id,
      rev: 0,
      company,
      contacts: new Set(),
      tags: new Set(tagIds)
    }
    this.companies.add(record)
    if (typeof company.company_id === "string") this.byCompanyId.set(company.company_id, company.id)
    this.touchRecords(record)
    return record
  }

  /** Replaces a company's fields (its `company_id` stays). */
  updateCompany(record: CompanyRecord, company: Company): void {
    record.company = company
    this.touchRecords(record)
  }

  companyByCompanyId(companyId: string): CompanyRecord | undefined {
    const id = this.byCompanyId.get(companyId)
    return id === undefined ? undefined : this.companies.get(id)
  }

  removeCompany(record: CompanyRecord): void {
    this.companies.remove(record.id)
    if (typeof record.company.company_id === "string") this.byCompanyId.delete(record.company.company_id)
    const contacts = [...record.contacts].flatMap((id) => this.contacts.get(id) ?? [])
    for (const contact of contacts) contact.companies.delete(record.id)
    this.removed.companies.set(record.id, { reason: "deleted" })
    this.touchRecords(...contacts)
  }

  attachCompany(contact: ContactRecord, company: CompanyRecord): void {
    contact.companies.add(company.id)
    company.contacts.add(contact.id)
    this.touchRecords(contact, company)
  }

  detachCompany(contact: ContactRecord, company: CompanyRecord): void {
    contact.companies.delete(company.id)
    company.contacts.delete(contact.id)
    this.touchRecords(contact, company)
  }

  addConversation(
    conversation: Conversation,
    contactIds: ReadonlyArray<string>,
    parts: ReadonlyArray<ConversationPart> = []
  ): ConversationRecord {
    const record: ConversationRecord = {
      seq: ++this.seq,
      id: conversation.id,
      rev: 0,
      conversation,
      parts: [...parts],
      contacts: [...contactIds],
      tags: new Map()
    }
    this.conversations.add(record)
    for (const id of contactIds) this.linkConversation(id, record.id, "add")
    this.touchRecords(record)
    return record
  }

  /** Sets fields of a conversation at `at` (unix seconds), which becomes its `updated_at`. */
  updateConversation(record: ConversationRecord, changes: Partial<Conversation>, at: number): void {
    record.conversation = { ...record.conversation, ...changes, updated_at: at }
    this.touchRecords(record)
  }

  /** Appends a part made at `at` (unix seconds) and applies the changes it brings to the conversation. */
  addPart(
    record: ConversationRecord,
    part: Omit<ConversationPart, "type" | "id" | "created_at" | "updated_at" | "notified_at">,
    at: number,
    changes: Partial<Conversation> = {}
  ): ConversationPart {
    const added = Records.part(this.ids, at, part)
    record.parts.push(added)
    this.updateConversation(record, changes, at)
    return added
  }

  /** Deletes a conversation; GET by its id answers 404 from now on. */
  removeConversation(record: ConversationRecord): void {
    this.conversations.remove(record.id)
    for (const id of record.contacts) this.linkConversation(id, record.id, "remove")
    this.removed.conversations.set(record.id, { reason: "deleted" })
    this.touchRecords(record)
  }

  /** The conversations a contact takes part in, oldest first. */
  conversationsOf(contactId: string): Array<ConversationRecord> {
    const ids = this.conversationsByContact.get(contactId)
    if (ids === undefined) return []
    return [...ids].flatMap((id) => this.conversations.get(id) ?? []).sort((a, b) => a.seq - b.seq)
  }

  /** Whether a contact takes part in any conversation. */
  hasConversations(contactId: string): boolean {
    return (this.conversationsByContact.get(contactId)?.size ?? 0) > 0
  }

  private linkConversation(contactId: string, conversationId: string, op: "add" | "remove") {
    const ids = this.conversationsByContact.get(contactId) ?? new Set()
    if (op === "add") ids.add(conversationId)
    else ids.delete(conversationId)
    if (ids.size === 0) this.conversationsByContact.delete(contactId)
    else this.conversationsByContact.set(contactId, ids)
  }

  addTicket(ticket: Ticket): TicketRecord {
    const record: TicketRecord = { seq: ++this.seq, id: ticket.id, rev: 0, ticket }
    this.tickets.add(record)
    this.touchRecords(record)
    return record
  }

  /** Replaces a ticket. */
  updateTicket(record: TicketRecord, ticket: Ticket): void {
    record.ticket = ticket
    this.touchRecords(record)
  }

  addNote(contact: ContactRecord, note: Note): NoteRecord {
    const record: NoteRecord = { seq: ++this.seq, id: note.id, note }
    this.notes.add(record)
    contact.notes.push(note.id)
    this.touchRecords(contact)
    return record
  }

  /** The status of an export job at `nowMillis`. */
  exportStatus(job: ExportJob, nowMillis: number): ExportStatus {
    if (job.canceledAt !== null) return "canceled"
    const done = job.completedAt ?? job.createdAt + this.exportTiming.pending + this.exportTiming.running
    if (nowMillis >= done) return "completed"
    return nowMillis >= job.createdAt + this.exportTiming.pending ? "in_progress" : "pending"
  }

  /** Completes every export job still running, now rather than when its time is up. */
  completeExports(nowMillis: number): void {
    for (const job of this.exports.values()) {
      const status = this.exportStatus(job, nowMillis)
      if (status === "pending" || status === "in_progress") job.completedAt = nowMillis
    }
  }

  addEvent(contactId: string, event: DataEvent): void {
    const events = this.events.get(contactId) ?? []
    events.push(event)
    this.events.set(contactId, events)
  }

  /**
   * The workspace as the API sends it now: every contact, company, conversation (with all its parts) and ticket,
   * and what was deleted or merged away (see `Snapshot`).
   */
  snapshot(): Snapshot.Snapshot {
    return Snapshot.make(this)
  }
}

/**
 * The mock's workspace, as a service.
 *
 * @since 0.1.0
 * @category tags
 */
export class State extends Context.Tag("@intercom-effect/mock-server/State")<State, Store>() {}

/**
 * A store holding a seeded workspace.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (data: Seed.Data): Store => new Store(data)

/**
 * The state as a layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (data: Seed.Data): Layer.Layer<State> => Layer.sync(State, () => make(data))
