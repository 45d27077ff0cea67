/**
 * An Intercom webhook notification, decoded: the envelope every delivery shares (`type: "notification_event"`, `id`,
 * `topic`, `app_id`, `created_at`, delivery counters, `data: { type: "notification_event_data", item }`) with the item
 * decoded by the generated schema of its object for the topics modelled here (`Conversation`, `Contact`, `Ticket`,
 * `Company`, and the `ping` Intercom sends to test an endpoint).
 *
 * A decoded notification carries a `_tag`, the discriminant of the union: its topic for a modelled topic
 * (`"conversation.user.replied"`), `"UnknownTopic"` for any other. A topic Intercom adds later, or one whose item this
 * package does not model (such as the `*.deleted` topics, which carry only ids), is never a failure: it decodes as an
 * {@link UnknownNotification} whose item is the parsed JSON as it came, typed `unknown`.
 *
 * Like the response schemas, decoding is lenient where real traffic varies (absent or `null` optional fields, ids as
 * numbers) and keeps every field it does not name, on the envelope and on the item. `_tag` is added on decoding and
 * removed on encoding, so encoding gives back the wire shape.
 *
 * @example
 * ```ts
 * import { Notification } from "@intercom-effect/webhooks"
 * import { Effect } from "effect"
 *
 * const describe = (notification: Notification.Notification): string => {
 *   switch (notification._tag) {
 *     case "conversation.user.replied":
 *       return `reply in conversation ${notification.data.item.id}`
 *     case "contact.lead.created":
 *       return `new lead ${notification.data.item.email ?? "(no e-mail)"}`
 *     case "UnknownTopic":
 *       return `a ${notification.topic} notification`
 *     default:
 *       return notification.topic
 *   }
 * }
 *
 * const program = Notification.decode('{"type":"notification_event"}').pipe(Effect.map(describe))
 * ```
 *
 * @since 0.1.0
 */
import { Company, Contact, Conversation, Ticket } from "@intercom-effect/schemas"
import { Effect, Either, ParseResult, Schema } from "effect"
import * as WebhookError from "./WebhookError.js"

const UnknownFields = Schema.Record({ key: Schema.String, value: Schema.Unknown })

/**
 * Topics whose item is a `Conversation`.
 *
 * @since 0.1.0
 * @category topics
 */
export const conversationTopics = [
  "conversation.user.created",
  "conversation.user.replied",
  "conversation.admin.replied",
  "conversation.admin.single.created",
  "conversation.admin.assigned",
  "conversation.admin.noted",
  "conversation.admin.closed",
  "conversation.admin.opened",
  "conversation.admin.snoozed",
  "conversation.admin.unsnoozed",
  "conversation_part.tag.created"
] as const

/**
 * Topics whose item is a `Contact`.
 *
 * @since 0.1.0
 * @category topics
 */
export const contactTopics = [
  "contact.user.created",
  "contact.user.updated",
  "contact.lead.created",
  "contact.lead.signed_up",
  "contact.lead.added_email",
  "contact.email.updated"
] as const

/**
 * Topics whose item is a `Ticket`.
 *
 * @since 0.1.0
 * @category topics
 */
export const ticketTopics = [
  "ticket.created",
  "ticket.state.updated",
  "ticket.admin.assigned",
  "ticket.team.assigned",
  "ticket.attribute.updated"
] as const

/**
 * Topics whose item is a `Company`.
 *
 * @since 0.1.0
 * @category topics
 */
export const companyTopics = ["company.created", "company.updated"] as const

/**
 * A topic whose item is a `Conversation`.
 *
 * @since 0.1.0
 * @category topics
 */
export type ConversationTopic = (typeof conversationTopics)[number]

/**
 * A topic whose item is a `Contact`.
 *
 * @since 0.1.0
 * @category topics
 */
export type ContactTopic = (typeof contactTopics)[number]

/**
 * A topic whose item is a `Ticket`.
 *
 * @since 0.1.0
 * @category topics
 */
