/**
 * A typed query language for the body of Intercom's `POST /contacts/search`,
 * `POST /conversations/search` and `POST /tickets/search` endpoints.
 *
 * Build queries with {@link field}, {@link and} and {@link or}; the builder only returns plain data,
 * so every limit the type system cannot see (nesting depth, group size, page size) is enforced by the
 * schemas when the request is encoded with {@link request} or {@link contactsRequest}.
 *
 * @since 0.1.0
 */
import { DateTime, type Effect, type FastCheck, Option, type ParseResult, Schema } from "effect"

// ---------------------------------------------------------------------------------------------
// Limits
// ---------------------------------------------------------------------------------------------

/**
 * How many levels of groups a query may stack: the top-level group is level 1 and the groups inside it
 * are level 2, which may hold only filters.
 *
 * @since 0.1.0
 */
export const maxDepth = 2

/**
 * Intercom rejects a group with more members than this.
 *
 * @since 0.1.0
 */
export const maxGroupSize = 15

/**
 * Intercom caps the page size of a search at this value.
 *
 * @since 0.1.0
 */
export const maxPerPage = 150

// ---------------------------------------------------------------------------------------------
// Operators and values
// ---------------------------------------------------------------------------------------------

/**
 * Operators that compare a field against exactly one value.
 *
 * @since 0.1.0
 */
export const scalarOperators = ["=", "!=", "<", "<=", ">", ">=", "~", "!~", "^", "$"] as const

/**
 * Operators that test membership, so their value must be a list.
 *
 * @since 0.1.0
 */
export const listOperators = ["IN", "NIN"] as const

/**
 * Operators that combine several conditions.
 *
 * @since 0.1.0
 */
export const groupOperators = ["AND", "OR"] as const

/**
 * An operator whose value is a single {@link Scalar}.
 *
 * @since 0.1.0
 */
export type ScalarOperator = (typeof scalarOperators)[number]

/**
 * An operator whose value is a {@link List}.
 *
 * @since 0.1.0
 */
export type ListOperator = (typeof listOperators)[number]

/**
 * Any operator a single-field filter may use.
 *
 * @since 0.1.0
 */
export type Operator = ScalarOperator | ListOperator

/**
 * How a group combines its members.
 *
 * @since 0.1.0
 */
export type GroupOperator = (typeof groupOperators)[number]

/**
 * A single comparison value. Numbers must be integers, as the API documents them; dates are unix
 * seconds.
 *
 * @since 0.1.0
 */
export type Scalar = string | number | boolean | null

/**
 * A list for `IN` / `NIN`: all strings or all integers, never both, as the API documents them.
 *
 * @since 0.1.0
 */
export type List = ReadonlyArray<string> | ReadonlyArray<number>

// The members' own messages ("Expected string … Expected null") bury the point, which is that the
// operator wanted the other value shape.
const expected = (what: string) => (issue: ParseResult.ParseIssue) => ({
  message: `Expected ${what}, actual ${show(issue.actual)}`,
  override: true
})

const show = (value: unknown): string => {
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}

/**
 * Schema for {@link Scalar}.
 *
 * @since 0.1.0
 */
export const Scalar: Schema.Schema<Scalar> = Schema.Union(
  Schema.String,
  Schema.Int,
  Schema.Boolean,
  Schema.Null
).annotations({
  identifier: "Scalar",
  message: expected("a single string, integer, boolean or null (lists need IN / NIN)")
})

/**
 * Schema for {@link List}.
 *
 * @since 0.1.0
 */
export const List: Schema.Schema<List> = Schema.Union(
  Schema.Array(Schema.String),
  Schema.Array(Schema.Int)
).annotations({
  identifier: "List",
  message: expected("an array of strings or an array of integers (single values need a scalar operator)")
})

// ---------------------------------------------------------------------------------------------
// Data types
// ---------------------------------------------------------------------------------------------

