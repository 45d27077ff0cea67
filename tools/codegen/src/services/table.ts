/**
 * Every hand-kept fact about the operations and their services: the 21 services, and for each of the 108 operations
 * the service and method a user looks for, a one-line description in our own words, how it pages, whether a POST
 * only reads, and which error rules are its own. The rest (path, method, parameters, body and response schemas, the
 * documentation link) comes from the spec. The generator joins both into the one operation table,
 * packages/schemas/src/generated/operations.ts, which the services, the mock server's routes and (through the
 * operation each call carries) the HTTP client read.
 *
 * Operations are grouped by the resource their path starts with, not by the spec's primary tag: POST
 * /contacts/{id}/tags is `Contacts.attachTag`, though the file tags it "Tags".
 */

/**
 * The 21 services, in the order the README lists them, each with what it is about (its module's comment). This is
 * the one place the names are written: the service modules, the barrel, `Intercom.ts` and the operation table of
 * packages/schemas are generated from it.
 */
export const services = {
  Admins: "the workspace's teammates: who the token belongs to, their away status and activity logs",
  Articles: "Help Center articles",
  HelpCenter: "help centers and their collections",
  Companies: "companies, their contacts and segments, walked by page or by scroll",
  Contacts: "users and leads, with their tags, companies, notes, segments and subscriptions",
  Conversations: "conversations: replies, assignment, state, tags, participants and search",
  DataAttributes: "the data attributes of contacts, companies and conversations",
  DataEvents: "events recorded against contacts",
  DataExport: "message data exports: start a job, follow it, download the result",
  Messages: "messages sent by admins",
  News: "news items and newsfeeds",
  Notes: "notes, by id (a contact's notes are listed and added through Contacts)",
  Segments: "segments of contacts and companies",
  SubscriptionTypes: "the workspace's subscription types (a contact's are managed through Contacts)",
  PhoneCallRedirects: "redirecting phone callers to Messenger (the spec's Switch)",
  Tags: "tags themselves (tagging a contact, conversation or ticket is done through that resource)",
  Teams: "teams of admins",
  TicketTypeAttributes: "the attributes of ticket types",
  TicketTypes: "ticket types",
  Tickets: "tickets: create, reply, update, tag and search",
  Visitors: "anonymous visitors, and their conversion into contacts"
} as const

/** A service name. */
export type ServiceName = keyof typeof services

/** The service names in the README's order. */
export const serviceNames = Object.keys(services) as ReadonlyArray<ServiceName>

/**
 * Services with hand-written methods beside the generated ones (upsert, lookups by a key, typed attributes, ...).
 * Each has a module at packages/services/src/helpers/<Service>.ts exporting a `Helpers` interface and a
 * `makeHelpers({ operations, call })` that builds those methods over the generated ones (and the service's calls,
 * for a response the generated method would not decode); the generated module merges both and re-exports the helper
 * module's models and errors.
 */
export const withHelpers: ReadonlySet<ServiceName> = new Set(["Companies", "Contacts", "Conversations"])

/**
 * How a list pages (the five styles of 2.10):
 * - `cursor`: `per_page` + `starting_after` in the query, next cursor at `pages.next.starting_after`;
 * - `search`: the same cursor inside a search body's `pagination`;
 * - `pageNumber`: `page` + `per_page` in the query, ending at `pages.total_pages`;
 * - `scroll`: `scroll_param`, ending on an empty page;
 * - `nextUrl`: follow `pages.next`, a URL on the API's own host.
 */
export type Paging =
  | {
      readonly style: "cursor" | "search" | "pageNumber" | "scroll" | "nextUrl"
      /** The property holding the page's items. */
      readonly items: string
      /** The schema the walk decodes pages with, when narrower than the operation's response. */
      readonly response?: string
      /** Query parameters the walk does not take (they would change what a page is). */
      readonly omit?: ReadonlyArray<string>
    }
  | undefined