export type TicketTopic = (typeof ticketTopics)[number]

/**
 * A topic whose item is a `Company`.
 *
 * @since 0.1.0
 * @category topics
 */
export type CompanyTopic = (typeof companyTopics)[number]

/**
 * Every topic this package decodes the item of.
 *
 * @since 0.1.0
 * @category topics
 */
export type KnownTopic = ConversationTopic | ContactTopic | TicketTopic | CompanyTopic | "ping"

/**
 * Every topic this package decodes the item of, for a lookup at run time.
 *
 * @since 0.1.0
 * @category topics
 */
export const knownTopics: ReadonlySet<string> = new Set<string>([
  ...conversationTopics,
  ...contactTopics,
  ...ticketTopics,
  ...companyTopics,
  "ping"
])

/**
 * Whether `topic` is one this package decodes the item of.
 *
 * @since 0.1.0
 * @category topics
 */
export const isKnownTopic = (topic: string): topic is KnownTopic => knownTopics.has(topic)

/**
 * The item of a `ping` notification, which Intercom sends when an endpoint is set up or tested.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Ping = Schema.Struct(
  {
    type: Schema.String,
    message: Schema.optional(Schema.NullOr(Schema.String))
  },
  UnknownFields
).annotations({ identifier: "Ping" })

/**
 * The type of {@link Ping}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Ping extends Schema.Schema.Type<typeof Ping> {}

/**
 * `data` of a notification: its item, and any field Intercom adds beside it.
 *
 * @since 0.1.0
 * @category models
 */
export interface NotificationData<Item> {
  readonly type: "notification_event_data"
  readonly item: Item
  readonly [key: string]: unknown
}

/**
 * The envelope of a notification whose topic is `T` and whose item is `Item`. Timestamps are unix seconds. Fields
 * not named here are kept, typed `unknown`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Envelope<Tag extends string, T extends string, Item> {
  /** The union's discriminant: the topic when it is modelled, `"UnknownTopic"` otherwise. Not on the wire. */
  readonly _tag: Tag
  readonly type: "notification_event"
  /** The notification's own id (`notif_…`); a redelivery of the same event keeps it, so it is the key to de-duplicate on. */
  readonly id: string
  readonly topic: T
  /** The workspace the event happened in. */
  readonly app_id: string
  readonly created_at: number
  readonly delivery_attempts?: number | null | undefined
  readonly first_sent_at?: number | null | undefined
  readonly delivered_at?: number | null | undefined
  readonly delivery_status?: string | null | undefined
  readonly self?: string | null | undefined
  readonly links?: unknown
  readonly data: NotificationData<Item>
  readonly [key: string]: unknown
}

const envelopeFields = {
  type: Schema.Literal("notification_event"),
  id: Schema.String,
  app_id: Schema.String,
  created_at: Schema.Number,
  delivery_attempts: Schema.optional(Schema.NullOr(Schema.Number)),
  first_sent_at: Schema.optional(Schema.NullOr(Schema.Number)),
  delivered_at: Schema.optional(Schema.NullOr(Schema.Number)),
  delivery_status: Schema.optional(Schema.NullOr(Schema.String)),
  self: Schema.optional(Schema.NullOr(Schema.String)),
  links: Schema.optional(Schema.Unknown)
}

const data = <A, I>(item: Schema.Schema<A, I>) =>
  Schema.Struct({ type: Schema.Literal("notification_event_data"), item }, UnknownFields)

// The member of each modelled topic, for decoding: the topic picks the one schema to decode with, so a failure is
// reported against that schema alone rather than against every member of the union.
const byTopic = new Map<string, Schema.Schema<unknown, unknown>>()

// One member per topic (`_tag` can only be attached as a constant), registered in `byTopic`.
const member = <const T extends string, A, I>(topic: T, item: Schema.Schema<A, I>) => {
  const schema = Schema.Struct(
    { ...envelopeFields, topic: Schema.Literal(topic), data: data(item) },
    UnknownFields
  ).pipe(Schema.attachPropertySignature("_tag", topic))
  byTopic.set(topic, schema as Schema.Schema<unknown, unknown>)
  return schema
}

