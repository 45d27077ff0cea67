/**
 * A seeded workspace: admins, teams, tags, ticket types, companies, contacts and conversations that look like a
 * real Intercom workspace (names, e-mails, users and leads, creation times spread over two years, custom attributes,
 * tags, company links, conversation parts), made deterministically from a seed with the mock's own generator. The
 * same options give the same workspace, id for id, on every machine.
 *
 * @example
 * ```ts
 * import { Seed } from "@intercom-effect/mock-server"
 *
 * const data = Seed.make({ seed: 42, contacts: 20_000, companies: 500, conversations: 5_000 })
 * // data.contacts[0].contact.email, data.conversations[0].parts.length, ...
 * ```
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
  ConversationPartAuthor,
  DataAttribute,
  TagBasic,
  Team,
  Ticket,
  TicketType
} from "@intercom-effect/schemas"
import { type Counters, Ids } from "./internal/ids.js"
import * as Prng from "./internal/prng.js"
import * as Records from "./internal/records.js"

const DAY = Records.DAY

/**
 * How big a workspace to make, and from which seed.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly seed: number | string
  /** Defaults to 100. */
  readonly contacts?: number | undefined
  /** Defaults to 10. */
  readonly companies?: number | undefined
  /** Defaults to 50. */
  readonly conversations?: number | undefined
  /** Defaults to 0: tickets exist only once created, unless asked for here. */
  readonly tickets?: number | undefined
  /** Defaults to 5; the first one is the token's admin (`GET /me`). */
  readonly admins?: number | undefined
  /**
   * The newest creation time, in unix seconds; records are spread over `days` before it. A fixed default
   * (2024-06-01) rather than "now", so that the same seed gives the same data whenever it runs.
   */
  readonly until?: number | undefined
  /** Defaults to 730. */
  readonly days?: number | undefined
}

/**
 * A contact with its links.
 *
 * @since 0.1.0
 * @category models
 */
export interface SeedContact {
  /** The contact without `tags`, `notes` and `companies`, which the mock renders from the links. */
  readonly contact: Contact
  readonly tagIds: ReadonlyArray<string>
  readonly companyIds: ReadonlyArray<string>
}

/**
 * A company with its tags.
 *
 * @since 0.1.0
 * @category models
 */
export interface SeedCompany {
  readonly company: Company
  readonly tagIds: ReadonlyArray<string>
}

/**
 * A conversation with its parts, contacts and tags.
 *
 * @since 0.1.0
 * @category models
 */
export interface SeedConversation {
  /** The conversation without `conversation_parts`, `contacts` and `tags`, which the mock renders. */
  readonly conversation: Conversation
  readonly parts: ReadonlyArray<ConversationPart>
  readonly contactIds: ReadonlyArray<string>
  readonly tagIds: ReadonlyArray<string>
}

/**
 * A whole seeded workspace.
 *
 * @since 0.1.0
 * @category models
 */
export interface Data {
  readonly seed: number | string
  /** Six hex digits from the seed, part of every contact and company id. */
  readonly salt: string
  readonly app: App
  readonly admins: ReadonlyArray<Admin>
  readonly teams: ReadonlyArray<Team>
  readonly tags: ReadonlyArray<TagBasic>
  readonly ticketTypes: ReadonlyArray<TicketType>
  /** In creation order. */
  readonly companies: ReadonlyArray<SeedCompany>
  /** In creation order. */
  readonly contacts: ReadonlyArray<SeedContact>
  /** In creation order. */
  readonly conversations: ReadonlyArray<SeedConversation>
  /** In creation order; a workspace made by hand may leave them out. */
  readonly tickets?: ReadonlyArray<Ticket> | undefined
  /** Ids handed out, so objects created later continue the sequences. */
  readonly counters: Counters
}

/**
 * The default newest creation time: 2024-06-01T00:00:00Z.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultUntil = 1_717_200_000

const tagNames = [
  "VIP",
  "churn-risk",
  "beta",
  "enterprise",
  "trial",
  "newsletter",
  "bug-reporter",
  "onboarding",
  "partner",
  "priority",
  "billing",
  "feedback"
]
const teamNames = ["Support", "Sales", "Success"]

// Each step below draws from a generator of its own purpose ("admins", "contacts", ...), so growing one kind of record
// leaves the others as they were; within a step, the order of the draws is the data: a draw moved is another
// workspace (the digests in the seed's tests say so). Steps run in the order ids are handed out, for the same reason.

/** What every step shares: the seed, the span of the history in unix seconds, and the id sequences. */
interface Frame {
  readonly seed: number | string
  readonly from: number
  readonly until: number
  readonly salt: string
  readonly ids: Ids
}

