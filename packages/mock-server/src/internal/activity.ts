/**
 * What each scheduled change of a living workspace does. A change draws everything it needs (which record, which
 * field, which words) from its own seeded stream, named by its hour and index, and acts through the store's
 * methods, so the indexes and caches stay right and the same change always does the same thing to the same state.
 *
 * Every change moves the `updated_at` of each record whose body it changes, and of no other: merges and deletions
 * pick contacts without companies or conversations (whose removal would change those records' bodies unseen), and
 * company deletions pick companies without contacts.
 *
 * @internal
 */
import type { Contact } from "@intercom-effect/schemas"
import type { Planned } from "../Living.js"
import type { ContactRecord, ConversationRecord, Store } from "../State.js"
import * as Prng from "./prng.js"
import * as Records from "./records.js"

/** What the changes act on. @internal */
export interface Context {
  readonly store: Store
  readonly seed: number | string
  /** The ids of the long conversations, by index. */
  readonly long: ReadonlyArray<string>
}

/** The conversations that grow fastest: `count` of the workspace's, drawn from the seed. @internal */
export const chooseLong = (store: Store, seed: number | string, count: number): ReadonlyArray<string> => {
  const rng = Prng.make(seed, "living/long")
  const chosen: Array<string> = []
  const taken = new Set<string>()
  for (let i = 0; i < count && taken.size < store.conversations.size; i++) {
    const record = store.conversations.pick(rng.next(), (r) => !taken.has(r.id))
    if (record === undefined) break
    taken.add(record.id)
    chosen.push(record.id)
  }
  return chosen
}

// A contact whose removal changes no other record's body.
const alone = (s: Store) => (r: ContactRecord) => r.companies.size === 0 && !s.hasConversations(r.id)
const listed = (r: ContactRecord) => !r.archived

const tagsOf = (s: Store) => [...s.tags.values()]

const updateContact = (s: Store, rng: Prng.Prng, at: number): boolean => {
  const record = s.contacts.pick(rng.next(), listed)
  if (record === undefined) return false
  const contact = record.contact
  let next: Contact
  switch (rng.int(0, 4)) {
    case 0:
      next = {
        ...contact,
        custom_attributes: {
          ...contact.custom_attributes,
          plan: rng.pick(Records.plans),
          seats: rng.int(1, 250)
        }
      }
      break
    case 1:
      next = { ...contact, name: `${rng.pick(Records.firstNames)} ${rng.pick(Records.lastNames)}` }
      break
    case 2:
      next = { ...contact, last_seen_at: at, browser_version: `${rng.int(90, 130)}.0` }
      break
    case 3:
      next = {
        ...contact,
        phone: `+1555${String(rng.int(0, 9_999_999)).padStart(7, "0")}`,
        location: { type: "location", ...rng.pick(Records.places) }
      }
      break
    default: {
      const tags = tagsOf(s)
      const tag = tags.length === 0 ? undefined : rng.pick(tags)
      if (tag !== undefined && !record.tags.has(tag.id)) {
        record.tags.set(tag.id, { id: tag.id, appliedAt: at, appliedBy: null })
      }
      next = {
        ...contact,
        custom_attributes: {
          ...contact.custom_attributes,
          beta_tester: contact.custom_attributes?.["beta_tester"] !== true
        }
      }
    }
  }
  s.updateContact(record, { ...next, updated_at: at })
  return true
}

const createContact = (s: Store, rng: Prng.Prng, at: number): boolean => {
  const made = Records.contact(rng, {
    ids: s.ids,
    app: s.app,
    admins: s.admins,
    tags: tagsOf(s),
    companies: [],
    created: at,
    until: at
  })
  const { email, external_id, role } = made.contact
  // Numbered by the contact counter, so unique unless a test created such a contact through the API.
  if (typeof external_id === "string" && s.contactByExternalId(external_id) !== undefined) return false
  if (role === "user" && typeof email === "string" && s.contactsByEmail(email).some((c) => c.contact.role === "user")) {
    return false
  }
  const record = s.addContact(made.contact)
  for (const id of made.tagIds) record.tags.set(id, { id, appliedAt: at, appliedBy: null })
  s.touchRecords(record)
  return true
}

