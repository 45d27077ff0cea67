/**
 * Where a walk stands: the small, serializable value that resumes a paginated stream right after a page.
 *
 * A position is only meaningful for the walk that produced it. Page 3 of 3 companies a page is not page 3 of 50 a
 * page, and a search cursor is not a place in another search: resumed elsewhere it would skip or repeat rows without a
 * word. So a walk can stamp its positions with its {@link Basis} (its page size and a fingerprint of its query) and
 * refuse a start of another basis (see {@link mismatch}); `Paginate`'s `basis` option stamps them.
 *
 * Positions saved before the basis existed still decode. They carry no basis, so a walk that has one refuses them
 * with a {@link PositionMismatch} that says so, rather than guessing.
 *
 * @since 0.1.0
 */
import { type Effect, type ParseResult, Schema } from "effect"

const fingerprintField = Schema.optionalWith(Schema.NonEmptyString, { exact: true }).annotations({
  description: "a fingerprint of the walk's query (see `fingerprint`)"
})

/**
 * An opaque cursor, sent as `starting_after` in the query (GET lists) or in `pagination` of a search body. A search
 * walk stamps its query's fingerprint on it (`query`), so the cursor does not resume another search.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Cursor = Schema.TaggedStruct("Cursor", {
  startingAfter: Schema.NonEmptyString,
  /** @since 0.2.0 */
  query: fingerprintField
})

/**
 * @since 0.1.0
 * @category models
 */
export type Cursor = typeof Cursor.Type

/**
 * A 1-based page number, sent as `page`, with the page size it counts in (`perPage`, absent for the API's default)
 * and the fingerprint of the walk's query (`query`): page numbers mean something only for that size and that query.
 *
 * @since 0.1.0
 * @category schemas
 */
export const PageNumber = Schema.TaggedStruct("PageNumber", {
  page: Schema.Int.pipe(Schema.greaterThanOrEqualTo(1)),
  /** @since 0.2.0 */
  perPage: Schema.optionalWith(Schema.Int.pipe(Schema.greaterThanOrEqualTo(1)), { exact: true }),
  /** @since 0.2.0 */
  query: fingerprintField
})

/**
 * @since 0.1.0
 * @category models
 */
export type PageNumber = typeof PageNumber.Type

/**
 * A scroll handle, sent as `scroll_param`.
 *
 * Intercom expires a scroll after about a minute without a request and allows one open scroll per app, so a
 * persisted `Scroll` position only resumes within that window; after it, start a new scroll.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Scroll = Schema.TaggedStruct("Scroll", { scrollParam: Schema.NonEmptyString })

/**
 * @since 0.1.0
 * @category models
 */
export type Scroll = typeof Scroll.Type

/**
 * The full URL of the next page, as returned in `pages.next` by next-URL endpoints.
 *
 * @since 0.1.0
 * @category schemas
 */
export const NextUrl = Schema.TaggedStruct("NextUrl", { url: Schema.NonEmptyString })

/**
 * @since 0.1.0
 * @category models
 */
export type NextUrl = typeof NextUrl.Type

/**
 * Any position, discriminated by `_tag`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Position = Schema.Union(Cursor, PageNumber, Scroll, NextUrl)

/**
 * @since 0.1.0
 * @category models
 */
export type Position = typeof Position.Type

/**
 * A position as a JSON string, for callers that persist checkpoints as text.
 *
 * @since 0.1.0
 * @category schemas
 */
export const PositionFromJson = Schema.parseJson(Position)

/**
 * @since 0.1.0
 * @category constructors
 */
export const cursor = (startingAfter: string): Cursor => Cursor.make({ startingAfter })

/**
 * @since 0.1.0
 * @category constructors
 */
export const pageNumber = (page: number): PageNumber => PageNumber.make({ page })

/**
 * What a walk's positions hold only for that walk: its page size (`perPage`, left out when the walk uses the API's
 * default) and a fingerprint of everything else that decides which rows it returns (`query`: the operation, its path
 * parameters, its filters or search query; see {@link fingerprint}).
 *
 * @since 0.2.0
 * @category models
 */
export interface Basis {
  readonly perPage?: number | undefined
  readonly query?: string | undefined
}

/**
 * A position stamped with a walk's basis. Only page numbers carry the page size: a cursor marks a place after an item,
 * whatever the size of the pages around it. Scroll handles and next URLs already hold their query, so they are
 * returned as they are.
 *
 * @since 0.2.0
 * @category combinators
 */
export const withBasis = <P extends Position>(position: P, basis: Basis): P => {
  const query = basis.query === undefined ? {} : { query: basis.query }
  switch (position._tag) {
    case "PageNumber":
      return { ...position, ...(basis.perPage === undefined ? {} : { perPage: basis.perPage }), ...query }
    case "Cursor":
      return { ...position, ...query }
    default:
      return position
  }
}

/**
 * A start position taken on another basis than the walk it is handed to. `saved` and `walk` are the two values of
 * `field` (null where one has none: the API's default page size, or a position saved before positions carried
 * their basis).
 *
 * @since 0.2.0
 * @category errors
 */