/**
 * A filter comparing one field against one value.
 *
 * @since 0.1.0
 */
export interface ScalarFilter<O extends ScalarOperator = ScalarOperator> {
  readonly field: string
  readonly operator: O
  readonly value: Scalar
}

/**
 * A filter testing one field against a list of values.
 *
 * @since 0.1.0
 */
export interface ListFilter<O extends ListOperator = ListOperator> {
  readonly field: string
  readonly operator: O
  readonly value: List
}

/**
 * A condition on a single field.
 *
 * @since 0.1.0
 */
export type Filter = ScalarFilter | ListFilter

/**
 * Conditions combined with `AND` or `OR`. Members may be filters or (one level down) groups.
 *
 * @since 0.1.0
 */
export interface Group<O extends GroupOperator = GroupOperator> {
  readonly operator: O
  readonly value: ReadonlyArray<Query>
}

/**
 * The `query` of a search request: a single filter or a group.
 *
 * @since 0.1.0
 */
export type Query = Filter | Group

/**
 * Page controls for a search; the cursor comes from the previous page's `pages.next.starting_after`.
 *
 * @since 0.1.0
 */
export interface Pagination {
  readonly per_page?: number
  readonly starting_after?: string
}

/**
 * The JSON body of a search request.
 *
 * @since 0.1.0
 */
export interface SearchRequest {
  readonly query: Query
  readonly pagination?: Pagination
}

// ---------------------------------------------------------------------------------------------
// Schemas
// ---------------------------------------------------------------------------------------------

// A misspelt optional key (say `perPage`) would otherwise be dropped silently and the request would
// quietly mean something else, so every object in the body rejects unknown keys.
const strict = { parseOptions: { onExcessProperty: "error" } } as const

const FieldName = Schema.String.pipe(
  Schema.minLength(1, { message: () => "a filter needs a non-empty field name" })
).annotations({ identifier: "FieldName" })

// One struct per operator literal (rather than one struct with a union of operators) lets
// `Schema.Union` dispatch on `operator`: a bad value is then reported at `["value"]` of the one
// matching member instead of as a failure of every member of the union.
const scalarFilterMember = (operator: ScalarOperator): Schema.Schema<ScalarFilter> =>
  Schema.Struct({ field: FieldName, operator: Schema.Literal(operator), value: Scalar }).annotations({
    ...strict,
    identifier: `Filter<"${operator}">`
  })

const listFilterMember = (operator: ListOperator): Schema.Schema<ListFilter> =>
  Schema.Struct({ field: FieldName, operator: Schema.Literal(operator), value: List }).annotations({
    ...strict,
    identifier: `Filter<"${operator}">`
  })

const filterMembers = [...scalarOperators.map(scalarFilterMember), ...listOperators.map(listFilterMember)]

/**
 * Groups and filters carry no tag, so the operator is what tells them apart.
 *
 * @since 0.1.0
 */
export const isGroup = (query: Query): query is Group => query.operator === "AND" || query.operator === "OR"

// Structurally a group may nest without bound; the depth limit is checked once, from the top, by
// `checkDepth`, so that the reported path is relative to the real top-level group.
const groupMember = (operator: GroupOperator): Schema.Schema<Group> =>
  Schema.Struct({
    operator: Schema.Literal(operator),
    value: Schema.Array(Schema.suspend((): Schema.Schema<Query> => AnyDepthQuery)).pipe(
      // One refinement for both bounds keeps the error tree one level shallower.
      Schema.filter(
        (members) =>
          (members.length >= 1 && members.length <= maxGroupSize) ||
          `a group needs 1..${maxGroupSize} members, got ${members.length}`,
        { identifier: "Members" }
      )
    )
  }).annotations({ ...strict, identifier: `Group<"${operator}">` })

const groupMembers = groupOperators.map(groupMember)

const AnyDepthQuery: Schema.Schema<Query> = Schema.Union(...filterMembers, ...groupMembers).annotations({
  identifier: "Filter | Group"
})