const frameOf = (options: Options): Frame => {
  const until = options.until ?? defaultUntil
  const salt = Prng.make(options.seed, "salt").hex(6)
  return { seed: options.seed, from: until - (options.days ?? 730) * DAY, until, salt, ids: new Ids(salt) }
}

/** The app, created some time before the first record. */
const makeApp = ({ from, salt, seed }: Frame): App => ({
  type: "app",
  id_code: `mock${salt}`,
  name: "Mock Workspace",
  region: "US",
  // Searches on dates match whole days in the workspace's timezone; a living workspace may set another one.
  timezone: "UTC",
  created_at: from - DAY * Prng.make(seed, "app").int(30, 365),
  identity_verification: false
})

/** The admins (the first is the token's), without their teams yet: the teams are made from them. */
const makeAdmins = ({ ids, seed }: Frame, count: number): Array<Admin> => {
  const rng = Prng.make(seed, "admins")
  return Array.from({ length: count }, () => {
    const first = rng.pick(Records.firstNames)
    const last = rng.pick(Records.lastNames)
    const id = ids.numeric("admin")
    return {
      type: "admin",
      id,
      name: `${first} ${last}`,
      email: `${first}.${last}.${id}@workspace.example`.toLowerCase(),
      job_title: rng.pick(["Support Engineer", "Account Manager", "Support Lead", "Product Specialist"]),
      away_mode_enabled: false,
      away_mode_reassign: false,
      has_inbox_seat: true,
      team_ids: [],
      avatar: { type: "avatar", image_url: null }
    }
  })
}

/** The teams, the admins dealt among them in turn, and each admin with its team. */
const makeTeams = (
  { ids }: Frame,
  admins: ReadonlyArray<Admin>
): { readonly teams: Array<Team>; readonly admins: Array<Admin> } => {
  const teams: Array<Team> = teamNames.map((name, i) => ({
    type: "team",
    id: ids.numeric("team"),
    name,
    admin_ids: admins.filter((_, j) => j % teamNames.length === i).map((a) => Number(a.id)),
    admin_priority_level: null
  }))
  return { teams, admins: admins.map((admin, j) => ({ ...admin, team_ids: [Number(teams[j % teams.length]!.id)] })) }
}

const makeTags = ({ ids }: Frame): Array<TagBasic> =>
  tagNames.map((name) => ({ type: "tag", id: ids.numeric("tag"), name }))

const makeTicketTypes = (app: App): Array<TicketType> =>
  [
    { name: "Bug report", category: "Customer", icon: "🐞" },
    { name: "Feature request", category: "Customer", icon: "💡" },
    { name: "Back-office task", category: "Back-office", icon: "🗂️" }
  ].map((t, i) => ({
    type: "ticket_type",
    id: String(i + 1),
    name: t.name,
    category: t.category,
    description: `${t.name} tickets`,
    icon: t.icon,
    workspace_id: app.id_code,
    archived: false,
    created_at: app.created_at!,
    updated_at: app.created_at!,
    ticket_type_attributes: { type: "list", ticket_type_attributes: [] }
  }))

/** `count` creation times drawn over the history, oldest first: the records are made in that order. */
const creationTimes = (rng: Prng.Prng, { from, until }: Frame, count: number): Array<number> =>
  Array.from({ length: count }, () => Records.timeIn(rng, from, until)).sort((a, b) => a - b)

const makeCompanies = (
  frame: Frame,
  context: { readonly app: App; readonly tags: ReadonlyArray<TagBasic> },
  count: number
): Array<SeedCompany> => {
  const { ids, seed, until } = frame
  const rng = Prng.make(seed, "companies")
  return creationTimes(rng, frame, count).map((created) => ({
    company: Records.company(rng, { ids, app: context.app, created, until }),
    tagIds: Records.pickTags(rng, context.tags, 2)
  }))
}

const makeContacts = (
  frame: Frame,
  context: {
    readonly app: App
    readonly admins: ReadonlyArray<Admin>
    readonly tags: ReadonlyArray<TagBasic>
    readonly companies: ReadonlyArray<SeedCompany>
  },
  count: number
): Array<SeedContact> => {
  const { ids, seed, until } = frame
  const rng = Prng.make(seed, "contacts")
  const times = creationTimes(rng, frame, count)
  const companies = context.companies.map((c) => c.company)
  return times.map((created) =>
    Records.contact(rng, {
      ids,
      app: context.app,
      admins: context.admins,
      tags: context.tags,
      companies,
      created,
      until
    })
  )
}

