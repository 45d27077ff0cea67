/**
 * The hand-written methods of the Companies service. Intercom upserts companies itself: POST /companies creates the
 * company with the body's `company_id`, or updates the one that has it, in one call, so `upsert` is that call with
 * `company_id` required (a body without one would create a new company every time). `findByCompanyId` is
 * GET /companies?company_id=..., with Intercom's 404 read as "none"; it takes the answer as the bare company
 * Intercom sends or as a list of it (what the spec's schema and the mock say).
 *
 * @since 0.2.0
 */
import type { IntercomError } from "@intercom-effect/http"
import type { Position } from "@intercom-effect/pagination"
import {
  Company,
  CompanyList,
  type CompanyScroll,
  type CreateOrUpdateCompanyRequest,
  operations as ops
} from "@intercom-effect/schemas"
import { Effect, Option, Schema } from "effect"
import type { ListQuery, Service } from "../Companies.js"
import * as CustomAttributes from "../CustomAttributes.js"
import type { Parts } from "../internal/helpers.js"
import { atMostOne, checkKey, type MultipleMatches } from "../internal/lookup.js"
import * as Pages from "../internal/paging.js"
import type * as Paging from "../Paging.js"

/**
 * A lookup by a key found several companies.
 *
 * @since 0.2.0
 * @category errors
 */
export { MultipleMatches } from "../internal/lookup.js"

/**
 * What `upsert` takes: a company body holding the `company_id` it is created with or found by.
 *
 * @since 0.2.0
 * @category models
 */
export type UpsertRequest = CreateOrUpdateCompanyRequest & { readonly company_id: string }

/**
 * The company lookup, the upsert and the typed view, over the operations of the Companies service.
 *
 * @since 0.2.0
 * @category models
 */
export interface Helpers {
  /** The company with this `company_id` (your own id for it), if any. An empty id is an `InvalidRequest`. */
  readonly findByCompanyId: (
    companyId: string
  ) => Effect.Effect<Option.Option<Company>, IntercomError.IntercomError | MultipleMatches>
  /**
   * Creates the company with this `company_id`, or updates the one that has it: Intercom's own upsert
   * (POST /companies), in one call, so concurrent upserts of one `company_id` leave one company.
   */
  readonly upsert: (body: UpsertRequest) => Effect.Effect<Company, IntercomError.IntercomError>
  /** The same companies with `custom_attributes` read and written through `schema`; see `CustomAttributes`. */
  readonly withAttributes: <F extends CustomAttributes.Fields>(
    schema: CustomAttributes.AttributesSchema<F>
  ) => WithAttributes<F>
}

/**
 * The Companies service seen through an attributes schema: each method is the one of the same name, with
 * `custom_attributes` decoded on the way in and encoded (and checked) on the way out.
 *
 * @since 0.2.0
 * @category models
 */
export interface WithAttributes<F extends CustomAttributes.Fields> {
  readonly codec: CustomAttributes.Codec<F>
  readonly get: (id: string) => Effect.Effect<CustomAttributes.Typed<Company, F>, IntercomError.IntercomError>
  readonly findByCompanyId: (
    companyId: string
  ) => Effect.Effect<Option.Option<CustomAttributes.Typed<Company, F>>, IntercomError.IntercomError | MultipleMatches>
  readonly upsert: (
    body: CustomAttributes.Writable<UpsertRequest, F>
  ) => Effect.Effect<CustomAttributes.Typed<Company, F>, IntercomError.IntercomError>
  readonly list: (
    query?: ListQuery,
    options?: Paging.Options<Position.PageNumber>
  ) => Paging.Paginator<
    CustomAttributes.TypedPage<CompanyList, F>,
    CustomAttributes.Typed<Company, F>,
    Position.PageNumber
  >
  readonly scroll: (
    options?: Paging.Options<Position.Scroll>
  ) => Paging.Paginator<
    CustomAttributes.TypedPage<CompanyScroll, F>,
    CustomAttributes.Typed<Company, F>,
    Position.Scroll
  >
}

/** The generated operations of the service. */
type Operations = Omit<Service, keyof Helpers>

// A list first: a bare company has no `data`, and a list has no `id`.
const CompanyOrList = Schema.Union(CompanyList, Company)

/**
 * Builds the helpers over the generated operations.
 *
 * @internal
 */
export const makeHelpers = ({ call, operations }: Parts<Operations>): Helpers => {
  const findByCompanyId = Effect.fn("Companies.findByCompanyId")(function* (companyId: string) {
    yield* checkKey(ops.retrieveCompany, "company_id", companyId)
    const found = yield* call.json(ops.retrieveCompany, CompanyOrList, { query: { company_id: companyId } }).pipe(
      Effect.asSome,
      // Intercom answers a company_id nobody has with 404.
      Effect.catchTag("NotFound", () => Effect.succeedNone)
    )
    if (Option.isNone(found)) return Option.none<Company>()
    const answer = found.value
    const candidates: ReadonlyArray<Company> =
      "data" in answer && Array.isArray(answer.data) ? answer.data : [answer as Company]
    return yield* atMostOne(
      "company",
      "company_id",
      candidates.filter((company) => company.company_id === companyId)
    )
  })

  const upsert = Effect.fn("Companies.upsert")(function* (body: UpsertRequest) {
    yield* checkKey(ops.createOrUpdateCompany, "company_id", body.company_id)
    return yield* operations.createOrUpdate(body)
  })

  const withAttributes = <F extends CustomAttributes.Fields>(
    schema: CustomAttributes.AttributesSchema<F>
  ): WithAttributes<F> => {
    const codec = CustomAttributes.make(schema)
    return {
      codec,
      get: (id) => Effect.flatMap(operations.get(id), (c) => codec.read(c, ops.RetrieveACompanyById)),
      findByCompanyId: (companyId) =>
        Effect.flatMap(
          findByCompanyId(companyId),
          Option.match({
            onNone: () => Effect.succeedNone,
            onSome: (company) => Effect.asSome(codec.read(company, ops.retrieveCompany))
          })
        ),
      upsert: (body) =>
        codec.write<UpsertRequest>(body, ops.createOrUpdateCompany).pipe(
          Effect.flatMap(upsert),
          Effect.flatMap((c) => codec.read(c, ops.createOrUpdateCompany))
        ),
      list: (query, options) =>
        Pages.pageNumber(
          ops.retrieveCompany,
          { query },
          (paging) =>
            Effect.flatMap(operations.listPage({ ...query, ...paging }), (page) =>
              codec.readPage(page, ops.retrieveCompany)
            ),
          (page) => page.data,
          options
        ),
      scroll: (options) =>
        Pages.scroll(
          ops.scrollOverAllCompanies,
          (query) =>
            Effect.flatMap(operations.scrollPage(query), (page) => codec.readPage(page, ops.scrollOverAllCompanies)),
          (page) => page.data,
          options
        )
    }
  }

  return { findByCompanyId, upsert, withAttributes }
}
