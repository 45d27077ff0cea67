/**
 * Deterministic Intercom 2.10 bodies for the loopback server and the decode workload: `contact_list` pages of fully
 * populated contacts and an `admin_with_app`.
 *
 * Every value comes from a seeded generator, so two runs (and the server and the decode child) see byte-identical
 * pages. The contacts follow what live Intercom sends rather than the minimum the spec file allows: every field
 * present, `null` for unset values, sub-lists as `{type: "list", data, url, total_count, has_more}`, and the fields
 * real responses carry that the 2.10 file does not name (formatted_phone, utm_*, the subscription type lists, ...).
 */

/** Contacts per page: the most GET /contacts allows, and what a full export asks for. */
export const PER_PAGE = 150

/** Shapes live Intercom sends beyond the 2.10 file (see ARCHITECTURE.md §6). */
export interface Shapes {
  /**
   * When true, some leads carry `email: null` and an `avatar` that is a bare URL string, as real traffic does. Off by
   * default: the schemas from before issue 7 reject them, and the baseline in BENCHMARKS.md was taken without them.
   */
  readonly realTraffic: boolean
}

/** mulberry32: tiny, fast and good enough to vary test data; the seed fixes the whole data set. */
const generator = (seed: number): (() => number) => {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

interface Pick {
  readonly random: () => number
  readonly int: (min: number, max: number) => number
  readonly chance: (p: number) => boolean
  readonly one: <T>(values: ReadonlyArray<T>) => T
  readonly hex: (digits: number) => string
}

/** One independent generator per contact, so any page can be built alone, in any order. */
const pickFor = (seed: number): Pick => {
  const random = generator(seed)
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1))
  return {
    random,
    int,
    chance: (p) => random() < p,
    one: (values) => values[Math.floor(random() * values.length)]!,
    hex: (digits) => {
      let out = ""
      while (out.length < digits) out += Math.floor(random() * 0x10000000).toString(16)
      return out.slice(0, digits)
    }
  }
}

// prettier-ignore
const FIRST = [
  "Aisling", "Bruno", "Chiara", "Dmitri", "Elif", "Farah", "Gustavo", "Hana", "Idris", "Jonas", "Keiko", "Lars",
  "Maren", "Nuno", "Olga", "Priya", "Quentin", "Rosa", "Sven", "Tamsin", "Umar", "Vera", "Wendell", "Xiomara",
  "Yusuf", "Zofia", "Amara", "Bogdan", "Carys", "Desmond", "Esther", "Florin"
]
// prettier-ignore
const LAST = [
  "Abernathy", "Baptiste", "Castellanos", "Dunleavy", "Eriksen", "Fairweather", "Gallagher", "Haddad", "Ilves",
  "Jablonski", "Kowalczyk", "Lindqvist", "Moreau", "Nakashima", "Okonkwo", "Petrov", "Quigley", "Rasmussen",
  "Szabo", "Thorne", "Uchida", "Valdivia", "Whitcombe", "Yilmaz", "Zielinski", "Achterberg", "Brennan", "Cordero"
]
// prettier-ignore
const COMPANY_DOMAINS = [
  "harbourlight.example", "quillstone.example", "brightmeadow.example", "northfold.example", "tallyworks.example",
  "cobaltpine.example", "vesselhq.example", "orchardline.example", "mintbridge.example", "stackgrove.example"
]
const MAIL_DOMAINS = ["mail.example", "inbox.example", "post.example"]
const PLACES = [
  { country: "Ireland", region: "Dublin", city: "Dublin", country_code: "IRL", continent_code: "EU" },
  { country: "United States", region: "California", city: "Oakland", country_code: "USA", continent_code: "NA" },
  { country: "United States", region: "New York", city: "Brooklyn", country_code: "USA", continent_code: "NA" },
  { country: "Germany", region: "Bavaria", city: "Munich", country_code: "DEU", continent_code: "EU" },
  { country: "Brazil", region: "Sao Paulo", city: "Campinas", country_code: "BRA", continent_code: "SA" },
  { country: "Japan", region: "Osaka", city: "Osaka", country_code: "JPN", continent_code: "AS" },
  { country: "Australia", region: "Victoria", city: "Melbourne", country_code: "AUS", continent_code: "OC" },
  { country: "Kenya", region: "Nairobi County", city: "Nairobi", country_code: "KEN", continent_code: "AF" },
  { country: "Poland", region: "Lesser Poland", city: "Krakow", country_code: "POL", continent_code: "EU" },
  { country: "Canada", region: "Quebec", city: "Montreal", country_code: "CAN", continent_code: "NA" }
] as const
const DESKTOPS = [
  { browser: "chrome", version: ["124.0.6367.91", "126.0.6478.127", "121.0.6167.184"], os: "OS X 10.15.7" },
  { browser: "chrome", version: ["125.0.6422.142", "119.0.6045.199"], os: "Windows 10" },
  { browser: "firefox", version: ["126.0", "115.11.0"], os: "Windows 11" },
  { browser: "safari", version: ["17.4.1", "16.6"], os: "OS X 10.15.7" },
  { browser: "edge", version: ["124.0.2478.80"], os: "Windows 10" },
  { browser: "chrome", version: ["123.0.6312.122"], os: "Linux" }
] as const
const LANGUAGES = ["en", "en-US", "en-GB", "de", "fr", "pt-BR", "ja", "pl"]
const PLANS = ["free", "starter", "growth", "pro", "enterprise"]
const SOURCES = ["organic", "paid_search", "partner", "webinar", "referral", "product_hunt"]
const NETWORKS = ["Twitter", "LinkedIn", "GitHub", "Facebook"]
const TAG_IDS = Array.from({ length: 24 }, (_, i) => String(7_104_220 + i * 37))

