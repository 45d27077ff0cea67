/**
 * How the workspace's records are made: the word pools and the builders of contacts, companies, conversations,
 * parts and tickets. The seed, the routes that create records and the living workspace's scheduled changes all build
 * them here, so a record looks the same whoever made it.
 *
 * @internal
 */
import type {
  Admin,
  App,
  Company,
  Contact,
  Conversation,
  ConversationPart,
  ConversationPartAuthor,
  TagBasic,
  Ticket,
  TicketType
} from "@intercom-effect/schemas"
import type { Ids } from "./ids.js"
import type * as Prng from "./prng.js"

/** @internal */
export const DAY = 86_400

/** @internal */
export const firstNames = [
  "Ada",
  "Alan",
  "Amara",
  "Ana",
  "Bea",
  "Boris",
  "Chen",
  "Chloe",
  "Dario",
  "Dmitri",
  "Elena",
  "Emeka",
  "Farah",
  "Felix",
  "Grace",
  "Hana",
  "Ian",
  "Ines",
  "Jonas",
  "Julia",
  "Kai",
  "Kofi",
  "Lara",
  "Liam",
  "Mai",
  "Marco",
  "Nadia",
  "Noah",
  "Olga",
  "Omar",
  "Priya",
  "Quinn",
  "Rosa",
  "Sami",
  "Sofia",
  "Tariq",
  "Uma",
  "Victor",
  "Wen",
  "Yara",
  "Zoe"
]

/** @internal */
export const lastNames = [
  "Adeyemi",
  "Bauer",
  "Castro",
  "Dubois",
  "Eriksen",
  "Fischer",
  "Garcia",
  "Haddad",
  "Ivanova",
  "Jensen",
  "Kim",
  "Lopez",
  "Moreau",
  "Nakamura",
  "Okafor",
  "Petrov",
  "Quispe",
  "Rossi",
  "Schmidt",
  "Tanaka",
  "Ueda",
  "Varga",
  "Walsh",
  "Xu",
  "Yilmaz",
  "Zhang",
  "Novak",
  "Silva",
  "Murphy",
  "Kowalski"
]

const companyFirst = [
  "Blue",
  "Bright",
  "Cedar",
  "Copper",
  "Delta",
  "Ember",
  "Granite",
  "Harbor",
  "Indigo",
  "Juniper",
  "Lumen",
  "Maple",
  "Northern",
  "Orbit",
  "Pine",
  "Quartz",
  "River",
  "Silver",
  "Summit",
  "Tidal"
]
const companySecond = [
  "Labs",
  "Systems",
  "Works",
  "Analytics",
  "Logistics",
  "Health",
  "Foods",
  "Media",
  "Cloud",
  "Bank"
]
const industries = ["Software", "Retail", "Healthcare", "Finance", "Education", "Manufacturing", "Media", "Travel"]

/** @internal */
export const plans = ["free", "pro", "enterprise"] as const

/** @internal */
export const sources = ["organic", "ads", "referral", "partner", "event"]

/** @internal */
export const places = [
  { country: "Ireland", region: "Dublin", city: "Dublin" },
  { country: "United States", region: "California", city: "San Francisco" },
  { country: "United States", region: "New York", city: "New York" },
  { country: "Germany", region: "Berlin", city: "Berlin" },
  { country: "Brazil", region: "Sao Paulo", city: "Sao Paulo" },
  { country: "Japan", region: "Tokyo", city: "Tokyo" },
  { country: "Nigeria", region: "Lagos", city: "Lagos" },
  { country: "Australia", region: "New South Wales", city: "Sydney" }
]
const browsers = ["chrome", "firefox", "safari", "edge"]

/** @internal */
export const subjects = [
  "Invoice shows the wrong plan",
  "Cannot log in",
  "Export is stuck",
  "How do I add a teammate?",
  "Webhook not firing",
  "Question about pricing",
  "Feature request: dark mode",
  "API rate limit reached",
  "Data import failed",
  "Cancel my subscription"
]

/** @internal */
export const userLines = [
  "Hi, I need some help with this.",
  "It still happens after a refresh.",
  "Thanks, that worked!",
  "Any update on this?",
  "Here is a screenshot of the error.",
  "Can you check my account?"
]

/** @internal */
export const adminLines = [
  "Thanks for reaching out, let me look into it.",
  "Could you send me the request id?",
  "I have escalated this to our engineers.",
  "That should be fixed now.",
  "Happy to help, anything else?"
]

/** A whole number of seconds in [start, end] (start when the range is empty). @internal */
export const timeIn = (rng: Prng.Prng, start: number, end: number): number => rng.int(start, Math.max(start, end))

