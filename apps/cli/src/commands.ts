/**
 * The subcommands: `contacts list|get|search|export`, `conversations list|get|search|export`, `companies list`,
 * `admins me`, `attributes codegen` (in Attributes.ts). Each reads the root command's options (token, region, base URL, format) and runs over the services.
 */
import { Args, Command, Options } from "@effect/cli"
import { Failure, Flags } from "@intercom-effect/app-kit"
import { Position } from "@intercom-effect/pagination"
import { type Company, type Contact, type Conversation, SearchQuery } from "@intercom-effect/schemas"
import { Admins, Companies, Contacts, Conversations, Paging } from "@intercom-effect/services"
import { Effect, Option } from "effect"
import { attributes } from "./Attributes.js"
import * as Exports from "./Exports.js"
import * as Global from "./Global.js"
import * as Output from "./Output.js"
import * as Query from "./Query.js"
import * as Walk from "./Walk.js"

const { withRoot } = Global

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

/**
 * The query to search with: `--query` as given, or the filters' conjunction (everything when there are none). A
 * query and filters together would mean one of them is ignored: that is refused.
 */
const searchQuery = (
  query: Option.Option<SearchQuery.Query>,
  filters: ReadonlyArray<readonly [flag: string, filter: Option.Option<SearchQuery.Query>]>
): Effect.Effect<SearchQuery.Query, Failure.UsageError> => {
  const given = filters.flatMap(([flag, filter]) => (Option.isSome(filter) ? [[flag, filter.value] as const] : []))
  if (Option.isSome(query)) {
    return given.length === 0
      ? Effect.succeed(query.value)
      : Effect.fail(
          new Failure.UsageError({
            message: `${given.map(([flag]) => flag).join(" and ")} cannot be combined with --query`,
            fix: "put the condition into the query, or leave --query out"
          })
        )
  }
  const [first, ...others] = given.map(([, filter]) => filter)
  return Effect.succeed(
    first === undefined ? SearchQuery.everything() : others.length === 0 ? first : SearchQuery.and(first, ...others)
  )
}

const contacts = Command.make("contacts").pipe(
  Command.withDescription("list, get, search or export contacts (users and leads)"),
  Command.withSubcommands([
    Command.make("list", Walk.options, (args) =>
      withRoot((root) =>
        Effect.flatMap(Contacts.Contacts, (s) => Walk.run(root.format, Position.Cursor, args, contactColumns, s.list))
      )
    ).pipe(Command.withDescription("contacts, --limit at a time; the position to continue from goes to stderr")),
    Command.make("get", { id: Args.text({ name: "id" }) }, ({ id }) =>
      withRoot((root) =>
        Effect.flatMap(Contacts.Contacts, (s) => s.get(id)).pipe(
          Effect.flatMap((c) => Output.one(root.format, c, contactColumns))
        )
      )
    ).pipe(Command.withDescription("one contact by its Intercom id")),
    Command.make(
      "search",
      {
        ...Walk.options,
        email: Options.text("email").pipe(Options.withDescription("contacts with this email"), Options.optional),
        role: Flags.choice("role", ["user", "lead"]).pipe(Options.withDescription("users or leads"), Options.optional),
        query: Query.option
      },
      ({ limit, resume, email, role, query }) =>
        Effect.flatMap(
          searchQuery(query, [
            ["--email", Option.map(email, (e) => SearchQuery.field("email").eq(e))],
            ["--role", Option.map(role, (r) => SearchQuery.field("role").eq(r))]
          ]),
          (q) =>
            withRoot((root) =>
              Effect.flatMap(Contacts.Contacts, (service) =>
                Walk.run(root.format, Position.Cursor, { limit, resume }, contactColumns, (o) => service.search(q, o))
              )
            )
        )
    ).pipe(Command.withDescription("contacts matching --email, --role, or a --query (all contacts without any)")),
    Command.make("export", Exports.contactOptions, (args) => withRoot(() => Exports.run("contacts", args))).pipe(
      Command.withDescription("every contact into an NDJSON directory, resumable, with progress on stderr")
    )
  ])
)

const conversations = Command.make("conversations").pipe(
  Command.withDescription("list, get, search or export conversations"),
  Command.withSubcommands([
    Command.make("list", Walk.options, (args) =>
      withRoot((root) =>
        Effect.flatMap(Conversations.Conversations, (s) =>
          Walk.run(root.format, Position.Cursor, args, conversationColumns, s.list)
        )
      )
    ).pipe(Command.withDescription("conversations, --limit at a time; the position to continue from goes to stderr")),
    Command.make("get", { id: Args.text({ name: "id" }) }, ({ id }) =>
      withRoot((root) =>
        Effect.flatMap(Conversations.Conversations, (s) => s.get(id)).pipe(
          Effect.flatMap((c) => Output.one(root.format, c, conversationColumns))
        )
      )
    ).pipe(Command.withDescription("one conversation by its id")),
    Command.make(
      "search",
      {
        ...Walk.options,
        state: Flags.choice("state", ["open", "closed", "snoozed"]).pipe(
          Options.withDescription("conversations in this state"),
          Options.optional
        ),
        query: Query.option
      },
      ({ limit, resume, state, query }) =>
        Effect.flatMap(
          searchQuery(query, [["--state", Option.map(state, (s) => SearchQuery.field("state").eq(s))]]),
          (q) =>
            withRoot((root) =>
              Effect.flatMap(Conversations.Conversations, (service) =>
                Walk.run(root.format, Position.Cursor, { limit, resume }, conversationColumns, (o) =>
                  service.search(q, o)
                )
              )
            )
        )
    ).pipe(Command.withDescription("conversations in a --state, or matching a --query (all without either)")),
    Command.make("export", Exports.conversationOptions, (args) =>
      withRoot(() => Exports.run("conversations", args))
    ).pipe(Command.withDescription("every conversation into an NDJSON directory, resumable, with progress on stderr"))
  ])
)

const companies = Command.make("companies").pipe(
  Command.withDescription("list companies"),
  Command.withSubcommands([
    Command.make("list", Walk.options, (args) =>
      withRoot((root) =>
        Effect.flatMap(Companies.Companies, (s) =>
          Walk.run(root.format, Position.PageNumber, args, companyColumns, (o) =>
            s.list(undefined, { ...o, per_page: Paging.clampPerPage("Companies.list", o.per_page) })
          )
        )
      )
    ).pipe(Command.withDescription("companies, --limit at a time; the position to continue from goes to stderr"))
  ])
)

const admins = Command.make("admins").pipe(
  Command.withDescription("the admin the token belongs to"),
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
    ).pipe(Command.withDescription("the token's admin and workspace: a quick check that the token works"))
  ])
)

/** `intercom` and all its subcommands. */
export const intercom = Global.root.pipe(
  Command.withSubcommands([contacts, conversations, companies, admins, attributes])
)
