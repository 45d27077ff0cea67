/**
 * The mock's workspace in memory: every contact, company, conversation, ticket, note, tag, event and export job,
 * with the links between them. One `Store` per mock; handlers change it synchronously (JavaScript runs one fiber at
 * a time, so a change is never seen half-made) and tests may read it directly, e.g. to compare what a walk returned
 * with what exists. Records are live: read them, and change them through the mock's HTTP API.
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
  DataAttribute,
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
import * as Seed from "./Seed.js"

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
  /** The workspace's data attributes (standard and custom, of contacts, companies and conversations). */
  readonly dataAttributes: Array<DataAttribute>
  scroll: Scroll | undefined = undefined
  /** How long an export job stays pending, then in progress, in milliseconds. */
  exportTiming: { readonly pending: number; readonly running: number } = { pending: 1000, running: 2000 }
  /** Grows on every change: search results are cached per version. */
  version = 0
  private seq = 0
  private readonly byEmail = new Map<string, Set<string>>()
  private readonly byExternalId = new Map<string, string>()
  private readonly byCompanyId = new Map<string, string>()

  constructor(data: Seed.Data) {
    this.app = data.app
    this.admins = data.admins
    this.teams = data.teams
    this.ticketTypes = data.ticketTypes
    this.ids = new Ids(data.salt, data.counters)
    this.dataAttributes = Seed.dataAttributes(data.app.created_at ?? 0)
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
  }

  /** Marks a change: cached searches are stale. */
  touch(): void {
    this.version++
  }

  /** The admin with this id. */
  admin(id: string): Admin | undefined {
    return this.admins.find((admin) => admin.id === id)
  }

  addContact(contact: Contact): ContactRecord {
    const record: ContactRecord = {
      seq: ++this.seq,
      id: contact.id,
      contact,
      archived: false,
      tags: new Map(),
      companies: new Set(),
      notes: []
    }
    this.contacts.add(record)
    this.index(record.contact, "add")
    this.touch()
    return record
  }

  updateContact(record: ContactRecord, contact: Contact): void {
    this.index(record.contact, "remove")
    record.contact = contact
    this.index(contact, "add")
    this.touch()
  }

  /** Deletes (or merges away) a contact and its links. */
  removeContact(record: ContactRecord): void {
    this.contacts.remove(record.id)
    this.index(record.contact, "remove")
    for (const id of record.companies) this.companies.get(id)?.contacts.delete(record.id)
    this.touch()
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
      company,
      contacts: new Set(),
      tags: new Set(tagIds)
    }
    this.companies.add(record)
    if (typeof company.company_id === "string") this.byCompanyId.set(company.company_id, company.id)
    this.touch()
    return record
  }

  companyByCompanyId(companyId: string): CompanyRecord | undefined {
    const id = this.byCompanyId.get(companyId)
    return id === undefined ? undefined : this.companies.get(id)
  }

  removeCompany(record: CompanyRecord): void {
    this.companies.remove(record.id)
    if (typeof record.company.company_id === "string") this.byCompanyId.delete(record.company.company_id)
    for (const id of record.contacts) this.contacts.get(id)?.companies.delete(record.id)
    this.touch()
  }

  attachCompany(contact: ContactRecord, company: CompanyRecord): void {
    contact.companies.add(company.id)
    company.contacts.add(contact.id)
    this.touch()
  }

  detachCompany(contact: ContactRecord, company: CompanyRecord): void {
    contact.companies.delete(company.id)
    company.contacts.delete(contact.id)
    this.touch()
  }

  addConversation(
    conversation: Conversation,
    contactIds: ReadonlyArray<string>,
    parts: ReadonlyArray<ConversationPart> = []
  ): ConversationRecord {
    const record: ConversationRecord = {
      seq: ++this.seq,
      id: conversation.id,
      conversation,
      parts: [...parts],
      contacts: [...contactIds],
      tags: new Map()
    }
    this.conversations.add(record)
    this.touch()
    return record
  }

  addTicket(ticket: Ticket): TicketRecord {
    const record: TicketRecord = { seq: ++this.seq, id: ticket.id, ticket }
    this.tickets.add(record)
    this.touch()
    return record
  }

  addNote(contact: ContactRecord, note: Note): NoteRecord {
    const record: NoteRecord = { seq: ++this.seq, id: note.id, note }
    this.notes.add(record)
    contact.notes.push(note.id)
    this.touch()
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