/** One row of the table. */
export interface Row {
  readonly service: ServiceName
  readonly method: string
  /** What the method does, in a few words of our own (the JSDoc's first line). */
  readonly doc: string
  readonly paging?: Paging
  /** The 2xx body is not JSON: `void` (empty) or `bytes` (streamed). */
  readonly body?: "void" | "bytes"
  /**
   * A POST that only reads (a search, POST /companies/list): repeating it is harmless, so it is retried like a GET
   * after a 5xx or a timeout. Every other POST is not idempotent; every GET, PUT and DELETE is.
   */
  readonly readOnly?: true
  /**
   * A 429 from this operation is a rule of the resource that waiting does not lift (one pending data export job per
   * workspace), not a spent rate-limit window: the client fails it at once instead of retrying.
   */
  readonly finalRateLimit?: true
  /** The schema the body is encoded with, when not the spec's request body (an expression over `SearchQuery`). */
  readonly requestSchema?: string
}

const row = (service: ServiceName, method: string, doc: string, extra: Partial<Row> = {}): Row => ({
  service,
  method,
  doc,
  ...extra
})

const paged = (
  style: NonNullable<Paging>["style"],
  items: string,
  more: Omit<NonNullable<Paging>, "style" | "items"> = {}
): Partial<Row> => ({ paging: { style, items, ...more } })

