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
  TicketType
} from "@intercom-effect/schemas"
import { type Counters, Ids } from "./internal/ids.js"
import * as Prng from "./internal/prng.js"

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

const firstNames = [
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
const lastNames = [
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
const plans = ["free", "pro", "enterprise"] as const
const sources = ["organic", "ads", "referral", "partner", "event"]
const places = [
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
const subjects = [
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
const userLines = [
  "Hi, I need some help with this.",
  "It still happens after a refresh.",
  "Thanks, that worked!",
  "Any update on this?",
  "Here is a screenshot of the error.",
  "Can you check my account?"
]
const adminLines = [
  "Thanks for reaching out, let me look into it.",
  "Could you send me the request id?",
  "I have escalated this to our engineers.",
  "That should be fixed now.",
  "Happy to help, anything else?"
]

const DAY = 86_400

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
  const timeIn = (rng: Prng.Prng, start: number, end: number) => rng.int(start, Math.max(start, end))

  const appRng = Prng.make(seed, "app")
  const app: App = {
    type: "app",
    id_code: `mock${salt}`,
    name: "Mock Workspace",
    region: "US",
    // Searches on contact dates match whole days in the workspace's timezone; the mock's days are UTC days.
    timezone: "UTC",
    created_at: from - DAY * appRng.int(30, 365),
    identity_verification: false
  }

  const adminRng = Prng.make(seed, "admins")
  const admins: Array<Admin> = Array.from({ length: Math.max(1, options.admins ?? 5) }, () => {
    const first = adminRng.pick(firstNames)
    const last = adminRng.pick(lastNames)
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
  const pickTags = (rng: Prng.Prng, max: number) => {
    const chosen = new Set<string>()
    const n = rng.int(0, max)
    for (let i = 0; i < n; i++) chosen.add(rng.pick(tags).id)
    return [...chosen]
  }

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
  const companyTimes = Array.from({ length: options.companies ?? 10 }, () => timeIn(companyRng, from, until)).sort(
    (a, b) => a - b
  )
  const companies: Array<SeedCompany> = companyTimes.map((created, i) => {
    const name = `${companyRng.pick(companyFirst)} ${companyRng.pick(companySecond)}`
    const slug = `${name.toLowerCase().replace(/\s+/g, "-")}-${i + 1}`
    const plan = companyRng.pick(plans)
    const id = ids.object("company", created)
    return {
      company: {
        type: "company",
        id,
        name,
        app_id: app.id_code,
        company_id: `cmp-${String(i + 1).padStart(5, "0")}`,
        plan: { type: "plan", id: String(plans.indexOf(plan) + 1), name: plan },
        remote_created_at: created - DAY * companyRng.int(0, 400),
        created_at: created,
        updated_at: timeIn(companyRng, created, until),
        last_request_at: timeIn(companyRng, created, until),
        size: companyRng.int(1, 5000),
        website: `https://${slug}.example`,
        industry: companyRng.pick(industries),
        monthly_spend: plan === "free" ? 0 : companyRng.int(50, 20_000),
        session_count: companyRng.int(0, 10_000),
        custom_attributes: { tier: plan, region: companyRng.pick(places).country }
      },
      tagIds: pickTags(companyRng, 2)
    }
  })

  const contactRng = Prng.make(seed, "contacts")
  const contactTimes = Array.from({ length: options.contacts ?? 100 }, () => timeIn(contactRng, from, until)).sort(
    (a, b) => a - b
  )
  const contacts: Array<SeedContact> = contactTimes.map((created, i) => {
    const n = i + 1
    const role = contactRng.chance(0.8) ? "user" : "lead"
    const first = contactRng.pick(firstNames)
    const last = contactRng.pick(lastNames)
    const companyIds = new Set<string>()
    if (companies.length > 0 && role === "user") {
      const links = contactRng.chance(0.7) ? contactRng.int(1, 2) : 0
      for (let k = 0; k < links; k++) companyIds.add(contactRng.pick(companies).company.id)
    }
    const domain =
      companyIds.size > 0
        ? new URL(companies.find((c) => companyIds.has(c.company.id))!.company.website!).hostname
        : contactRng.pick(["mail.example", "inbox.example", "post.example"])
    const email = role === "lead" && contactRng.chance(0.3) ? null : `${first}.${last}.${n}@${domain}`.toLowerCase()
    const place = contactRng.pick(places)
    const seen = timeIn(contactRng, created, until)
    const id = ids.object("contact", created)
    return {
      contact: {
        type: "contact",
        id,
        workspace_id: app.id_code!,
        external_id: role === "user" ? `user-${String(n).padStart(6, "0")}` : null,
        role,
        email,
        email_domain: email === null ? null : email.slice(email.indexOf("@") + 1),
        phone: contactRng.chance(0.4) ? `+1555${String(contactRng.int(0, 9_999_999)).padStart(7, "0")}` : null,
        name: `${first} ${last}`,
        owner_id: contactRng.chance(0.5) ? Number(contactRng.pick(admins).id) : null,
        has_hard_bounced: false,
        marked_email_as_spam: false,
        unsubscribed_from_emails: contactRng.chance(0.1),
        created_at: created,
        updated_at: timeIn(contactRng, created, until),
        signed_up_at: role === "user" ? created : null,
        last_seen_at: seen,
        last_replied_at: null,
        last_contacted_at: null,
        last_email_opened_at: null,
        last_email_clicked_at: null,
        language_override: null,
        browser: contactRng.pick(browsers),
        browser_version: `${contactRng.int(90, 130)}.0`,
        browser_language: "en",
        os: contactRng.pick(["macOS", "Windows", "Linux", "iOS", "Android"]),
        custom_attributes: {
          plan: contactRng.pick(plans),
          seats: contactRng.int(1, 250),
          beta_tester: contactRng.chance(0.2),
          signup_source: contactRng.pick(sources)
        },
        avatar: { type: "avatar", image_url: null },
        location: { type: "location", ...place },
        social_profiles: { type: "list", data: [] }
      },
      tagIds: pickTags(contactRng, 3),
      companyIds: [...companyIds]
    }
  })

  const conversationRng = Prng.make(seed, "conversations")
  const drafts =
    contacts.length === 0
      ? []
      : Array.from({ length: options.conversations ?? 50 }, () => {
          const owner = conversationRng.pick(contacts)
          return { owner, created: timeIn(conversationRng, owner.contact.created_at, until) }
        })
  drafts.sort((a, b) => a.created - b.created)
  const conversations: Array<SeedConversation> = drafts.map(({ created, owner }) => {
    const contact = owner.contact
    // A seeded contact always has its role; the type admits null only because real traffic sends it.
    const author = {
      type: contact.role ?? "user",
      id: contact.id,
      name: contact.name ?? null,
      email: contact.email ?? null
    }
    const admin = conversationRng.pick(adminsWithTeams)
    const team = conversationRng.pick(teams)
    const id = ids.numeric("conversation")
    let at = created
    const parts: Array<ConversationPart> = Array.from({ length: conversationRng.int(1, 6) }, (_, k) => {
      at += conversationRng.int(60, 6 * 3600)
      const fromAdmin = k % 2 === 0
      return {
        type: "conversation_part",
        id: ids.numeric("part"),
        part_type: "comment",
        body: `<p>${conversationRng.pick(fromAdmin ? adminLines : userLines)}</p>`,
        created_at: at,
        updated_at: at,
        notified_at: at,
        assigned_to: null,
        author: fromAdmin
          ? { type: "admin", id: admin.id, name: admin.name ?? null, email: admin.email ?? null }
          : author,
        attachments: [],
        external_id: null,
        redacted: false
      }
    })
    const roll = conversationRng.next()
    const state = roll < 0.55 ? "closed" : roll < 0.9 ? "open" : "snoozed"
    if (state === "closed") {
      at += conversationRng.int(60, 3600)
      parts.push({
        type: "conversation_part",
        id: ids.numeric("part"),
        part_type: "close",
        body: null,
        created_at: at,
        updated_at: at,
        notified_at: at,
        assigned_to: null,
        author: { type: "admin", id: admin.id, name: admin.name ?? null, email: admin.email ?? null },
        attachments: [],
        external_id: null,
        redacted: false
      })
    }
    const subject = conversationRng.pick(subjects)
    return {
      conversation: {
        type: "conversation",
        id,
        title: null,
        created_at: created,
        updated_at: at,
        waiting_since: state === "open" ? at : null,
        snoozed_until: state === "snoozed" ? at + conversationRng.int(1, 7) * DAY : null,
        open: state !== "closed",
        state,
        read: conversationRng.chance(0.7),
        priority: conversationRng.chance(0.15) ? "priority" : "not_priority",
        admin_assignee_id: Number(admin.id),
        team_assignee_id: Number(team.id),
        conversation_rating: null,
        source: {
          type: "conversation",
          id: ids.numeric("message"),
          delivered_as: "customer_initiated",
          subject,
          body: `<p>${subject}</p>`,
          author,
          attachments: [],
          url: null,
          redacted: false
        },
        teammates: { type: "admin.list", teammates: [{ type: "admin", id: admin.id }] },
        first_contact_reply: { created_at: created, type: "conversation", url: null },
        sla_applied: null,
        linked_objects: { type: "list", total_count: 0, has_more: false, data: [] }
      },
      parts,
      contactIds: [contact.id],
      tagIds: pickTags(conversationRng, 2)
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
    counters: ids.snapshot()
  }
}