/** Ids shaped like Intercom's: 24 hex digits, the first eight the creation time, as in a Mongo ObjectId. */
const objectId = (pick: Pick, seconds: number): string => seconds.toString(16).padStart(8, "0") + pick.hex(16)

/** A paged sub-list of a contact (`tags`, `notes`, `companies`, the subscription types). */
const subList = (url: string, data: ReadonlyArray<object>) => ({
  type: "list",
  data,
  url,
  total_count: data.length,
  has_more: false
})

const WORKSPACE = "q4z8rmtd"
const EPOCH = 1_577_836_800 // 2020-01-01: contacts are created after it, one every half hour or so

/** Contact number `index` of the data set (0-based, in list order). */
export const contact = (index: number, shapes: Shapes): Record<string, unknown> => {
  const pick = pickFor(0x5eed0000 + index)
  const createdAt = EPOCH + index * 1_800 + pick.int(0, 1_700)
  const id = objectId(pick, createdAt)
  const isUser = pick.chance(0.72)
  const first = pick.one(FIRST)
  const last = pick.one(LAST)
  const domain = pick.chance(0.6) ? pick.one(COMPANY_DOMAINS) : pick.one(MAIL_DOMAINS)
  const hasEmail = isUser || pick.chance(0.55)
  const email = hasEmail ? `${first}.${last}${index % 97}@${domain}`.toLowerCase() : shapes.realTraffic ? null : ""
  const updatedAt = createdAt + pick.int(60, 40_000_000)
  const lastSeen = pick.chance(0.85) ? updatedAt - pick.int(0, 86_400) : null
  const place = pick.chance(0.9) ? pick.one(PLACES) : null
  const desktop = pick.one(DESKTOPS)
  const onIos = pick.chance(0.12)
  const onAndroid = !onIos && pick.chance(0.1)
  const phone = pick.chance(0.35) ? `+1${pick.int(201, 989)}555${String(pick.int(0, 9999)).padStart(4, "0")}` : null
  const path = `/contacts/${id}`
  const avatarUrl = `https://static.intercomassets.example/avatars/${pick.int(100_000, 9_999_999)}/square_128/me.jpg`
  const avatar =
    shapes.realTraffic && !isUser && pick.chance(0.3)
      ? avatarUrl
      : { type: "avatar", image_url: pick.chance(0.4) ? avatarUrl : null }
  const customAttributes: Record<string, unknown> = {
    plan: pick.one(PLANS),
    seats: pick.int(1, 250),
    mrr_usd: Math.round(pick.random() * 500_000) / 100,
    signup_source: pick.one(SOURCES),
    beta_features: pick.chance(0.2)
  }
  if (pick.chance(0.5)) customAttributes.trial_ends_at = createdAt + 14 * 86_400
  if (pick.chance(0.4))
    customAttributes.account_manager = pick.chance(0.7) ? `${pick.one(FIRST)} ${pick.one(LAST)}` : null
  if (pick.chance(0.3)) customAttributes.nps_score = pick.int(0, 10)
  const tags = Array.from({ length: pick.int(0, 3) }, () => {
    const tagId = pick.one(TAG_IDS)
    return { type: "tag", id: tagId, url: `/tags/${tagId}` }
  })
  const notes = Array.from({ length: pick.int(0, 2) }, () => {
    const noteId = String(pick.int(10_000_000, 99_999_999))
    return { type: "note", id: noteId, url: `/notes/${noteId}` }
  })
  const companies = Array.from({ length: isUser ? pick.int(0, 2) : 0 }, () => {
    const companyId = objectId(pick, createdAt - pick.int(0, 5_000_000))
    return { type: "company", id: companyId, url: `/companies/${companyId}` }
  })
  const socials = Array.from({ length: pick.int(0, 2) }, () => {
    const network = pick.one(NETWORKS)
    return { type: "social_profile", name: network, url: `https://${network.toLowerCase()}.example/${first}${last}` }
  })
  const mobile = (on: boolean, app: string, device: string, os: string) =>
    on
      ? { app_name: app, app_version: `4.${pick.int(0, 30)}.${pick.int(0, 9)}`, device, os_version: os }
      : { app_name: null, app_version: null, device: null, os_version: null }
  const ios = mobile(onIos, "Harbourlight", pick.one(["iPhone14,5", "iPhone15,2", "iPad13,1"]), "17.4.1")
  const android = mobile(onAndroid, "Harbourlight", pick.one(["Pixel 7", "SM-S911B", "moto g54"]), "14")

  return {
    type: "contact",
    id,
    workspace_id: WORKSPACE,
    external_id: isUser ? `usr_${(index * 7_919 + 104_729).toString(36)}` : null,
    role: isUser ? "user" : "lead",
    email,
    email_domain: hasEmail ? domain : "",
    phone,
    formatted_phone: phone,
    name: isUser || pick.chance(0.3) ? `${first} ${last}` : null,
    owner_id: pick.chance(0.45) ? pick.int(5_000_000, 5_000_400) : null,
    has_hard_bounced: pick.chance(0.02),
    marked_email_as_spam: pick.chance(0.01),
    unsubscribed_from_emails: pick.chance(0.08),
    created_at: createdAt,
    updated_at: updatedAt,
    signed_up_at: isUser ? createdAt : null,
    last_seen_at: lastSeen,
    last_replied_at: pick.chance(0.3) ? updatedAt - pick.int(0, 3_000_000) : null,
    last_contacted_at: pick.chance(0.5) ? updatedAt - pick.int(0, 3_000_000) : null,
    last_email_opened_at: pick.chance(0.4) ? updatedAt - pick.int(0, 3_000_000) : null,
    last_email_clicked_at: pick.chance(0.15) ? updatedAt - pick.int(0, 3_000_000) : null,
    language_override: pick.chance(0.1) ? pick.one(LANGUAGES) : null,
    browser: lastSeen === null ? null : desktop.browser,
    browser_version: lastSeen === null ? null : pick.one(desktop.version),
    browser_language: lastSeen === null ? null : pick.one(LANGUAGES),
    os: lastSeen === null ? null : desktop.os,
    location: {
      type: "location",
      country: place?.country ?? null,
      region: place?.region ?? null,
      city: place?.city ?? null,
      country_code: place?.country_code ?? null,
      continent_code: place?.continent_code ?? null
    },
    android_app_name: android.app_name,
    android_app_version: android.app_version,
    android_device: android.device,
    android_os_version: android.os_version,
    android_sdk_version: onAndroid ? String(pick.int(28, 34)) : null,
    android_last_seen_at: onAndroid ? lastSeen : null,
    ios_app_name: ios.app_name,
    ios_app_version: ios.app_version,
    ios_device: ios.device,
    ios_os_version: ios.os_version,
    ios_sdk_version: onIos ? `16.${pick.int(0, 5)}.0` : null,
    ios_last_seen_at: onIos ? lastSeen : null,
    custom_attributes: customAttributes,
    avatar,
    tags: subList(`${path}/tags`, tags),
    notes: subList(`${path}/notes`, notes),
    companies: subList(`${path}/companies`, companies),
    opted_out_subscription_types: subList(`${path}/subscriptions`, []),
    opted_in_subscription_types: subList(`${path}/subscriptions`, []),
    utm_campaign: pick.chance(0.2) ? pick.one(["spring_launch", "q3_webinar", "retarget_7d"]) : null,
    utm_content: null,
    utm_medium: pick.chance(0.2) ? pick.one(["cpc", "email", "social"]) : null,
    utm_source: pick.chance(0.2) ? pick.one(["search", "newsletter", "partner"]) : null,
    utm_term: null,
    referrer: pick.chance(0.3) ? `https://${pick.one(COMPANY_DOMAINS)}/pricing` : null,
    sms_consent: pick.chance(0.05),
    unsubscribed_from_sms: false,
    social_profiles: { type: "list", data: socials }
  }
}

