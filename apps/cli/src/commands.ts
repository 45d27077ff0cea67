/**
 * The subcommands: `contacts list|get|search|export`, `conversations list|get|search|export`, `companies list`,
 * `admins me`, `attributes codegen` (in Attributes.ts). Each reads the root command's options (token, region, base URL, format) and runs over the services.
 */
import { Args, Command, Options } from "@effect/cli"
import { Position } from "@intercom-effect/pagination"
import { type Company, type Contact, type Conversation, SearchQuery } from "@intercom-effect/schemas"
import { Admins, Companies, Contacts, Conversations } from "@intercom-effect/services"
import { Effect, Option, Schema } from "effect"
import { attributes } from "./Attributes.js"
import * as Exports from "./Exports.js"
import * as Global from "./Global.js"
import * as Output from "./Output.js"
import * as Walk from "./Walk.js"

const withRoot = Global.withRoot

const contactColumns: Output.Columns<Contact> = [
  ["id", (c) => c.id],
  ["role", (c) => c.role],
  ["email", (c) => c.email],
  ["name", (c) => c.name],
  ["created", (c) => Output.date(c.created_at)]
]

const conversationColumns: Output.Columns<Pick<Conversation, "id" | "title" | "state" | "created_at" | "updated_at">> =
  [
    ["id", (c) => c.id],
    ["state", (c) => c.state],
    ["title", (c) => c.title],
    ["created", (c) => Output.date(c.created_at)],
    ["updated", (c) => Output.date(c.updated_at)]
  ]

const companyColumns: Output.Columns<Company> = [
  ["id", (c) => c.id],
  ["company_id", (c) => c.company_id],
  ["name", (c) => c.name],
  ["users", (c) => c.user_count],
  ["created", (c) => Output.date(c.created_at)]
]

/** A search query from `--query` (Intercom's JSON DSL), checked by SearchQuery before anything is sent. */
const queryOption = Options.text("query").pipe(
  Options.withDescription(`a search query as JSON, e.g. '{"field":"role","operator":"=","value":"lead"}'`),
  Options.optional
)
const parseQuery = (json: Option.Option<string>, fallback: () => SearchQuery.Query) =>
  Option.match(json, {
    onNone: () => Effect.succeed(fallback()),
    onSome: (text) => Schema.decodeUnknown(Schema.parseJson(SearchQuery.Query))(text)
  })

const contacts = Command.make("contacts").pipe(
  Command.withSubcommands([
    Command.make("list", Walk.options, (args) =>
      withRoot((root) =>
        Effect.flatMap(Contacts.Contacts, (s) => Walk.run(root.format, Position.Cursor, args, contactColumns, s.list))
      )
    ),
    Command.make("get", { id: Args.text({ name: "id" }) }, ({ id }) =>
      withRoot((root) =>
        Effect.flatMap(Contacts.Contacts, (s) => s.get(id)).pipe(
          Effect.flatMap((c) => Output.one(root.format, c, contactColumns))
        )
      )
    ),
    Command.make(
      "search",
      {
        ...Walk.options,
        email: Options.text("email").pipe(Options.optional),
        role: Options.choice("role", ["user", "lead"]).pipe(Options.optional),
        query: queryOption
      },
      ({ limit, resume, email, role, query }) =>
        withRoot((root) =>
          Effect.gen(function* () {
            const filters = [
              ...Option.toArray(Option.map(email, (e) => SearchQuery.field("email").eq(e))),
              ...Option.toArray(Option.map(role, (r) => SearchQuery.field("role").eq(r)))
            ]
            const q = yield* parseQuery(query, () =>
              filters.length === 1
                ? filters[0]!
                : filters.length > 1
                  ? SearchQuery.and(...filters)
                  : SearchQuery.field("created_at").gt(-1)
            )
            const service = yield* Contacts.Contacts
            yield* Walk.run(root.format, Position.Cursor, { limit, resume }, contactColumns, (o) =>
              service.search(q, o)
            )
          })
        )
    ),
    Command.make("export", Exports.options, (args) => withRoot(() => Exports.run("contacts", args)))
  ])
)

const conversations = Command.make("conversations").pipe(
  Command.withSubcommands([
    Command.make("list", Walk.options, (args) =>
      withRoot((root) =>
        Effect.flatMap(Conversations.Conversations, (s) =>
          Walk.run(root.format, Position.Cursor, args, conversationColumns, s.list)
        )
      )
    ),
    Command.make("get", { id: Args.text({ name: "id" }) }, ({ id }) =>
      withRoot((root) =>
        Effect.flatMap(Conversations.Conversations, (s) => s.get(id)).pipe(
          Effect.flatMap((c) => Output.one(root.format, c, conversationColumns))
        )
      )
    ),
    Command.make(
      "search",
      {
        ...Walk.options,
        state: Options.choice("state", ["open", "closed", "snoozed"]).pipe(Options.optional),
        query: queryOption
      },
      ({ limit, resume, state, query }) =>
        withRoot((root) =>
          Effect.gen(function* () {
            const q = yield* parseQuery(query, () =>
              Option.match(state, {
                onNone: () => SearchQuery.field("created_at").gt(-1),
                onSome: (s) => SearchQuery.field("state").eq(s)
              })
            )
            const service = yield* Conversations.Conversations
            yield* Walk.run(root.format, Position.Cursor, { limit, resume }, conversationColumns, (o) =>
              service.search(q, o)
            )
          })
        )
    ),
    Command.make("export", Exports.options, (args) => withRoot(() => Exports.run("conversations", args)))
  ])
)

const companies = Command.make("companies").pipe(
  Command.withSubcommands([
    Command.make("list", Walk.options, (args) =>
      withRoot((root) =>
        Effect.flatMap(Companies.Companies, (s) =>
          Walk.run(
            root.format,
            Position.PageNumber,
            args,
            companyColumns,
            // GET /companies takes at most 60 a page.
            (o) => s.list(undefined, { ...o, per_page: Math.min(o.per_page, 60) })
          )
        )
      )
    )
  ])
)

const admins = Command.make("admins").pipe(
  Command.withSubcommands([
    Command.make("me", {}, () =>
      withRoot((root) =>
        Effect.flatMap(Admins.Admins, (s) => s.me()).pipe(
          Effect.flatMap((me) =>
            Output.one(root.format, me, [
              ["id", (a) => a.id],
              ["name", (a) => a.name],
              ["email", (a) => a.email],
              ["workspace", (a) => a.app?.name]
            ])
          )
        )
      )
    )
  ])
)

/** `intercom` and all its subcommands. */
export const intercom = Global.root.pipe(
  Command.withSubcommands([contacts, conversations, companies, admins, attributes])
)