const checkDepth = (query: Query): ReadonlyArray<Schema.FilterIssue> => {
  const issues: Array<Schema.FilterIssue> = []
  const visit = (group: Group, level: number, path: ReadonlyArray<PropertyKey>): void => {
    group.value.forEach((member, index) => {
      if (!isGroup(member)) return
      const memberPath = [...path, "value", index]
      if (level + 1 > maxDepth) {
        issues.push({
          path: memberPath,
          message: `groups may nest at most ${maxDepth} levels deep; this group is at level ${level + 1}`
        })
      } else {
        visit(member, level + 1, memberPath)
      }
    })
  }
  if (isGroup(query)) visit(query, 1, [])
  return issues
}

/**
 * A single-field condition: the operator decides whether the value must be a {@link Scalar} or a
 * {@link List}.
 *
 * @since 0.1.0
 */
export const Filter: Schema.Schema<Filter> = Schema.Union(...filterMembers).annotations({ identifier: "Filter" })

// Arbitraries for `Arbitrary.make`: a recursive union behind depth and size filters would otherwise be generated
// blindly and filtered, which rarely succeeds; these build valid queries directly (small groups keep them fast).
const arbitraryFilter = (fc: typeof FastCheck): FastCheck.Arbitrary<Filter> => {
  const scalar = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null))
  const list = fc.oneof(fc.array(fc.string()), fc.array(fc.integer()))
  return fc
    .record({
      field: fc.string({ minLength: 1 }),
      pick: fc.oneof(
        fc.tuple(fc.constantFrom(...scalarOperators), scalar),
        fc.tuple(fc.constantFrom(...listOperators), list)
      )
    })
    .map(({ field, pick: [operator, value] }) => ({ field, operator, value }) as Filter)
}

const arbitraryGroup = (fc: typeof FastCheck): FastCheck.Arbitrary<Group> => {
  const group = <A extends Query>(member: FastCheck.Arbitrary<A>): FastCheck.Arbitrary<Group> =>
    fc.record({ operator: fc.constantFrom(...groupOperators), value: fc.array(member, { minLength: 1, maxLength: 4 }) })
  return group(fc.oneof(arbitraryFilter(fc), group(arbitraryFilter(fc))))
}

/**
 * A top-level `AND` / `OR` group, checked for group size and nesting depth.
 *
 * @since 0.1.0
 */
export const Group: Schema.Schema<Group> = Schema.Union(...groupMembers).pipe(
  Schema.filter(checkDepth, { identifier: "Group", arbitrary: () => arbitraryGroup })
)

/**
 * A complete search query: a filter or a group of at most {@link maxDepth} levels.
 *
 * @since 0.1.0
 */
export const Query: Schema.Schema<Query> = AnyDepthQuery.pipe(
  Schema.filter(checkDepth, {
    identifier: "Query",
    arbitrary: () => (fc) => fc.oneof(arbitraryFilter(fc), arbitraryGroup(fc))
  })
)

/**
 * Schema for {@link Pagination}.
 *
 * @since 0.1.0
 */
export const Pagination: Schema.Schema<Pagination> = Schema.Struct({
  per_page: Schema.optionalWith(
    Schema.Int.pipe(
      Schema.between(1, maxPerPage, { message: (issue) => `per_page must be 1..${maxPerPage}, got ${issue.actual}` })
    ),
    { exact: true }
  ),
  starting_after: Schema.optionalWith(Schema.String, { exact: true })
}).annotations({ ...strict, identifier: "Pagination" })

/**
 * The body of any of the three search endpoints.
 *
 * @since 0.1.0
 */
export const SearchRequest: Schema.Schema<SearchRequest> = Schema.Struct({
  query: Query,
  pagination: Schema.optionalWith(Pagination, { exact: true })
}).annotations({ ...strict, identifier: "SearchRequest" })