const members = <const T extends string, A, I>(topics: ReadonlyArray<T>, item: Schema.Schema<A, I>, name: string) =>
  Schema.Union(...topics.map((topic) => member(topic, item))).annotations({ identifier: name })

/**
 * A notification whose item is a `Conversation`.
 *
 * @since 0.1.0
 * @category models
 */
export interface ConversationNotification extends Envelope<ConversationTopic, ConversationTopic, Conversation> {}

/**
 * A notification whose item is a `Contact`.
 *
 * @since 0.1.0
 * @category models
 */
export interface ContactNotification extends Envelope<ContactTopic, ContactTopic, Contact> {}

/**
 * A notification whose item is a `Ticket`.
 *
 * @since 0.1.0
 * @category models
 */
export interface TicketNotification extends Envelope<TicketTopic, TicketTopic, Ticket> {}

/**
 * A notification whose item is a `Company`.
 *
 * @since 0.1.0
 * @category models
 */
export interface CompanyNotification extends Envelope<CompanyTopic, CompanyTopic, Company> {}

/**
 * The `ping` notification.
 *
 * @since 0.1.0
 * @category models
 */
export interface PingNotification extends Envelope<"ping", "ping", Ping> {}

/**
 * A notification of a topic this package does not model: the item is the parsed JSON as it came.
 *
 * @since 0.1.0
 * @category models
 */
export interface UnknownNotification extends Envelope<"UnknownTopic", string, unknown> {}

/**
 * Every notification: the modelled topics, each with its decoded item, and {@link UnknownNotification}.
 *
 * @since 0.1.0
 * @category models
 */
export type Notification =
  | ConversationNotification
  | ContactNotification
  | TicketNotification
  | CompanyNotification
  | PingNotification
  | UnknownNotification

/**
 * The notification of one topic (`NotificationOf<"contact.lead.created">` is a `ContactNotification`).
 *
 * @since 0.1.0
 * @category models
 */
export type NotificationOf<T extends KnownTopic> = Notification extends infer N
  ? N extends { readonly _tag: infer Tags }
    ? T extends Tags
      ? N & { readonly _tag: T; readonly topic: T }
      : never
    : never
  : never

// Names the decoded type of a schema: a `Schema` is invariant in its type, so this only compiles when the schema
// decodes to exactly `A`.
const decodesTo =
  <A>() =>
  <I>(schema: Schema.Schema<A, I>): Schema.Schema<A, I> =>
    schema

/**
 * Notifications whose item is a `Conversation`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ConversationNotification = decodesTo<ConversationNotification>()(
  members(conversationTopics, Conversation, "ConversationNotification")
)

/**
 * Notifications whose item is a `Contact`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ContactNotification = decodesTo<ContactNotification>()(
  members(contactTopics, Contact, "ContactNotification")
)

/**
 * Notifications whose item is a `Ticket`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const TicketNotification = decodesTo<TicketNotification>()(members(ticketTopics, Ticket, "TicketNotification"))

/**
 * Notifications whose item is a `Company`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CompanyNotification = decodesTo<CompanyNotification>()(
  members(companyTopics, Company, "CompanyNotification")
)

/**
 * The `ping` notification.
 *
 * @since 0.1.0
 * @category schemas
 */
export const PingNotification = decodesTo<PingNotification>()(
  member("ping", Ping).annotations({ identifier: "PingNotification" })
)

/**
 * A notification of any topic this package does not model, its item kept as parsed.
 *
 * @since 0.1.0
 * @category schemas
 */
export const UnknownNotification = decodesTo<UnknownNotification>()(
  Schema.Struct(
    {
      ...envelopeFields,
      topic: Schema.String.pipe(
        Schema.filter((topic) => !knownTopics.has(topic), {
          message: () => "a modelled topic must decode as its own member"
        })
      ),
      data: data(Schema.Unknown)
    },
    UnknownFields
  ).pipe(
    Schema.attachPropertySignature("_tag", "UnknownTopic"),
    Schema.annotations({ identifier: "UnknownNotification" })
  )
)

