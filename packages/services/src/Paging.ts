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
import { operations } from "@intercom-effect/schemas"
import { Option, type Schema, SchemaAST } from "effect"

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

type Operations = typeof operations

/**
 * A list that takes `per_page` in its query, named as `Service.method`: `"Companies.list"`, `"Contacts.list"`, ...
 * The name covers the list's one-page method too (`Companies.listPage` is `"Companies.list"`).
 *
 * @since 0.2.0
 * @category page size
 */
export type PagedList = {
  readonly [K in keyof Operations]: Operations[K] extends { readonly query: Schema.Schema<infer Q, infer _I, never> }
    ? "per_page" extends keyof Q
      ? Operations[K]["name"]
      : never
    : never
}[keyof Operations]

// Intercom's page size cap for the lists that say nothing else.
const commonMaxPerPage = 150

// The largest value a number schema admits, read from the `maximum` its refinements carry (`Schema.lessThanOrEqualTo`
// records one); `undefined` when it has none.
const maximumOf = (ast: SchemaAST.AST): number | undefined => {
  switch (ast._tag) {
    case "Refinement": {
      const annotation: { readonly maximum?: unknown } | undefined = Option.getOrUndefined(
        SchemaAST.getJSONSchemaAnnotation(ast)
      )
      const inner = maximumOf(ast.from)
      const own = typeof annotation?.maximum === "number" ? annotation.maximum : undefined
      return own === undefined ? inner : inner === undefined ? own : Math.min(own, inner)
    }
    case "Union": {
      // An optional parameter is its schema or `undefined`; the members that have a maximum bound it.
      const maxima = ast.types.map(maximumOf).filter((max): max is number => max !== undefined)
      return maxima.length === 0 ? undefined : Math.max(...maxima)
    }
    case "Transformation":
      return maximumOf(ast.to)
    default:
      return undefined
  }
}

const perPageMaximum = (query: Schema.Schema.AnyNoContext): number | undefined => {
  const ast = query.ast
  if (ast._tag !== "TypeLiteral") return undefined
  const perPage = ast.propertySignatures.find((signature) => signature.name === "per_page")
  return perPage === undefined ? undefined : maximumOf(perPage.type)
}

// Read once from the operation table, whose query schemas are what every call is checked against.
const caps: ReadonlyMap<string, number> = new Map(
  Object.values(operations).flatMap((operation): Array<readonly [string, number]> => {
    const query: Schema.Schema.AnyNoContext | undefined = "query" in operation ? operation.query : undefined
    const max = query === undefined ? undefined : perPageMaximum(query)
    return max === undefined ? [] : [[operation.name, max]]
  })
)

/**
 * The largest `per_page` a list accepts: 60 for the companies lists (`GET /companies`, `POST /companies/list`),
 * 150 for the others. A larger value is refused with an `InvalidRequest` before anything is sent, so a walk that
 * takes its page size from a setting asks {@link clampPerPage} first. Read from the same schema the call is checked
 * against. Searches take theirs in the body: `SearchQuery.maxPerPage` of @intercom-effect/schemas.
 *
 * @since 0.2.0
 * @category page size
 */
export const maxPerPage = (list: PagedList): number => caps.get(list) ?? commonMaxPerPage

/**
 * `perPage`, lowered to what `list` accepts (see {@link maxPerPage}).
 *
 * @example
 * ```ts
 * import { Companies, Paging } from "@intercom-effect/services"
 * import { Effect } from "effect"
 *
 * // 150 a page where the list allows it; GET /companies allows 60.
 * const firstPage = Effect.flatMap(Companies.Companies, (companies) =>
 *   companies.listPage({ per_page: Paging.clampPerPage("Companies.list", 150) })
 * )
 * ```
 *
 * @since 0.2.0
 * @category page size
 */
export const clampPerPage = (list: PagedList, perPage: number): number => Math.min(perPage, maxPerPage(list))