export class PositionMismatch extends Schema.TaggedError<PositionMismatch>(
  "@intercom-effect/pagination/Position/PositionMismatch"
)("PositionMismatch", {
  field: Schema.Literal("perPage", "query"),
  saved: Schema.NullOr(Schema.Union(Schema.Number, Schema.String)),
  walk: Schema.NullOr(Schema.Union(Schema.Number, Schema.String))
}) {
  override get message(): string {
    if (this.field === "perPage") {
      const size = (n: number | string | null) => (n === null ? "the API's default page size" : `${n} a page`)
      return `the start position counts pages of ${size(this.saved)}, but this walk asks for ${size(this.walk)}: resuming would skip or repeat items; resume with the same page size, or start over`
    }
    return this.saved === null
      ? "the start position carries no fingerprint of its query (it was saved before positions recorded one), so it cannot be shown to belong to this walk: start over"
      : "the start position belongs to a walk with another query (or another list): resuming would skip or repeat items; start over"
  }
}

/**
 * Whether `start` may resume a walk of this `basis`: `undefined` when it may, else the mismatch. A page number must
 * count in the same page size and come from the same query; a cursor must come from the same query (when the walk
 * has one); scroll handles and next URLs always may.
 *
 * @since 0.2.0
 * @category guards
 */
export const mismatch = (start: Position, basis: Basis): PositionMismatch | undefined => {
  if (start._tag !== "PageNumber" && start._tag !== "Cursor") return undefined
  if (start._tag === "PageNumber" && start.perPage !== basis.perPage) {
    return new PositionMismatch({ field: "perPage", saved: start.perPage ?? null, walk: basis.perPage ?? null })
  }
  if (basis.query !== undefined && start.query !== basis.query) {
    return new PositionMismatch({ field: "query", saved: start.query ?? null, walk: basis.query })
  }
  return undefined
}

/** JSON with keys in order, `undefined` left out; a BigInt, a cycle or a function gets a marker instead of a throw. */
const canonical = (value: unknown, ancestors: Set<object> = new Set()): string => {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value)
    case "number":
      return Number.isFinite(value) ? String(value) : `"${value}"`
    case "boolean":
      return String(value)
    case "bigint":
      return `"${value}n"`
    case "undefined":
    case "function":
    case "symbol":
      return `"<${typeof value}>"`
  }
  if (value === null) return "null"
  const object = value as object
  if (ancestors.has(object)) return '"<cycle>"'
  ancestors.add(object)
  const out = Array.isArray(object)
    ? `[${object.map((item) => canonical(item, ancestors)).join(",")}]`
    : `{${Object.keys(object)
        .sort()
        .filter((key) => (object as Record<string, unknown>)[key] !== undefined)
        .map((key) => `${JSON.stringify(key)}:${canonical((object as Record<string, unknown>)[key], ancestors)}`)
        .join(",")}}`
  ancestors.delete(object)
  return out
}

/** 64-bit FNV-1a over the UTF-16 code units, as 16 hex digits. */
const fnv1a64 = (text: string): string => {
  let hash = 0xcbf29ce484222325n
  for (let i = 0; i < text.length; i++) {
    hash ^= BigInt(text.charCodeAt(i))
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn
  }
  return hash.toString(16).padStart(16, "0")
}

/**
 * A short, stable fingerprint of a walk's query: equal for equal values (whatever their keys' order), different
 * for different ones but for a 1-in-2^64 chance. Positions store it instead of the query itself, which may hold
 * e-mail addresses and which a CLI prints. It never throws, whatever the value holds.
 *
 * @example
 * ```ts
 * import { Position } from "@intercom-effect/pagination"
 *
 * Position.fingerprint({ name: "Acme", per: 1 }) === Position.fingerprint({ per: 1, name: "Acme" }) // true
 * ```
 *
 * @since 0.2.0
 * @category constructors
 */
export const fingerprint = (query: unknown): string => {
  let text: string
  try {
    text = canonical(query)
  } catch {
    // A getter or a proxy that throws: such a query cannot be sent either, and the walk's first call says why.
    text = '"<unreadable>"'
  }
  return fnv1a64(text)
}

/**
 * @since 0.1.0
 * @category constructors
 */
export const scroll = (scrollParam: string): Scroll => Scroll.make({ scrollParam })

/**
 * @since 0.1.0
 * @category constructors
 */
export const nextUrl = (url: string): NextUrl => NextUrl.make({ url })

/**
 * Encodes a position to JSON text.
 *
 * @since 0.1.0
 * @category codecs
 */
export const toJson: (position: Position) => string = Schema.encodeSync(PositionFromJson)

/**
 * Decodes JSON text produced by {@link toJson}, failing with a `ParseError` on anything else.
 *
 * @since 0.1.0
 * @category codecs
 */
export const fromJson: (json: unknown) => Effect.Effect<Position, ParseResult.ParseError> =
  Schema.decodeUnknown(PositionFromJson)