/**
 * Every notification, as a union tagged by topic (see the module's description).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Notification = decodesTo<Notification>()(
  Schema.Union(
    ConversationNotification,
    ContactNotification,
    TicketNotification,
    CompanyNotification,
    PingNotification,
    UnknownNotification
  ).annotations({ identifier: "Notification" })
)

/**
 * Whether a notification is of the given topic, narrowing its item.
 *
 * @example
 * ```ts
 * import { Notification } from "@intercom-effect/webhooks"
 *
 * declare const notification: Notification.Notification
 * if (Notification.is(notification, "conversation.admin.closed")) {
 *   console.log(notification.data.item.state)
 * }
 * ```
 *
 * @since 0.1.0
 * @category guards
 */
export const is = <T extends KnownTopic>(notification: Notification, topic: T): notification is NotificationOf<T> =>
  notification._tag === topic

// Unknown fields are kept by the index signatures, as in the response schemas.
const parseOptions = { errors: "all", onExcessProperty: "ignore" } as const
const decoders = new Map<
  Schema.Schema<unknown, unknown>,
  (u: unknown) => Either.Either<unknown, ParseResult.ParseError>
>()
const decoderOf = (schema: Schema.Schema<unknown, unknown>) => {
  let decoder = decoders.get(schema)
  if (decoder === undefined) {
    decoder = Schema.decodeUnknownEither(schema, parseOptions)
    decoders.set(schema, decoder)
  }
  return decoder
}

// A schema's complaint may quote the offending value whole; an error keeps a bounded piece of it.
const issueLength = 300

const clip = (text: string): string => (text.length > issueLength ? `${text.slice(0, issueLength)}…` : text)

const notANotification = (error: ParseResult.ParseError): WebhookError.InvalidNotification => {
  const [first] = ParseResult.ArrayFormatter.formatErrorSync(error)
  return new WebhookError.InvalidNotification({
    reason: "NotANotification",
    fieldPath: (first?.path ?? []).map((step) => (typeof step === "symbol" ? String(step) : step)),
    issue: clip(first?.message ?? "does not decode")
  })
}

/**
 * Decodes a notification already parsed from JSON.
 *
 * @since 0.1.0
 * @category decoding
 */
export const decodeUnknown = (json: unknown): Either.Either<Notification, WebhookError.InvalidNotification> => {
  const topic = typeof json === "object" && json !== null && "topic" in json ? json.topic : undefined
  const schema = (typeof topic === "string" ? byTopic.get(topic) : undefined) ?? UnknownNotification
  // Each member decodes to its part of `Notification`: the union is made of exactly these schemas.
  return Either.mapLeft(decoderOf(schema as Schema.Schema<unknown, unknown>)(json), notANotification) as Either.Either<
    Notification,
    WebhookError.InvalidNotification
  >
}

const utf8 = new TextDecoder("utf-8", { fatal: true })

const notJson = (issue: string) => new WebhookError.InvalidNotification({ reason: "NotJson", fieldPath: [], issue })

/**
 * Parses and decodes a raw body. Call it on a body whose signature has been verified (`Signature.verify`), or use
 * `Webhooks`, which does both in that order.
 *
 * @since 0.1.0
 * @category decoding
 */
export const decode = (rawBody: Uint8Array | string): Effect.Effect<Notification, WebhookError.InvalidNotification> =>
  Effect.suspend(() => {
    let text: string
    try {
      text = typeof rawBody === "string" ? rawBody : utf8.decode(rawBody)
    } catch {
      return Either.left(notJson("the body is not valid UTF-8"))
    }
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch {
      // The parser's own message quotes the body; the error does not.
      return Either.left(notJson("the body does not parse as JSON"))
    }
    return decodeUnknown(json)
  })
