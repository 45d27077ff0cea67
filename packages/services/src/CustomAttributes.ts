/**
 * Typed custom attributes. The API carries `custom_attributes` as an open map (the spec calls the values strings;
 * real traffic holds numbers, booleans and nulls), so a workspace's own attributes are described by a
 * `Schema.Struct` of them, written by hand or by `intercom attributes codegen` from the workspace's data attributes,
 * and given to `contacts.withAttributes(schema)` or `companies.withAttributes(schema)`:
 *
 * - on read, `custom_attributes` is decoded with the schema; attributes the schema does not name are kept as they
 *   came (typed `unknown`). A value that does not fit is a `DecodeError` whose `fieldPath` ends at the attribute;
 * - on write, only the attributes given are encoded; one the schema does not name, one whose name Intercom does not
 *   allow (empty, or holding `.` or `$`) and one whose value does not fit are an `InvalidRequest` naming the
 *   attribute, and nothing is sent.
 *
 * Intercom's data types map to `Schema.String` (or a `Schema.Literal` of a list attribute's options),
 * `Schema.Int` (integer), `Schema.Finite` (float: JSON cannot carry NaN or Infinity), `Schema.Boolean` and
 * `Schema.Int` for dates, which the API reads and writes as unix seconds. An attribute nobody set is absent or
 * `null`, so generated fields are `Schema.optional(Schema.NullOr(...))`, and writing `null` clears one.
 *
 * @example
 * ```ts
 * import { Contacts } from "@intercom-effect/services"
 * import { Effect, Schema } from "effect"
 *
 * const Attributes = Schema.Struct({
 *   plan: Schema.optional(Schema.NullOr(Schema.Literal("free", "team", "enterprise"))),
 *   seats: Schema.optional(Schema.NullOr(Schema.Int))
 * })
 *
 * const program = Effect.gen(function* () {
 *   const contacts = (yield* Contacts.Contacts).withAttributes(Attributes)
 *   const contact = yield* contacts.get("6657a0b7c3d1f4a1b2c3d4e5")
 *   // typed: "free" | "team" | "enterprise" | null | undefined
 *   const plan = contact.custom_attributes.plan
 *   // a value outside the schema is an InvalidRequest, and nothing is sent
 *   yield* contacts.update(contact.id, { custom_attributes: { seats: 12 } })
 *   return plan
 * })
 * ```
 *
 * @since 0.2.0
 */
import { IntercomError } from "@intercom-effect/http"
import { Effect, Either, ParseResult, Schema, SchemaAST } from "effect"

/**
 * The fields of an attributes schema: attribute name -> schema (or property signature).
 *
 * @since 0.2.0
 * @category models
 */
export type Fields = Schema.Struct.Fields

/**
 * An attributes schema: a `Schema.Struct` that needs no context (its attributes are plain values).
 *
 * @since 0.2.0
 * @category models
 */
export type AttributesSchema<F extends Fields> = Schema.Struct<F> &
  Schema.Schema<Schema.Struct.Type<F>, Schema.Struct.Encoded<F>, never>

/**
 * Custom attributes as a typed read holds them: the schema's, typed, and any others as they came.
 *
 * @since 0.2.0
 * @category models
 */
export type Read<F extends Fields> = Schema.Struct.Type<F> & { readonly [name: string]: unknown }

/**
 * Custom attributes as a typed write takes them: any of the schema's, none required (a write sets the attributes it
 * names and leaves the others as they are).
 *
 * @since 0.2.0
 * @category models
 */
export type Write<F extends Fields> = {
  readonly [K in keyof Schema.Struct.Type<F>]?: Schema.Struct.Type<F>[K] | undefined
}

/**
 * `T` without the key `K`, keeping an index signature (where `Omit` would keep nothing else).
 *
 * @since 0.2.0
 * @category models
 */
export type Without<T, K extends PropertyKey> = { readonly [P in keyof T as P extends K ? never : P]: T[P] }

/**
 * A response object `T` with its `custom_attributes` typed.
 *
 * @since 0.2.0
 * @category models
 */
export type Typed<T, F extends Fields> = Without<T, "custom_attributes"> & { readonly custom_attributes: Read<F> }

/**
 * A page of a list (`data` holding the items) with each item's `custom_attributes` typed.
 *
 * @since 0.2.0
 * @category models
 */
export type TypedPage<P extends Page, F extends Fields> = Without<P, "data"> & {
  readonly data: ReadonlyArray<Typed<P["data"][number], F>>
}

/**
 * What {@link TypedPage} takes: a page whose items are under `data`.
 *
 * @since 0.2.0
 * @category models
 */
export interface Page {
  readonly data: ReadonlyArray<{ readonly custom_attributes?: unknown }>
}

/**
 * A request body `T` that takes typed `custom_attributes` (a union such as `CreateContactRequest` stays a union).
 *
 * @since 0.2.0
 * @category models
 */
export type Writable<T, F extends Fields> = T extends unknown
  ? Without<T, "custom_attributes"> & { readonly custom_attributes?: Write<F> | undefined }
  : never

/**
 * The operation a value was read from or is sent to, as errors name it (the path template, never the ids in it).
 *
 * @since 0.2.0
 * @category models
 */
export interface Site {
  readonly method: string
  readonly path: string
}

/**
 * Reads and writes `custom_attributes` with one attributes schema.
 *
 * @since 0.2.0
 * @category models
 */