/** Up to `max` distinct tags. @internal */
export const pickTags = (rng: Prng.Prng, tags: ReadonlyArray<TagBasic>, max: number): Array<string> => {
  // A workspace whose tags were all deleted gets none (the seed always has some, so its draws are unchanged).
  if (tags.length === 0) return []
  const chosen = new Set<string>()
  const n = rng.int(0, max)
  for (let i = 0; i < n; i++) chosen.add(rng.pick(tags).id)
  return [...chosen]
}

/** An admin as the author of a part. @internal */
export const adminAuthor = (admin: Admin): ConversationPartAuthor => ({
  type: "admin",
  id: admin.id,
  name: admin.name ?? null,
  email: admin.email ?? null
})

/** A contact as the author of a part or a message. @internal */
export const contactAuthor = (contact: Contact): ConversationPartAuthor => ({
  // The mock's contacts always have a role; the type admits null because real traffic sends it.
  type: contact.role ?? "user",
  id: contact.id,
  name: contact.name ?? null,
  email: contact.email ?? null
})

/**
 * A company created at `created` (unix seconds), last seen and updated by `until`. Its `company_id` numbers it with
 * the company counter, which keeps it unique among seeded and later companies.
 *
 * @internal
 */
export const company = (
  rng: Prng.Prng,
  context: { readonly ids: Ids; readonly app: App; readonly created: number; readonly until: number }
): Company => {
  const { app, created, ids, until } = context
  const name = `${rng.pick(companyFirst)} ${rng.pick(companySecond)}`
  const id = ids.object("company", created)
  const n = ids.count("company")
  const slug = `${name.toLowerCase().replace(/\s+/g, "-")}-${n}`
  const plan = rng.pick(plans)
  return {
    type: "company",
    id,
    name,
    app_id: app.id_code,
    company_id: `cmp-${String(n).padStart(5, "0")}`,
    plan: { type: "plan", id: String(plans.indexOf(plan) + 1), name: plan },
    remote_created_at: created - DAY * rng.int(0, 400),
    created_at: created,
    updated_at: timeIn(rng, created, until),
    last_request_at: timeIn(rng, created, until),
    size: rng.int(1, 5000),
    website: `https://${slug}.example`,
    industry: rng.pick(industries),
    monthly_spend: plan === "free" ? 0 : rng.int(50, 20_000),
    session_count: rng.int(0, 10_000),
    custom_attributes: { tier: plan, region: rng.pick(places).country }
  }
}

/**
 * A contact created at `created` (unix seconds), seen and updated by `until`, a user or a lead, linked to up to two
 * of `companies` when it is a user. Its e-mail and external id number it with the contact counter, which keeps
 * them unique among seeded and later contacts.
 *
 * @internal
 */
export const contact = (
  rng: Prng.Prng,
  context: {
    readonly ids: Ids
    readonly app: App
    readonly admins: ReadonlyArray<Admin>
    readonly tags: ReadonlyArray<TagBasic>
    readonly companies: ReadonlyArray<Company>
    readonly created: number
    readonly until: number
  }
): {
  readonly contact: Contact
  readonly tagIds: ReadonlyArray<string>
  readonly companyIds: ReadonlyArray<string>
} => {
  const { admins, app, companies, created, ids, until } = context
  const id = ids.object("contact", created)
  const n = ids.count("contact")
  const role = rng.chance(0.8) ? "user" : "lead"
  const first = rng.pick(firstNames)
  const last = rng.pick(lastNames)
  const companyIds = new Set<string>()
  if (companies.length > 0 && role === "user") {
    const links = rng.chance(0.7) ? rng.int(1, 2) : 0
    for (let k = 0; k < links; k++) companyIds.add(rng.pick(companies).id)
  }
  const domain =
    companyIds.size > 0
      ? new URL(companies.find((c) => companyIds.has(c.id))!.website!).hostname
      : rng.pick(["mail.example", "inbox.example", "post.example"])
  const email = role === "lead" && rng.chance(0.3) ? null : `${first}.${last}.${n}@${domain}`.toLowerCase()
  const place = rng.pick(places)
  const seen = timeIn(rng, created, until)
  return {
    contact: {
      type: "contact",
      id,
      workspace_id: app.id_code!,
      external_id: role === "user" ? `user-${String(n).padStart(6, "0")}` : null,
      role,
      email,
      email_domain: email === null ? null : email.slice(email.indexOf("@") + 1),
      phone: rng.chance(0.4) ? `+1555${String(rng.int(0, 9_999_999)).padStart(7, "0")}` : null,
      name: `${first} ${last}`,
      owner_id: rng.chance(0.5) ? Number(rng.pick(admins).id) : null,
      has_hard_bounced: false,
      marked_email_as_spam: false,
      unsubscribed_from_emails: rng.chance(0.1),
      created_at: created,
      updated_at: timeIn(rng, created, until),
      signed_up_at: role === "user" ? created : null,
      last_seen_at: seen,
      last_replied_at: null,
      last_contacted_at: null,
      last_email_opened_at: null,
      last_email_clicked_at: null,
      language_override: null,
      browser: rng.pick(browsers),
      browser_version: `${rng.int(90, 130)}.0`,
      browser_language: "en",
      os: rng.pick(["macOS", "Windows", "Linux", "iOS", "Android"]),
      custom_attributes: {
        plan: rng.pick(plans),
        seats: rng.int(1, 250),
        beta_tester: rng.chance(0.2),
        signup_source: rng.pick(sources)
      },
      avatar: { type: "avatar", image_url: null },
      location: { type: "location", ...place },
      social_profiles: { type: "list", data: [] }
    },
    tagIds: pickTags(rng, context.tags, 3),
    companyIds: [...companyIds]
  }
}