/** Who opened each conversation and when (after the contact was created), oldest first; none without contacts. */
const conversationDrafts = (
  rng: Prng.Prng,
  { until }: Frame,
  contacts: ReadonlyArray<SeedContact>,
  count: number
): Array<{ readonly owner: SeedContact; readonly created: number }> =>
  contacts.length === 0
    ? []
    : Array.from({ length: count }, () => {
        const owner = rng.pick(contacts)
        return { owner, created: Records.timeIn(rng, owner.contact.created_at, until) }
      }).sort((a, b) => a.created - b.created)

/**
 * A conversation's exchange: comments turn about from the admin and the contact, a few minutes to hours apart,
 * closed by the admin in about half the conversations. Returns the parts and the time of the last one.
 */
const exchange = (
  rng: Prng.Prng,
  { ids, until }: Frame,
  authors: { readonly admin: ConversationPartAuthor; readonly contact: ConversationPartAuthor },
  created: number
) => {
  let at = created
  const parts: Array<ConversationPart> = Array.from({ length: rng.int(1, 6) }, (_, k) => {
    // The history ends at `until`: a conversation begun just before it has its last parts at `until` at the latest,
    // so no record carries a time the workspace's clock has not reached (a living workspace starts there).
    at = Math.min(at + rng.int(60, 6 * 3600), until)
    const fromAdmin = k % 2 === 0
    return Records.part(ids, at, {
      part_type: "comment",
      body: `<p>${rng.pick(fromAdmin ? Records.adminLines : Records.userLines)}</p>`,
      author: fromAdmin ? authors.admin : authors.contact
    })
  })
  const roll = rng.next()
  const state = roll < 0.55 ? "closed" : roll < 0.9 ? "open" : "snoozed"
  if (state === "closed") {
    at = Math.min(at + rng.int(60, 3600), until)
    parts.push(Records.part(ids, at, { part_type: "close", body: null, author: authors.admin }))
  }
  return { parts, state, last: at } as const
}

const makeConversations = (
  frame: Frame,
  context: {
    readonly admins: ReadonlyArray<Admin>
    readonly teams: ReadonlyArray<Team>
    readonly tags: ReadonlyArray<TagBasic>
    readonly contacts: ReadonlyArray<SeedContact>
  },
  count: number
): Array<SeedConversation> => {
  const rng = Prng.make(frame.seed, "conversations")
  return conversationDrafts(rng, frame, context.contacts, count).map(({ created, owner }) => {
    const author = Records.contactAuthor(owner.contact)
    const admin = rng.pick(context.admins)
    const team = rng.pick(context.teams)
    const { last, parts, state } = exchange(rng, frame, { admin: Records.adminAuthor(admin), contact: author }, created)
    const subject = rng.pick(Records.subjects)
    // Drawn in this order (snooze, read, priority) so that a seed keeps giving the same workspace.
    const snoozedUntil = state === "snoozed" ? last + rng.int(1, 7) * DAY : null
    const read = rng.chance(0.7)
    const priority = rng.chance(0.15) ? "priority" : "not_priority"
    return {
      conversation: Records.conversation(
        frame.ids,
        { author, subject, body: `<p>${subject}</p>`, created },
        {
          updated_at: last,
          waiting_since: state === "open" ? last : null,
          snoozed_until: snoozedUntil,
          open: state !== "closed",
          state,
          read,
          priority,
          admin_assignee_id: Number(admin.id),
          team_assignee_id: Number(team.id),
          teammates: { type: "admin.list", teammates: [{ type: "admin", id: admin.id }] }
        }
      ),
      parts,
      contactIds: [owner.contact.id],
      tagIds: Records.pickTags(rng, context.tags, 2)
    }
  })
}