export interface Codec<F extends Fields> {
  readonly schema: AttributesSchema<F>
  /**
   * `item` with its `custom_attributes` decoded (absent or `null` reads as none). `at` is where the item sits in the
   * response (`["data", 3]`), for the error's `fieldPath`.
   */
  readonly read: <T extends { readonly custom_attributes?: unknown }>(
    item: T,
    site: Site,
    at?: ReadonlyArray<string | number>
  ) => Effect.Effect<Typed<T, F>, IntercomError.DecodeError>
  /** A page with every item under `data` decoded as by `read`. */
  readonly readPage: <P extends Page>(page: P, site: Site) => Effect.Effect<TypedPage<P, F>, IntercomError.DecodeError>
  /** `body` with the attributes it gives encoded (`T` is the request body type, e.g. `UpdateContactRequest`). */
  readonly write: <T extends { readonly custom_attributes?: unknown }>(
    body: Writable<T, F>,
    site: Site
  ) => Effect.Effect<T, IntercomError.InvalidRequest>
}

/**
 * Why Intercom would refuse `name` as a custom attribute's name, if it would.
 *
 * @since 0.2.0
 * @category validation
 */
export const nameProblem = (name: string): string | undefined => {
  if (name.trim() === "") return "is empty"
  if (name.includes(".")) return "holds a '.', which Intercom reads as a nested field"
  if (name.includes("$")) return "holds a '$', which Intercom does not allow"
  return undefined
}

const quote = (name: PropertyKey) => JSON.stringify(String(name))

/** "custom attribute "plan": Expected ..." for each issue, the attribute being the first step of its path. */
const describe = (error: ParseResult.ParseError): string =>
  ParseResult.ArrayFormatter.formatErrorSync(error)
    .map((issue) => {
      const [name, ...rest] = issue.path
      const where = name === undefined ? "custom_attributes" : `custom attribute ${quote(name)}`
      return `${where}${rest.length > 0 ? ` at ${rest.map(String).join(".")}` : ""}: ${issue.message}`
    })
    .join("; ")

/**
 * The codec of an attributes schema.
 *
 * @since 0.2.0
 * @category constructors
 */
export const make = <F extends Fields>(schema: AttributesSchema<F>): Codec<F> => {
  // Unknown attributes are kept on read: the schema may describe only some of a workspace's attributes.
  const decode = Schema.decodeUnknownEither<Schema.Struct.Type<F>, Schema.Struct.Encoded<F>>(schema)
  const read: Codec<F>["read"] = (item, site, at = []) => {
    const raw = item.custom_attributes ?? {}
    return Either.match(decode(raw, { errors: "all", onExcessProperty: "preserve" }), {
      onLeft: (error) => {
        const first = ParseResult.ArrayFormatter.formatErrorSync(error)[0]
        return Effect.fail(
          new IntercomError.DecodeError({
            method: site.method,
            path: site.path,
            // The response itself was fine; the attributes schema is what it did not fit.
            status: 200,
            requestId: null,
            body: JSON.stringify(raw).slice(0, IntercomError.snippetLength),
            fieldPath: [
              ...at,
              "custom_attributes",
              ...(first?.path ?? []).map((p) => (typeof p === "number" ? p : String(p)))
            ],
            issue: describe(error)
          })
        )
      },
      onRight: (attributes) =>
        Effect.succeed({ ...item, custom_attributes: attributes } as unknown as Typed<typeof item, F>)
    })
  }
  const write = <T extends { readonly custom_attributes?: unknown }>(
    body: Writable<T, F>,
    site: Site
  ): Effect.Effect<T, IntercomError.InvalidRequest> => {
    const invalid = (issue: string) =>
      Effect.fail(new IntercomError.InvalidRequest({ method: site.method, path: site.path, issue }))
    const given: Record<string, unknown> | undefined = body.custom_attributes
    if (given === undefined) return Effect.succeed(body as unknown as T)
    // An attribute given as undefined is not given: it is neither checked nor sent.
    const entries = Object.entries(given).filter(([, value]) => value !== undefined)
    const problems = entries.flatMap(([name]) => {
      if (!Object.hasOwn(schema.fields, name)) return [`custom attribute ${quote(name)} is not in the schema`]
      const problem = nameProblem(name)
      return problem === undefined ? [] : [`custom attribute ${quote(name)} ${problem}`]
    })
    if (problems.length > 0) return invalid(problems.join("; "))
    // The attributes given, and only those: a write leaves the others as they are, required or not.
    // (The fields of a struct that needs no context need none either.)
    const picked = Schema.make<unknown, unknown, never>(
      SchemaAST.pick(
        schema.ast,
        entries.map(([name]) => name)
      )
    )
    return Either.match(
      Schema.encodeUnknownEither(picked)(Object.fromEntries(entries), {
        errors: "all",
        onExcessProperty: "error"
      }),
      {
        onLeft: (error) => invalid(describe(error)),
        onRight: (encoded) => Effect.succeed({ ...body, custom_attributes: encoded } as unknown as T)
      }
    )
  }
  return {
    schema,
    read,
    readPage: (page, site) =>
      Effect.map(
        Effect.forEach(page.data, (item, index) => read(item, site, ["data", index])),
        (data) => ({ ...page, data }) as unknown as TypedPage<typeof page, F>
      ),
    write
  }
}