/**
 * The `starting_after` that asks for page `page` (0-based). Opaque to clients like Intercom's own cursors (base64 with
 * padding, so clients must URL-encode it), and stable, so the server can look it up.
 */
export const cursorFor = (page: number): string =>
  Buffer.from(JSON.stringify([EPOCH + page * PER_PAGE * 1_800, `bench-${page}`])).toString("base64")

/** Page `page` (0-based) of a data set of `total` contacts, as a `contact_list` body. */
export const contactPage = (page: number, total: number, shapes: Shapes): Record<string, unknown> => {
  const totalPages = Math.ceil(total / PER_PAGE)
  const start = page * PER_PAGE
  const data = Array.from({ length: Math.max(0, Math.min(PER_PAGE, total - start)) }, (_, i) =>
    contact(start + i, shapes)
  )
  return {
    type: "list",
    data,
    total_count: total,
    pages: {
      type: "pages",
      next: page + 1 < totalPages ? { per_page: PER_PAGE, starting_after: cursorFor(page + 1) } : null,
      page: page + 1,
      per_page: PER_PAGE,
      total_pages: totalPages
    }
  }
}

/** The body of GET /me: the admin who owns the token, with their workspace. */
export const admin = (): Record<string, unknown> => ({
  type: "admin",
  id: "5004213",
  name: "Rosalind Achterberg",
  email: "rosalind@harbourlight.example",
  email_verified: true,
  job_title: "Support Operations Lead",
  away_mode_enabled: false,
  away_mode_reassign: false,
  has_inbox_seat: true,
  team_ids: [6_102_331, 6_102_340],
  avatar: { type: "avatar", image_url: "https://static.intercomassets.example/avatars/5004213/square_128/me.jpg" },
  app: {
    type: "app",
    id_code: WORKSPACE,
    name: "Harbourlight",
    created_at: 1_546_300_800,
    secure: true,
    identity_verification: true,
    timezone: "Europe/Dublin",
    region: "US"
  }
})
