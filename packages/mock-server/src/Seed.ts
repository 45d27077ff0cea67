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

/**
 * Makes a workspace from `options`; pure and deterministic.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options): Data => {
  const seed = options.seed
  const until = options.until ?? defaultUntil
  const from = until - (options.days ?? 730) * DAY
  const salt = Prng.make(seed, "salt").hex(6)
  const ids = new Ids(salt)

  const appRng = Prng.make(seed, "app")
  const app: App = {
    type: "app",
    id_code: `mock${salt}`,
    name: "Mock Workspace",
    region: "US",
    // Searches on dates match whole days in the workspace's timezone; a living workspace may set another one.
    timezone: "UTC",
    created_at: from - DAY * appRng.int(30, 365),
    identity_verification: false
  }

  const adminRng = Prng.make(seed, "admins")
  const admins: Array<Admin> = Array.from({ length: Math.max(1, options.admins ?? 5) }, () => {
    const first = adminRng.pick(Records.firstNames)
    const last = adminRng.pick(Records.lastNames)
    const id = ids.numeric("admin")
    return {
      type: "admin",
      id,
      name: `${first} ${last}`,
      email: `${first}.${last}.${id}@workspace.example`.toLowerCase(),
      job_title: adminRng.pick(["Support Engineer", "Account Manager", "Support Lead", "Product Specialist"]),
      away_mode_enabled: false,
      away_mode_reassign: false,
      has_inbox_seat: true,
      team_ids: [],
      avatar: { type: "avatar", image_url: null }
    }
  })
  const teams: Array<Team> = teamNames.map((name, i) => ({
    type: "team",
    id: ids.numeric("team"),
    name,
    admin_ids: admins.filter((_, j) => j % teamNames.length === i).map((a) => Number(a.id)),
    admin_priority_level: null
  }))
  const adminsWithTeams = admins.map((admin, j) => ({ ...admin, team_ids: [Number(teams[j % teams.length]!.id)] }))

  const tags: Array<TagBasic> = tagNames.map((name) => ({ type: "tag", id: ids.numeric("tag"), name }))

  const ticketTypes: Array<TicketType> = [
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

  const companyRng = Prng.make(seed, "companies")
  const companyTimes = Array.from({ length: options.companies ?? 10 }, () =>
    Records.timeIn(companyRng, from, until)
  ).sort((a, b) => a - b)
  const companies: Array<SeedCompany> = companyTimes.map((created) => ({
    company: Records.company(companyRng, { ids, app, created, until }),
    tagIds: Records.pickTags(companyRng, tags, 2)
  }))

  const contactRng = Prng.make(seed, "contacts")
  const contactTimes = Array.from({ length: options.contacts ?? 100 }, () =>
    Records.timeIn(contactRng, from, until)
  ).sort((a, b) => a - b)
  const companyList = companies.map((c) => c.company)
  const contacts: Array<SeedContact> = contactTimes.map((created) =>
    Records.contact(contactRng, { ids, app, admins, tags, companies: companyList, created, until })
  )

  const conversationRng = Prng.make(seed, "conversations")
  const drafts =
    contacts.length === 0
      ? []
      : Array.from({ length: options.conversations ?? 50 }, () => {
          const owner = conversationRng.pick(contacts)
          return { owner, created: Records.timeIn(conversationRng, owner.contact.created_at, until) }
        })
  drafts.sort((a, b) => a.created - b.created)
  const conversations: Array<SeedConversation> = drafts.map(({ created, owner }) => {
    const author = Records.contactAuthor(owner.contact)
    const admin = conversationRng.pick(adminsWithTeams)
    const team = conversationRng.pick(teams)
    const adminAuthor = Records.adminAuthor(admin)
    let at = created
    const parts: Array<ConversationPart> = Array.from({ length: conversationRng.int(1, 6) }, (_, k) => {
      // The history ends at `until`: a conversation begun just before it has its last parts at `until` at the latest,
      // so no record carries a time the workspace's clock has not reached (a living workspace starts there).
      at = Math.min(at + conversationRng.int(60, 6 * 3600), until)
      const fromAdmin = k % 2 === 0
      return Records.part(ids, at, {
        part_type: "comment",
        body: `<p>${conversationRng.pick(fromAdmin ? Records.adminLines : Records.userLines)}</p>`,
        author: fromAdmin ? adminAuthor : author
      })
    })
    const roll = conversationRng.next()
    const state = roll < 0.55 ? "closed" : roll < 0.9 ? "open" : "snoozed"
    if (state === "closed") {
      at = Math.min(at + conversationRng.int(60, 3600), until)
      parts.push(Records.part(ids, at, { part_type: "close", body: null, author: adminAuthor }))
    }
    const subject = conversationRng.pick(Records.subjects)
    // Drawn in this order (snooze, read, priority) so that a seed keeps giving the same workspace.
    const snoozedUntil = state === "snoozed" ? at + conversationRng.int(1, 7) * DAY : null
    const read = conversationRng.chance(0.7)
    const priority = conversationRng.chance(0.15) ? "priority" : "not_priority"
    return {
      conversation: Records.conversation(
        ids,
        { author, subject, body: `<p>${subject}</p>`, created },
        {
          updated_at: at,
          waiting_since: state === "open" ? at : null,
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
      tagIds: Records.pickTags(conversationRng, tags, 2)
    }
  })

  const ticketRng = Prng.make(seed, "tickets")
  const users = contacts.filter((c) => c.contact.role === "user")
  const tickets: Array<Ticket> =
    users.length === 0
      ? []
      : Array.from({ length: options.tickets ?? 0 }, () => {
          const owner = ticketRng.pick(users).contact
          return { owner, created: Records.timeIn(ticketRng, owner.created_at, until) }
        })
          .sort((a, b) => a.created - b.created)
          .map(({ created, owner }) => {
            const ticketType = ticketRng.pick(ticketTypes)
            const state = ticketRng.pick(Records.ticketStates)
            const label = Records.ticketStateLabel(state)
            const ticket = Records.ticket(ids, {
              ticketType,
              contacts: [owner],
              attributes: {
                _default_title_: ticketRng.pick(Records.subjects),
                _default_description_: ticketRng.pick(Records.userLines)
              },
              at: created
            })
            return {
              ...ticket,
              ticket_state: state,
              ticket_state_internal_label: label,
              ticket_state_external_label: label,
              open: state !== "resolved",
              updated_at: Records.timeIn(ticketRng, created, until)
            }
          })

  return {
    seed,
    salt,
    app,
    admins: adminsWithTeams,
    teams,
    tags,
    ticketTypes,
    companies,
    contacts,
    conversations,
    tickets,
    counters: ids.snapshot()
  }
}