// ---------------------------------------------------------------------------------------------
// Contacts
// ---------------------------------------------------------------------------------------------

/**
 * The contact date attributes Intercom knows about statically. Custom date attributes obey the same
 * rules but cannot be recognised from their name, so they are not checked.
 *
 * @since 0.1.0
 */
export const contactDateFields = [
  "created_at",
  "updated_at",
  "signed_up_at",
  "last_seen_at",
  "last_contacted_at",
  "last_replied_at",
  "last_email_opened_at",
  "last_email_clicked_at"
] as const

/**
 * Operators that contact date fields accept.
 *
 * @since 0.1.0
 */
export const contactDateOperators = ["=", "<", ">"] as const

// 1e11 seconds is the year 5138, while millisecond timestamps of the present are ~1.7e12: a bound
// here catches the classic `Date.now()` mistake, which would otherwise run as a valid but
// meaningless query.
const maxUnixSeconds = 1e11

const isContactDateField = (name: string): boolean => (contactDateFields as ReadonlyArray<string>).includes(name)

const checkContactDates = (query: Query, path: ReadonlyArray<PropertyKey>): Array<Schema.FilterIssue> => {
  if (isGroup(query)) {
    return query.value.flatMap((member, index) => checkContactDates(member, [...path, "value", index]))
  }
  if (!isContactDateField(query.field)) return []
  const issues: Array<Schema.FilterIssue> = []
  if (!(contactDateOperators as ReadonlyArray<string>).includes(query.operator)) {
    issues.push({
      path: [...path, "operator"],
      message: `contact date field "${query.field}" accepts only ${contactDateOperators.join(", ")}; got "${query.operator}"`
    })
  }
  const value = query.value
  if (typeof value !== "number" || Math.abs(value) >= maxUnixSeconds) {
    issues.push({
      path: [...path, "value"],
      message: `contact date field "${query.field}" needs a unix timestamp in seconds; got ${JSON.stringify(value)}`
    })
  }
  return issues
}

/**
 * A `POST /contacts/search` body: a {@link SearchRequest} whose known contact date fields use only
 * `=`, `<` or `>` with a unix-seconds value.
 *
 * @since 0.1.0
 */
export const ContactsSearchRequest: Schema.Schema<SearchRequest> = SearchRequest.pipe(
  Schema.filter((request) => checkContactDates(request.query, ["query"]), { identifier: "ContactsSearchRequest" })
)

// ---------------------------------------------------------------------------------------------
// Builder
// ---------------------------------------------------------------------------------------------

/**
 * Builds filters on one field. Each method fixes the value shape its operator needs, so a list can
 * only reach `in` / `nin` and a scalar only the rest.
 *
 * @since 0.1.0
 */
export interface FieldBuilder {
  /** `=` (equals). */
  readonly eq: (value: Scalar) => ScalarFilter<"=">
  /** `!=` (does not equal). */
  readonly neq: (value: Scalar) => ScalarFilter<"!=">
  /** `IN`: the field equals one of the values. */
  readonly in: (values: List) => ListFilter<"IN">
  /** `NIN`: the field equals none of the values. */
  readonly nin: (values: List) => ListFilter<"NIN">
  /** `<`; dates are unix seconds. */
  readonly lt: (value: number) => ScalarFilter<"<">
  /** `<=`; not accepted by contact date fields. */
  readonly lte: (value: number) => ScalarFilter<"<=">
  /** `>`; dates are unix seconds. */
  readonly gt: (value: number) => ScalarFilter<">">
  /** `>=`; not accepted by contact date fields. */
  readonly gte: (value: number) => ScalarFilter<">=">
  /** `~`: the text contains `value`. */
  readonly contains: (value: string) => ScalarFilter<"~">
  /** `!~`: the text does not contain `value`. */
  readonly notContains: (value: string) => ScalarFilter<"!~">
  /** `^`: the text starts with `value`. */
  readonly startsWith: (value: string) => ScalarFilter<"^">
  /** `$`: the text ends with `value`. */
  readonly endsWith: (value: string) => ScalarFilter<"$">
}