const mergeContact = (s: Store, rng: Prng.Prng, at: number): boolean => {
  const from = s.contacts.pick(rng.next(), (r) => r.contact.role === "lead" && alone(s)(r))
  const into = s.contacts.pick(rng.next(), (r) => r.contact.role === "user" && listed(r))
  if (from === undefined || into === undefined) return false
  s.mergeContacts(from, into, at)
  return true
}

const deleteContact = (s: Store, rng: Prng.Prng): boolean => {
  const record = s.contacts.pick(rng.next(), alone(s))
  if (record === undefined) return false
  s.removeContact(record)
  return true
}

const createCompany = (s: Store, rng: Prng.Prng, at: number): boolean => {
  const company = Records.company(rng, { ids: s.ids, app: s.app, created: at, until: at })
  if (typeof company.company_id === "string" && s.companyByCompanyId(company.company_id) !== undefined) return false
  s.addCompany(company, Records.pickTags(rng, tagsOf(s), 2))
  return true
}

const updateCompany = (s: Store, rng: Prng.Prng, at: number): boolean => {
  const record = s.companies.pick(rng.next())
  if (record === undefined) return false
  const company = record.company
  const plan = rng.pick(Records.plans)
  const changes =
    rng.int(0, 2) === 0
      ? {
          plan: { type: "plan", id: String(Records.plans.indexOf(plan) + 1), name: plan },
          monthly_spend: plan === "free" ? 0 : rng.int(50, 20_000),
          custom_attributes: { ...company.custom_attributes, tier: plan }
        }
      : { size: rng.int(1, 5000), session_count: (company.session_count ?? 0) + rng.int(1, 50), last_request_at: at }
  s.updateCompany(record, { ...company, ...changes, updated_at: at })
  return true
}

const deleteCompany = (s: Store, rng: Prng.Prng): boolean => {
  const record = s.companies.pick(rng.next(), (r) => r.contacts.size === 0)
  if (record === undefined) return false
  s.removeCompany(record)
  return true
}

const createConversation = (s: Store, rng: Prng.Prng, at: number): boolean => {
  const contact = s.contacts.pick(rng.next(), listed)
  if (contact === undefined) return false
  const subject = rng.pick(Records.subjects)
  const conversation = Records.conversation(
    s.ids,
    { author: Records.contactAuthor(contact.contact), subject, body: `<p>${subject}</p>`, created: at },
    {}
  )
  s.addConversation(conversation, [contact.id])
  return true
}

const addPart = (s: Store, rng: Prng.Prng, at: number, record: ConversationRecord | undefined): boolean => {
  if (record === undefined) return false
  const customer = record.contacts.length === 0 ? undefined : s.contacts.get(record.contacts[0]!)
  if (customer !== undefined && rng.chance(0.5)) {
    const body = `<p>${rng.pick(Records.userLines)}</p>`
    s.addPart(
      record,
      { part_type: "comment", body, author: Records.contactAuthor(customer.contact) },
      at,
      Records.customerReply(record.conversation, at)
    )
  } else {
    const body = `<p>${rng.pick(Records.adminLines)}</p>`
    const author = Records.adminAuthor(rng.pick(s.admins))
    s.addPart(record, { part_type: "comment", body, author }, at, Records.adminReply("comment"))
  }
  return true
}

