/**
 * Where an export goes: the items, and beside them the position each walk has reached. A page's items and the
 * position after it are written together (one transaction, or one checkpoint after the lines), so a crash at any
 * moment leaves the store at a page boundary and a restart resumes right after the last page it holds: every item
 * exactly once.
 *
 * The stores are `ExportSqlite` (one SQLite file) and `ExportNdjson` (a directory of NDJSON files).
 *
 * @since 0.1.0
 */
import { Position } from "@intercom-effect/pagination"
import { Context, type Effect, type Option, Schema } from "effect"

/**
 * What the export walks.
 *
 * @since 0.1.0
 * @category resources
 */
export const resources = ["contacts", "companies", "conversations"] as const

/**
 * One of {@link resources}.
 *
 * @since 0.1.0
 * @category resources
 */
export type Resource = (typeof resources)[number]

/**
 * An exported item: Intercom's object as decoded, which always has an id.
 *
 * @since 0.1.0
 * @category models
 */
export interface Item {
  readonly id: string
}

/**
 * How far a walk got: absent (never started), `done`, or resume from `position` (none: from its first page).
 *
 * @since 0.1.0
 * @category models
 */
export interface Progress {
  readonly position: Option.Option<Position.Position>
  readonly done: boolean
}

/**
 * A walk's progress as stored (JSON).
 *
 * @since 0.1.0
 * @category schemas
 */
export const ProgressJson = Schema.Struct({
  position: Schema.OptionFromNullOr(Position.Position),
  done: Schema.Boolean
})

/**
 * What a store's first run decided and every later run must keep: the bounds of the contacts' `created_at`
 * partitions, and the timezone whose days they follow. Recomputed on resume (from the clock, from the oldest
 * contact, from how many contacts there are), they could move, and the walks' stored cursors would belong to other
 * queries.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Plan = Schema.Struct({
  contacts: Schema.Struct({
    partitions: Schema.Number,
    /** Unix seconds. */
    since: Schema.Number,
    until: Schema.Number,
    /** The IANA timezone of the partitions' days. Stores written before it was recorded used UTC days. */
    timeZone: Schema.optionalWith(Schema.String, { default: () => "UTC" }),
    /**
     * The day starts bounding the partitions, first to last, when they were cut where the contacts are (see
     * `Balance`). Absent: even runs of days from `since` to `until`, as in stores written before.
     */
    bounds: Schema.optional(Schema.Array(Schema.Number))
  })
})

/**
 * The decoded type of {@link Plan}.
 *
 * @since 0.1.0
 * @category schemas
 */
export type Plan = typeof Plan.Type

/**
 * A store failed to read or write.
 *
 * @since 0.1.0
 * @category errors
 */
export class StoreError extends Schema.TaggedError<StoreError>()("StoreError", {
  operation: Schema.String,
  detail: Schema.String
}) {
  override get message(): string {
    return `export store: ${this.operation} failed: ${this.detail}`
  }

  /** What to do about it. */
  get fix(): string {
    return "check that --out names a place you can write to, with space left, and that no other export uses it"
  }
}

/**
 * The store service.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** Where `walk` stands (a walk is a resource, or one partition of one). */
  readonly progress: (walk: string) => Effect.Effect<Option.Option<Progress>, StoreError>
  /**
   * Writes a page: its items and the walk's progress after it, together. Nothing written after the last stored
   * progress survives a crash (a transaction rolls back; an NDJSON file is cut back when the store opens), so the
   * page fetched again on resume is stored once.
   */
  readonly write: (
    walk: string,
    resource: Resource,
    items: ReadonlyArray<Item>,
    progress: Progress
  ) => Effect.Effect<void, StoreError>
  /** The plan the store's first run recorded, if any. */
  readonly plan: Effect.Effect<Option.Option<Plan>, StoreError>
  /** Records the plan (before the first page of the walks it plans). */
  readonly savePlan: (plan: Plan) => Effect.Effect<void, StoreError>
  /** How many items of a resource the store holds. */
  readonly count: (resource: Resource) => Effect.Effect<number, StoreError>
}

/**
 * The store tag.
 *
 * @since 0.1.0
 * @category tags
 */
export class Store extends Context.Tag("@intercom-effect/sync/ExportStore")<Store, Service>() {}
