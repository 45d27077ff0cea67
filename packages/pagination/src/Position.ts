/**
 * Where a walk stands: the small, serializable value that resumes a paginated stream right after a page.
 *
 * @since 0.1.0
 */
import { type Effect, type ParseResult, Schema } from "effect"

/**
 * An opaque cursor, sent as `starting_after` in the query (GET lists) or in `pagination` of a search body.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Cursor = Schema.TaggedStruct("Cursor", { startingAfter: Schema.NonEmptyString })

/**
 * @since 0.1.0
 * @category models
 */
export type Cursor = typeof Cursor.Type

/**
 * A 1-based page number, sent as `page`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const PageNumber = Schema.TaggedStruct("PageNumber", { page: Schema.Int.pipe(Schema.greaterThanOrEqualTo(1)) })

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
