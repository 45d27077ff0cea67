/**
 * What the services' paged lists take and return. A list method returns a `Paginator` (`.items` and `.pages`
 * streams, from @intercom-effect/pagination) that needs nothing but the service itself; each page carries the
 * position that resumes right after it, so a walk can be saved and picked up later with `start`.
 *
 * @example
 * ```ts
 * import { Contacts } from "@intercom-effect/services"
 * import { Position } from "@intercom-effect/pagination"
 * import { Effect, Option, Stream } from "effect"
 *
 * // Walk every contact, 150 a page, keeping the last position so a restart resumes after it.
 * const walk = (saved: Option.Option<Position.Cursor>) =>
 *   Effect.flatMap(Contacts.Contacts, (contacts) =>
 *     contacts.list({ per_page: 150, start: Option.getOrUndefined(saved) }).pages.pipe(
 *       Stream.runForEach((page) => Effect.log(`${page.items.length} contacts; resume at ${JSON.stringify(page.next)}`))
 *     )
 *   )
 * ```
 *
 * @since 0.1.0
 */
import type { IntercomError } from "@intercom-effect/http"
import type { Paginate, Position } from "@intercom-effect/pagination"

/**
 * Options of a paged list.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options<P> {
  /** Items per page (Intercom's cap is 150 for most lists). */
  readonly per_page?: number | undefined
  /** Resume right after a page: a `Page.next` (or its `Position`) saved from an earlier walk. */
  readonly start?: P | undefined
  /** Stop after this many items (`items` yields exactly this many). */
  readonly maxItems?: number | undefined
  /** Stop after this many pages. */
  readonly maxPages?: number | undefined
  /** Pages fetched ahead of the consumer; `0` fetches strictly on demand. Defaults to 1. */
  readonly prefetch?: number | undefined
}

/**
 * A paged list: `pages` and `items` streams over the list's pages, failing with an `IntercomError`.
 *
 * @since 0.1.0
 * @category models
 */
export type Paginator<Response, A, P extends Position.Position> = Paginate.Paginator<
  Response,
  A,
  P,
  IntercomError.IntercomError,
  never
>