/** A part at `at` (unix seconds), with a fresh part id. @internal */
export const part = (
  ids: Ids,
  at: number,
  fields: Omit<ConversationPart, "type" | "id" | "created_at" | "updated_at" | "notified_at">
): ConversationPart => ({
  type: "conversation_part",
  id: ids.numeric("part"),
  created_at: at,
  updated_at: at,
  notified_at: at,
  assigned_to: null,
  attachments: [],
  external_id: null,
  redacted: false,
  ...fields
})

/**
 * A conversation a contact started with a message at `created` (unix seconds): the fields every conversation has,
 * then `fields` (its state, assignees, ...).
 *
 * @internal
 */
export const conversation = (
  ids: Ids,
  message: {
    readonly author: ConversationPartAuthor
    readonly subject: string
    readonly body: string
    readonly attachmentUrls?: ReadonlyArray<string> | undefined
    readonly created: number
  },
  fields: Partial<Conversation>
): Conversation => ({
  type: "conversation",
  id: ids.numeric("conversation"),
  title: null,
  created_at: message.created,
  updated_at: message.created,
  waiting_since: message.created,
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
    id: ids.numeric("message"),
    delivered_as: "customer_initiated",
    subject: message.subject,
    body: message.body,
    author: message.author,
    attachments: (message.attachmentUrls ?? []).map((url) => ({ type: "upload", url })),
    url: null,
    redacted: false
  },
  teammates: { type: "admin.list", teammates: [] },
  first_contact_reply: { created_at: message.created, type: "conversation", url: null },
  sla_applied: null,
  linked_objects: { type: "list", total_count: 0, has_more: false, data: [] },
  ...fields
})

/**
 * What a customer's reply does to a conversation: it reopens it and starts the wait for an answer.
 *
 * @internal
 */
export const customerReply = (conversation: Conversation, at: number): Partial<Conversation> => ({
  open: true,
  state: "open",
  snoozed_until: null,
  waiting_since: conversation.waiting_since ?? at
})

/**
 * What an admin's part does: a comment answers the customer, a note is internal and leaves them waiting.
 *
 * @internal
 */
export const adminReply = (messageType: string): Partial<Conversation> =>
  messageType === "comment" ? { waiting_since: null } : {}

/** The states a ticket moves through, in order. @internal */
export const ticketStates = ["submitted", "in_progress", "waiting_on_customer", "resolved"] as const

/** A ticket state as its labels spell it: `in_progress` is "In progress". @internal */
export const ticketStateLabel = (state: string): string =>
  state.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase())

/** A ticket submitted at `at` (unix seconds) for `contacts`, with its first part. @internal */
export const ticket = (
  ids: Ids,
  fields: {
    readonly ticketType: TicketType
    readonly contacts: ReadonlyArray<Contact>
    readonly attributes: Record<string, unknown>
    readonly at: number
  }
): Ticket => {
  const { at } = fields
  return {
    type: "ticket",
    id: ids.numeric("ticket"),
    ticket_id: ids.numeric("ticketNumber"),
    category: fields.ticketType.category ?? "Customer",
    ticket_attributes: fields.attributes as Ticket["ticket_attributes"],
    ticket_state: "submitted",
    ticket_state_internal_label: "Submitted",
    ticket_state_external_label: "Submitted",
    ticket_type: fields.ticketType,
    contacts: {
      type: "contact.list",
      contacts: fields.contacts.map((c) => ({ type: "contact", id: c.id, external_id: c.external_id ?? null }))
    },
    admin_assignee_id: "0",
    team_assignee_id: "0",
    created_at: at,
    updated_at: at,
    open: true,
    snoozed_until: null,
    linked_objects: { type: "list", total_count: 0, has_more: false, data: [] },
    ticket_parts: {
      type: "ticket_part.list",
      ticket_parts: [
        {
          type: "ticket_part",
          id: ids.numeric("part"),
          part_type: "ticket_state_updated_by_admin",
          ticket_state: "submitted",
          previous_ticket_state: null,
          created_at: at,
          updated_at: at,
          author: { type: "bot", id: "0", name: "Operator", email: null },
          attachments: [],
          redacted: false
        }
      ],
      total_count: 1
    },
    is_shared: false
  }
}