/** operationId -> row. */
export const table: Readonly<Record<string, Row>> = {
  // Admins
  identifyAdmin: row("Admins", "me", "The admin (and workspace) the access token belongs to."),
  listAdmins: row("Admins", "list", "Every admin of the workspace."),
  retrieveAdmin: row("Admins", "get", "One admin by id."),
  setAwayAdmin: row("Admins", "setAway", "Sets an admin away (or back), optionally reassigning their conversations."),
  listActivityLogs: row("Admins", "listActivityLogs", "Admin activity logs between two times."),

  // Articles
  listArticles: row("Articles", "list", "All articles, by page.", paged("pageNumber", "data")),
  searchArticles: row("Articles", "search", "Articles matching a phrase, state or help center."),
  retrieveArticle: row("Articles", "get", "One article by id."),
  createArticle: row("Articles", "create", "Creates an article."),
  updateArticle: row("Articles", "update", "Updates an article."),
  deleteArticle: row("Articles", "delete", "Deletes an article."),

  // Help Center
  listAllCollections: row("HelpCenter", "listCollections", "All collections, by page.", paged("pageNumber", "data")),
  retrieveCollection: row("HelpCenter", "getCollection", "One collection by id."),
  createCollection: row("HelpCenter", "createCollection", "Creates a collection."),
  updateCollection: row("HelpCenter", "updateCollection", "Updates a collection."),
  deleteCollection: row("HelpCenter", "deleteCollection", "Deletes a collection."),
  listHelpCenters: row("HelpCenter", "listHelpCenters", "The workspace's help centers."),
  retrieveHelpCenter: row("HelpCenter", "getHelpCenter", "One help center by id."),

  // Companies
  retrieveCompany: row(
    "Companies",
    "list",
    "Companies, optionally filtered by name, company_id, tag or segment, by page (the first 10,000 only).",
    paged("pageNumber", "data")
  ),
  listAllCompanies: row("Companies", "listAll", "All companies, by page, through POST /companies/list.", {
    ...paged("pageNumber", "data"),
    readOnly: true
  }),
  scrollOverAllCompanies: row(
    "Companies",
    "scroll",
    "Every company, past the 10,000 that page numbers reach (one scroll per app at a time).",
    paged("scroll", "data")
  ),
  RetrieveACompanyById: row("Companies", "get", "One company by Intercom's id."),
  createOrUpdateCompany: row(
    "Companies",
    "createOrUpdate",
    "Creates a company, or updates the one with this company_id."
  ),
  UpdateCompany: row("Companies", "update", "Updates a company by Intercom's id."),
  deleteCompany: row("Companies", "delete", "Deletes a company."),
  ListAttachedContacts: row("Companies", "listContacts", "The contacts attached to a company."),
  ListAttachedSegmentsForCompanies: row("Companies", "listSegments", "The segments a company belongs to."),

  // Contacts
  ListContacts: row("Contacts", "list", "All contacts, by cursor.", paged("cursor", "data")),
  // The contacts search also checks the date-field rules of contacts (see SearchQuery).
  SearchContacts: row("Contacts", "search", "Contacts matching a search query, by cursor.", {
    ...paged("search", "data"),
    readOnly: true,
    requestSchema: "SearchQuery.ContactsSearchRequest"
  }),
  ShowContact: row("Contacts", "get", "One contact by id."),
  CreateContact: row("Contacts", "create", "Creates a user or a lead."),
  UpdateContact: row("Contacts", "update", "Updates a contact."),
  DeleteContact: row("Contacts", "delete", "Deletes a contact."),
  MergeContact: row("Contacts", "merge", "Merges a lead into a user."),
  ArchiveContact: row("Contacts", "archive", "Archives a contact."),
  UnarchiveContact: row("Contacts", "unarchive", "Unarchives a contact."),
  listSegmentsForAContact: row("Contacts", "listSegments", "The segments a contact belongs to."),
  listSubscriptionsForAContact: row(
    "Contacts",
    "listSubscriptions",
    "The subscription types a contact has opted into or out of."
  ),
  attachSubscriptionTypeToContact: row(
    "Contacts",
    "attachSubscription",
    "Opts a contact into (or out of) a subscription type."
  ),
  detachSubscriptionTypeToContact: row("Contacts", "detachSubscription", "Removes a subscription type from a contact."),
  listTagsForAContact: row("Contacts", "listTags", "The tags on a contact."),
  attachTagToContact: row("Contacts", "attachTag", "Tags a contact."),
  detachTagFromContact: row("Contacts", "detachTag", "Removes a tag from a contact."),
  listCompaniesForAContact: row("Contacts", "listCompanies", "The companies a contact belongs to, by page.", {
    ...paged("pageNumber", "data")
  }),
  attachContactToACompany: row("Contacts", "attachCompany", "Attaches a contact to a company."),
  detachContactFromACompany: row("Contacts", "detachCompany", "Detaches a contact from a company."),
  listNotes: row("Contacts", "listNotes", "The notes on a contact, by page.", paged("pageNumber", "data")),
  createNote: row("Contacts", "createNote", "Adds a note to a contact."),

  // Conversations
  listConversations: row("Conversations", "list", "All conversations, by cursor.", paged("cursor", "conversations")),
  searchConversations: row("Conversations", "search", "Conversations matching a search query, by cursor.", {
    ...paged("search", "conversations"),
    readOnly: true
  }),
  retrieveConversation: row("Conversations", "get", "One conversation with its most recent parts."),
  createConversation: row("Conversations", "create", "Starts a conversation as a contact."),
  updateConversation: row("Conversations", "update", "Updates a conversation's read state or custom attributes."),
  replyConversation: row("Conversations", "reply", "Replies as an admin or a contact."),
  manageConversation: row("Conversations", "manage", "Closes, snoozes, opens or assigns a conversation."),
  autoAssignConversation: row("Conversations", "runAssignmentRules", "Runs the workspace's assignment rules on it."),
  attachContactToConversation: row("Conversations", "attachContact", "Adds a contact to a group conversation."),
  detachContactFromConversation: row("Conversations", "detachContact", "Removes a contact from a group conversation."),
  attachTagToConversation: row("Conversations", "attachTag", "Tags a conversation."),
  detachTagFromConversation: row("Conversations", "detachTag", "Removes a tag from a conversation."),
  redactConversation: row("Conversations", "redact", "Redacts a conversation part or its source."),
  convertConversationToTicket: row("Conversations", "convertToTicket", "Turns a conversation into a ticket."),

  // Data attributes
  lisDataAttributes: row("DataAttributes", "list", "The data attributes of contacts, companies or conversations."),
  createDataAttribute: row("DataAttributes", "create", "Creates a custom data attribute."),
  updateDataAttribute: row("DataAttributes", "update", "Updates (or archives) a custom data attribute."),

  // Data events
  // With `summary=true` the answer is a summary, not a page: the walk asks for the list only, and `listPage` takes both.
  lisDataEvents: row(
    "DataEvents",
    "list",
    "A contact's events of the last 90 days, by next URL.",
    paged("nextUrl", "events", { response: "DataEventList", omit: ["summary"] })
  ),
  createDataEvent: row("DataEvents", "create", "Records an event for a contact.", { body: "void" }),
  dataEventSummaries: row("DataEvents", "createSummaries", "Records counts of events for a contact.", { body: "void" }),

  // Data export
  createDataExport: row("DataExport", "create", "Starts an export of message data (one job per workspace at a time).", {
    finalRateLimit: true
  }),
  getDataExport: row("DataExport", "get", "The status of an export job."),
  cancelDataExport: row("DataExport", "cancel", "Cancels an export job."),
  downloadDataExport: row("DataExport", "download", "The finished export, streamed as gzipped CSV bytes.", {
    body: "bytes"
  }),

  // Messages
  createMessage: row("Messages", "create", "Sends an in-app message or an email as an admin."),

  // News
  listNewsItems: row("News", "listItems", "All news items."),
  retrieveNewsItem: row("News", "getItem", "One news item by id."),
  createNewsItem: row("News", "createItem", "Creates a news item."),
  updateNewsItem: row("News", "updateItem", "Updates a news item."),
  deleteNewsItem: row("News", "deleteItem", "Deletes a news item."),
  listNewsfeeds: row("News", "listFeeds", "All newsfeeds."),
  retrieveNewsfeed: row("News", "getFeed", "One newsfeed by id."),
  listLiveNewsfeedItems: row("News", "listFeedItems", "The live items of a newsfeed."),

  // Notes
  retrieveNote: row("Notes", "get", "One note by id."),

  // Segments
  listSegments: row("Segments", "list", "All segments, optionally with their counts."),
  retrieveSegment: row("Segments", "get", "One segment by id."),

  // Subscription types
  listSubscriptionTypes: row("SubscriptionTypes", "list", "All subscription types."),

  // Phone call redirects (the spec's "Switch")
  createPhoneSwitch: row("PhoneCallRedirects", "create", "Sends a phone caller a link to continue in Messenger."),

  // Tags
  listTags: row("Tags", "list", "All tags."),
  findTag: row("Tags", "get", "One tag by id."),
  createTag: row("Tags", "create", "Creates or renames a tag, or tags or untags companies or users in bulk."),
  deleteTag: row("Tags", "delete", "Deletes a tag.", { body: "void" }),

  // Teams
  listTeams: row("Teams", "list", "All teams."),
  retrieveTeam: row("Teams", "get", "One team by id."),

  // Ticket type attributes
  createTicketTypeAttribute: row("TicketTypeAttributes", "create", "Adds an attribute to a ticket type."),
  updateTicketTypeAttribute: row("TicketTypeAttributes", "update", "Updates an attribute of a ticket type."),

  // Ticket types
  listTicketTypes: row("TicketTypes", "list", "All ticket types."),
  getTicketType: row("TicketTypes", "get", "One ticket type by id."),
  createTicketType: row("TicketTypes", "create", "Creates a ticket type."),
  updateTicketType: row("TicketTypes", "update", "Updates a ticket type."),

  // Tickets
  createTicket: row("Tickets", "create", "Creates a ticket."),
  getTicket: row("Tickets", "get", "One ticket by id."),
  updateTicket: row("Tickets", "update", "Updates a ticket's attributes, state or assignment."),
  replyTicket: row("Tickets", "reply", "Replies to a ticket as an admin or a contact."),
  searchTickets: row("Tickets", "search", "Tickets matching a search query, by cursor.", {
    ...paged("search", "tickets"),
    readOnly: true
  }),
  attachTagToTicket: row("Tickets", "attachTag", "Tags a ticket."),
  detachTagFromTicket: row("Tickets", "detachTag", "Removes a tag from a ticket."),

  // Visitors
  retrieveVisitorWithUserId: row("Visitors", "get", "One visitor by their user_id."),
  updateVisitor: row("Visitors", "update", "Updates a visitor."),
  convertVisitor: row("Visitors", "convert", "Converts a visitor into a user or a lead.")
}