const updateConversation = (s: Store, rng: Prng.Prng, at: number): boolean => {
  const record = s.conversations.pick(rng.next())
  if (record === undefined) return false
  const admin = rng.pick(s.admins)
  const author = Records.adminAuthor(admin)
  const closed = record.conversation.state === "closed"
  switch (rng.int(0, 4)) {
    case 0:
      if (closed) s.addPart(record, { part_type: "open", body: null, author }, at, { open: true, state: "open" })
      else {
        s.addPart(record, { part_type: "close", body: null, author }, at, {
          open: false,
          state: "closed",
          waiting_since: null,
          snoozed_until: null
        })
      }
      break
    case 1:
      s.addPart(record, { part_type: "snoozed", body: null, author }, at, {
        open: true,
        state: "snoozed",
        snoozed_until: at + rng.int(1, 7) * Records.DAY
      })
      break
    case 2: {
      const tags = tagsOf(s)
      const tag = tags.length === 0 ? undefined : rng.pick(tags)
      if (tag !== undefined && record.tags.has(tag.id)) record.tags.delete(tag.id)
      else if (tag !== undefined) record.tags.set(tag.id, { id: tag.id, appliedAt: at, appliedBy: admin.id })
      s.updateConversation(record, {}, at)
      break
    }
    case 3:
      s.updateConversation(
        record,
        { priority: record.conversation.priority === "priority" ? "not_priority" : "priority" },
        at
      )
      break
    default:
      s.addPart(
        record,
        { part_type: "assignment", body: null, author, assigned_to: { type: "admin", id: admin.id } },
        at,
        { admin_assignee_id: Number(admin.id) }
      )
  }
  return true
}

const deleteConversation = (context: Context, rng: Prng.Prng): boolean => {
  const record = context.store.conversations.pick(rng.next(), (r) => !context.long.includes(r.id))
  if (record === undefined) return false
  context.store.removeConversation(record)
  return true
}

const createTicket = (s: Store, rng: Prng.Prng, at: number): boolean => {
  const contact = s.contacts.pick(rng.next(), (r) => r.contact.role === "user" && listed(r))
  if (contact === undefined || s.ticketTypes.length === 0) return false
  const ticket = Records.ticket(s.ids, {
    ticketType: rng.pick(s.ticketTypes),
    contacts: [contact.contact],
    attributes: {
      _default_title_: rng.pick(Records.subjects),
      _default_description_: rng.pick(Records.userLines)
    },
    at
  })
  s.addTicket(ticket)
  return true
}

const updateTicket = (s: Store, rng: Prng.Prng, at: number): boolean => {
  const record = s.tickets.pick(rng.next())
  if (record === undefined) return false
  const states = Records.ticketStates
  // The next state along the way; a resolved ticket is taken up again.
  const current = states.indexOf(record.ticket.ticket_state as (typeof states)[number])
  const state = states[current === states.length - 1 ? 1 : current + 1]!
  const label = Records.ticketStateLabel(state)
  s.updateTicket(record, {
    ...record.ticket,
    ticket_state: state,
    ticket_state_internal_label: label,
    ticket_state_external_label: label,
    open: state !== "resolved",
    updated_at: at
  })
  return true
}

/**
 * Applies one scheduled change at its time; false when it found nothing to act on (and changed nothing).
 *
 * @internal
 */
export const apply = (context: Context, change: Planned): boolean => {
  const s = context.store
  const rng = Prng.make(context.seed, `living/${change.hour}/${change.index}`)
  const at = Math.floor(change.at / 1000)
  switch (change.kind) {
    case "contacts.created":
      return createContact(s, rng, at)
    case "contacts.updated":
      return updateContact(s, rng, at)
    case "contacts.merged":
      return mergeContact(s, rng, at)
    case "contacts.deleted":
      return deleteContact(s, rng)
    case "companies.created":
      return createCompany(s, rng, at)
    case "companies.updated":
      return updateCompany(s, rng, at)
    case "companies.deleted":
      return deleteCompany(s, rng)
    case "conversations.created":
      return createConversation(s, rng, at)
    case "conversations.updated":
      return updateConversation(s, rng, at)
    case "conversations.parts": {
      const id = change.long === undefined ? undefined : context.long[change.long]
      const record = change.long === undefined ? s.conversations.pick(rng.next()) : s.conversations.get(id ?? "")
      return addPart(s, rng, at, record)
    }
    case "conversations.deleted":
      return deleteConversation(context, rng)
    case "tickets.created":
      return createTicket(s, rng, at)
    case "tickets.updated":
      return updateTicket(s, rng, at)
  }
}