/**
 * Starts a filter on a field; nested attributes use dotted names such as `custom_attributes.plan`.
 *
 * @since 0.1.0
 */
export const field = (name: string): FieldBuilder => {
  const scalar =
    <O extends ScalarOperator>(operator: O) =>
    (value: Scalar): ScalarFilter<O> => ({ field: name, operator, value })
  const list =
    <O extends ListOperator>(operator: O) =>
    (value: List): ListFilter<O> => ({ field: name, operator, value })
  return {
    eq: scalar("="),
    neq: scalar("!="),
    in: list("IN"),
    nin: list("NIN"),
    lt: scalar("<"),
    lte: scalar("<="),
    gt: scalar(">"),
    gte: scalar(">="),
    contains: scalar("~"),
    notContains: scalar("!~"),
    startsWith: scalar("^"),
    endsWith: scalar("$")
  }
}

/**
 * Matches when every member matches. Taking a rest list (not a non-empty tuple) keeps spreading a
 * runtime array ergonomic; an empty group is rejected when the request is encoded.
 *
 * @since 0.1.0
 */
export const and = (...members: ReadonlyArray<Query>): Group<"AND"> => ({ operator: "AND", value: members })

/**
 * Matches when any member matches; see {@link and} for why emptiness is checked late.
 *
 * @since 0.1.0
 */
export const or = (...members: ReadonlyArray<Query>): Group<"OR"> => ({ operator: "OR", value: members })

/**
 * Validates and encodes a body for any of the search endpoints. The types cannot see the depth, size
 * and page limits, so breaking one fails here with a `ParseError` that names the offending path.
 *
 * @since 0.1.0
 */
export const request = (query: Query, pagination?: Pagination): Effect.Effect<SearchRequest, ParseResult.ParseError> =>
  Schema.encode(SearchRequest)(pagination === undefined ? { query } : { query, pagination })

/**
 * Like {@link request}, plus the contact date-field rules of `POST /contacts/search`.
 *
 * @since 0.1.0
 */
export const contactsRequest = (
  query: Query,
  pagination?: Pagination
): Effect.Effect<SearchRequest, ParseResult.ParseError> =>
  Schema.encode(ContactsSearchRequest)(pagination === undefined ? { query } : { query, pagination })

/**
 * A copy of a search body asking for the page after `startingAfter` (a previous page's
 * `pages.next.starting_after`), keeping its `per_page`. The body itself is not changed, so one body can start
 * any number of walks; `Paginate.searchCursor` of @intercom-effect/pagination takes this as its `withCursor`.
 *
 * @since 0.2.0
 */
export const withStartingAfter = (request: SearchRequest, startingAfter: string): SearchRequest => ({
  ...request,
  pagination: { ...request.pagination, starting_after: startingAfter }
})

// ---------------------------------------------------------------------------------------------
// Whole walks and days
// ---------------------------------------------------------------------------------------------

/**
 * A query matching every item of the resource searched: `name > -1`, so every item whose `name` (a date,
 * `created_at` by default) is set, the whole history of the workspace. Search takes no empty query, which is why
 * a walk over everything needs one.
 *
 * @example
 * ```ts
 * import { SearchQuery } from "@intercom-effect/schemas"
 *
 * // Every contact, through POST /contacts/search.
 * const body = { query: SearchQuery.everything(), pagination: { per_page: 150 } }
 * ```
 *
 * @since 0.2.0
 * @category whole walks
 */
export const everything = (name: string = "created_at"): ScalarFilter<">"> => field(name).gt(-1)

const utcZone = DateTime.zoneMakeOffset(0)