/** Tickets, each raised by a user (never a lead) after it was created, in some state of its type. */
const makeTickets = (
  frame: Frame,
  context: { readonly ticketTypes: ReadonlyArray<TicketType>; readonly contacts: ReadonlyArray<SeedContact> },
  count: number
): Array<Ticket> => {
  const { ids, seed, until } = frame
  const rng = Prng.make(seed, "tickets")
  const users = context.contacts.filter((c) => c.contact.role === "user")
  if (users.length === 0) return []
  return Array.from({ length: count }, () => {
    const owner = rng.pick(users).contact
    return { owner, created: Records.timeIn(rng, owner.created_at, until) }
  })
    .sort((a, b) => a.created - b.created)
    .map(({ created, owner }) => {
      const ticketType = rng.pick(context.ticketTypes)
      const state = rng.pick(Records.ticketStates)
      const label = Records.ticketStateLabel(state)
      const ticket = Records.ticket(ids, {
        ticketType,
        contacts: [owner],
        attributes: {
          _default_title_: rng.pick(Records.subjects),
          _default_description_: rng.pick(Records.userLines)
        },
        at: created
      })
      return {
        ...ticket,
        ticket_state: state,
        ticket_state_internal_label: label,
        ticket_state_external_label: label,
        open: state !== "resolved",
        updated_at: Records.timeIn(rng, created, until)
      }
    })
}

/**
 * Makes a workspace from `options`; pure and deterministic. The steps run in the order the records' ids are handed
 * out: the app, admins and teams, tags, ticket types, then companies, contacts (linked to companies), conversations
 * (opened by contacts) and tickets (raised by users).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options): Data => {
  const frame = frameOf(options)
  const app = makeApp(frame)
  const { admins, teams } = makeTeams(frame, makeAdmins(frame, Math.max(1, options.admins ?? 5)))
  const tags = makeTags(frame)
  const ticketTypes = makeTicketTypes(app)
  const companies = makeCompanies(frame, { app, tags }, options.companies ?? 10)
  const contacts = makeContacts(frame, { app, admins, tags, companies }, options.contacts ?? 100)
  const conversations = makeConversations(frame, { admins, teams, tags, contacts }, options.conversations ?? 50)
  const tickets = makeTickets(frame, { ticketTypes, contacts }, options.tickets ?? 0)
  return {
    seed: frame.seed,
    salt: frame.salt,
    app,
    admins,
    teams,
    tags,
    ticketTypes,
    companies,
    contacts,
    conversations,
    tickets,
    counters: frame.ids.snapshot()
  }
}

/**
 * The data attributes of every seeded workspace, created with the app at `createdAt`: a few standard ones, the custom
 * attributes the seeded contacts and companies carry (`plan`, `seats`, `beta_tester`, `signup_source`; `tier`,
 * `region`), custom ones nobody has set yet (a date, a float, names with spaces or starting with a digit, as Intercom
 * allows), one conversation attribute and one archived attribute (listed only with `include_archived`).
 *
 * @since 0.2.0
 * @category constructors
 */
export const dataAttributes = (createdAt: number): Array<DataAttribute> => {
  let id = 0
  const attribute = (
    model: "contact" | "company" | "conversation",
    name: string,
    dataType: "string" | "integer" | "float" | "boolean" | "date",
    more: { readonly custom?: boolean; readonly options?: ReadonlyArray<string>; readonly archived?: boolean } = {}
  ): DataAttribute => {
    const custom = more.custom ?? true
    return {
      type: "data_attribute",
      ...(custom ? { id: ++id } : {}),
      model,
      name,
      full_name: custom ? `custom_attributes.${name}` : name,
      label: name.replace(/_/g, " "),
      description: `${custom ? "Custom" : "Standard"} ${model} attribute ${name}`,
      data_type: dataType,
      ...(more.options === undefined ? {} : { options: [...more.options] }),
      api_writable: true,
      messenger_writable: false,
      ui_writable: true,
      custom,
      archived: more.archived ?? false,
      ...(custom ? { created_at: createdAt, updated_at: createdAt, admin_id: "1" } : {})
    }
  }
  return [
    attribute("contact", "name", "string", { custom: false }),
    attribute("contact", "email", "string", { custom: false }),
    attribute("contact", "signed_up_at", "date", { custom: false }),
    attribute("contact", "plan", "string", { options: Records.plans }),
    attribute("contact", "seats", "integer"),
    attribute("contact", "beta_tester", "boolean"),
    attribute("contact", "signup_source", "string", { options: Records.sources }),
    attribute("contact", "trial_ends_at", "date"),
    attribute("contact", "lifetime value", "float"),
    attribute("contact", "Account Manager", "string"),
    attribute("contact", "2fa_enabled", "boolean"),
    attribute("contact", "legacy_score", "integer", { archived: true }),
    attribute("company", "name", "string", { custom: false }),
    attribute("company", "monthly_spend", "float", { custom: false }),
    attribute("company", "tier", "string", { options: Records.plans }),
    attribute("company", "region", "string"),
    attribute("conversation", "escalation reason", "string")
  ]
}