// Out of a JavaScript Date's range (NaN, Infinity, 1e20) there is no day to align to: the value is left as it is,
// and the search request's schema then refuses what is not an integer, naming the filter, before anything is sent.
const alignTo = (seconds: number, timeZone: DateTime.TimeZone, align: (day: number) => number): number =>
  Option.match(DateTime.makeZoned(seconds * 1000, { timeZone }), {
    onNone: () => seconds,
    onSome: (zoned) => align(Math.floor(DateTime.toEpochMillis(DateTime.startOf(zoned, "day")) / 1000))
  })

/**
 * The start (midnight, in unix seconds) of the calendar day of `timeZone` that holds `seconds`.
 *
 * @since 0.2.0
 * @category days
 */
export const startOfDay = (seconds: number, timeZone: DateTime.TimeZone = utcZone): number =>
  alignTo(seconds, timeZone, (day) => day)

/**
 * The start of the day after the day that starts at `dayStart`. Where clocks change a day lasts 23 to 25 hours,
 * so 26 hours on always lands inside the next day.
 *
 * @since 0.2.0
 * @category days
 */
export const nextDay = (dayStart: number, timeZone: DateTime.TimeZone = utcZone): number =>
  startOfDay(dayStart + 26 * 3_600, timeZone)

/**
 * The first midnight at or after `seconds`: `seconds` itself when it is a midnight of `timeZone`, else the
 * midnight that ends its day. A range ending (exclusively) here covers `seconds`' day without a day more.
 *
 * @since 0.2.0
 * @category days
 */
export const ceilDay = (seconds: number, timeZone: DateTime.TimeZone = utcZone): number =>
  alignTo(seconds, timeZone, (day) => (day === seconds ? day : nextDay(day, timeZone)))

/**
 * Options of {@link days}. `from` and `to` are instants in unix seconds; either may be left out for an open side.
 *
 * @since 0.2.0
 * @category days
 */
export interface DayRange {
  /** The range starts at the midnight that begins this instant's day. Open below when left out. */
  readonly from?: number | undefined
  /** The range ends (excluded) at the first midnight at or after this instant. Open above when left out. */
  readonly to?: number | undefined
  /** The workspace's time zone, whose calendar days search compares dates by; UTC when left out. */
  readonly timeZone?: DateTime.TimeZone | undefined
}

/**
 * A query for the items whose date `name` falls on the whole days from `from`'s day up to `to` (excluded), in the
 * workspace's time zone.
 *
 * Intercom compares dates by calendar day of the workspace's time zone: `> t` starts at the midnight after `t`'s
 * day, `< t` ends at the midnight that begins it, and `>=` / `<=` are refused on contact dates. So a range can only
 * be asked for in whole days: `from` is moved back to its day's start and `to` forward to the next midnight (a
 * midnight stays), and the bounds become `> start - 1` and `< end`. On a field compared exactly (not by day) the
 * same bounds mean the same range. With both sides open it is {@link everything}.
 *
 * @example
 * ```ts
 * import { SearchQuery } from "@intercom-effect/schemas"
 * import { DateTime } from "effect"
 *
 * // Contacts updated during March 2026 as Dublin counts days.
 * const march = SearchQuery.days("updated_at", {
 *   from: Date.UTC(2026, 2, 1) / 1000,
 *   to: Date.UTC(2026, 3, 1) / 1000,
 *   timeZone: DateTime.zoneUnsafeMakeNamed("Europe/Dublin")
 * })
 * ```
 *
 * @since 0.2.0
 * @category days
 */
export const days = (name: string, range: DayRange = {}): Query => {
  const timeZone = range.timeZone ?? utcZone
  const on = field(name)
  const lower = range.from === undefined ? undefined : on.gt(startOfDay(range.from, timeZone) - 1)
  const upper = range.to === undefined ? undefined : on.lt(ceilDay(range.to, timeZone))
  if (lower === undefined) return upper ?? everything(name)
  return upper === undefined ? lower : and(lower, upper)
}
