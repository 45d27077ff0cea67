/**
 * The hand-written methods of the Contacts service: lookups by `external_id` and e-mail, an upsert that survives a
 * race with another writer, and a view with typed custom attributes. They are built over the generated operations
 * only, so they share the service's client, spans and rate-limit gate.
 *
 * @since 0.2.0
 */
import { IntercomError } from "@intercom-effect/http"
import type { Position } from "@intercom-effect/pagination"
import {
  type Contact,
  type ContactList,
  type CreateContactRequest,
  operations as ops,
  SearchQuery,
  type UpdateContactRequest
} from "@intercom-effect/schemas"
import { Effect, Option, Schema } from "effect"
import type { Service } from "../Contacts.js"
import * as CustomAttributes from "../CustomAttributes.js"
import type { Parts } from "../internal/helpers.js"
import { atMostOne, checkKey, type MultipleMatches } from "../internal/lookup.js"
import * as Pages from "../internal/paging.js"
import type * as Paging from "../Paging.js"

/**
 * A lookup by a key found several contacts.
 *
 * @since 0.2.0
 * @category errors
 */
export { MultipleMatches } from "../internal/lookup.js"

/**
 * The fields a contact can be upserted by: Intercom keeps `external_id` unique among all contacts and an e-mail
 * unique among users (leads may share one).
 *
 * @since 0.2.0
 * @category models
 */
export type UpsertKey = "external_id" | "email"

/**
 * What `upsert` takes: the fields to create the contact with or to update it with, holding the key it is found by.
 *
 * @since 0.2.0
 * @category models
 */
export type UpsertRequest = UpdateContactRequest & ({ readonly external_id: string } | { readonly email: string })

/**
 * Options of `upsert`.
 *
 * @since 0.2.0
 * @category models
 */
export interface UpsertOptions {
  /** The key to find the contact by; `external_id` when the body has one, else `email`. */
  readonly by?: UpsertKey | undefined
}

/**
 * Options of `findByEmail`.
 *
 * @since 0.2.0
 * @category models
 */
export interface FindByEmailOptions {
  /** Only users, or only leads (leads may share an e-mail with each other and with a user). */
  readonly role?: "user" | "lead" | undefined
}

/**
 * An upsert whose create Intercom refused with 409 could not be turned into an update of the contact holding the
 * key: either the contact Intercom named holds other details than the key (an e-mail taken by a different user, say),
 * or Intercom named none and search does not show it yet (a new contact may be missing from search for a few
 * minutes). Nothing was created; trying again later is safe.
 *
 * @since 0.2.0
 * @category errors
 */
export class UpsertConflict extends Schema.TaggedError<UpsertConflict>(
  "@intercom-effect/services/Contacts/UpsertConflict"
)("UpsertConflict", {
  key: Schema.Literal("external_id", "email"),
  /** The contact Intercom's 409 named, when it named one. */
  contactId: Schema.NullOr(Schema.String),
  reason: Schema.String,
  /** Intercom's answer to the create. */
  conflict: IntercomError.Conflict
}) {
  override get message(): string {
    return `upsert by ${this.key}: ${this.reason}`
  }
}

/**
 * The contact lookups, the upsert and the typed view, over the operations of the Contacts service.
 *
 * @since 0.2.0
 * @category models
 */
export interface Helpers {
  /**
   * The contact whose `external_id` is exactly this one, if any, through search. An empty id is an
   * `InvalidRequest`; several matches are a `MultipleMatches` naming them.
   */
  readonly findByExternalId: (
    externalId: string
  ) => Effect.Effect<Option.Option<Contact>, IntercomError.IntercomError | MultipleMatches>
  /**
   * The contact with this e-mail, if any, through search (`email = ...`, kept when the e-mail is the same ignoring
   * case); several matches (leads may share an e-mail) are a `MultipleMatches` naming them, unless `role` narrows them
   * to one.
   */
  readonly findByEmail: (
    email: string,
    options?: FindByEmailOptions
  ) => Effect.Effect<Option.Option<Contact>, IntercomError.IntercomError | MultipleMatches>
  /**
   * Creates the contact, or updates the one holding the key (`external_id`, else `email`; by e-mail, among contacts
   * of the body's role, users by default). When another writer creates it between the lookup and the create, Intercom
   * answers 409 naming the contact; the upsert then updates that contact, after checking it holds the key, so a race
   * never leaves two contacts. If Intercom names none, the contact is looked up by search again; an `UpsertConflict`
   * says when that finds nothing yet. Leads may share an e-mail, so Intercom never refuses a second one: concurrent
   * upserts of a lead by e-mail can create two, where upserts by `external_id` cannot.
   */
  readonly upsert: (
    body: UpsertRequest,
    options?: UpsertOptions
  ) => Effect.Effect<Contact, IntercomError.IntercomError | MultipleMatches | UpsertConflict>
  /** The same contacts with `custom_attributes` read and written through `schema`; see `CustomAttributes`. */
  readonly withAttributes: <F extends CustomAttributes.Fields>(
    schema: CustomAttributes.AttributesSchema<F>
  ) => WithAttributes<F>
}

/**
 * The Contacts service seen through an attributes schema: each method is the one of the same name, with
 * `custom_attributes` decoded on the way in and encoded (and checked) on the way out.
 *
 * @since 0.2.0
 * @category models
 */
export interface WithAttributes<F extends CustomAttributes.Fields> {
  readonly codec: CustomAttributes.Codec<F>
  readonly get: (id: string) => Effect.Effect<CustomAttributes.Typed<Contact, F>, IntercomError.IntercomError>
  readonly create: (
    body: CustomAttributes.Writable<CreateContactRequest, F>
  ) => Effect.Effect<CustomAttributes.Typed<Contact, F>, IntercomError.IntercomError>
  readonly update: (
    id: string,
    body: CustomAttributes.Writable<UpdateContactRequest, F>
  ) => Effect.Effect<CustomAttributes.Typed<Contact, F>, IntercomError.IntercomError>
  readonly list: (
    options?: Paging.Options<Position.Cursor>
  ) => Paging.Paginator<CustomAttributes.TypedPage<ContactList, F>, CustomAttributes.Typed<Contact, F>, Position.Cursor>
  readonly search: (
    query: SearchQuery.Query,
    options?: Paging.Options<Position.Cursor>
  ) => Paging.Paginator<CustomAttributes.TypedPage<ContactList, F>, CustomAttributes.Typed<Contact, F>, Position.Cursor>
  readonly findByExternalId: (
    externalId: string
  ) => Effect.Effect<Option.Option<CustomAttributes.Typed<Contact, F>>, IntercomError.IntercomError | MultipleMatches>
  readonly findByEmail: (
    email: string,
    options?: FindByEmailOptions
  ) => Effect.Effect<Option.Option<CustomAttributes.Typed<Contact, F>>, IntercomError.IntercomError | MultipleMatches>
  readonly upsert: (
    body: CustomAttributes.Writable<UpsertRequest, F>,
    options?: UpsertOptions
  ) => Effect.Effect<CustomAttributes.Typed<Contact, F>, IntercomError.IntercomError | MultipleMatches | UpsertConflict>
}

/** The generated operations of the service. */
type Operations = Omit<Service, keyof Helpers>

/** A key and its value. */
interface Key {
  readonly field: UpsertKey
  readonly value: string
}

// Enough to name every holder of a key that should have one; `total_count` says how many there are beyond.
const lookupPageSize = 50

const sameEmail = (a: string | null | undefined, b: string) =>
  typeof a === "string" && a.toLowerCase() === b.toLowerCase()

const holds = (contact: Contact, key: Key): boolean =>
  key.field === "external_id" ? contact.external_id === key.value : sameEmail(contact.email, key.value)

/**
 * The id in Intercom's 409 to a create ("A contact matching those details already exists with id=...").
 */
const namedId = (conflict: IntercomError.Conflict): Option.Option<string> => {
  for (const text of [...conflict.errors.map((e) => e.message ?? ""), conflict.body]) {
    const match = /\bid=([A-Za-z0-9_-]+)/.exec(text)
    if (match !== null) return Option.some(match[1]!)
  }
  return Option.none()
}

/**
 * Builds the helpers over the generated operations.
 *
 * @internal
 */
export const makeHelpers = ({ operations }: Parts<Operations>): Helpers => {
  const find = (key: Key, role: string | undefined) =>
    Effect.gen(function* () {
      yield* checkKey(ops.SearchContacts, key.field, key.value)
      const byKey = SearchQuery.field(key.field).eq(key.value)
      const query = role === undefined ? byKey : SearchQuery.and(byKey, SearchQuery.field("role").eq(role))
      const page = yield* operations.searchPage({ query, pagination: { per_page: lookupPageSize } })
      // Search decides what `=` means; only an exact holder of the key counts as found.
      const matches = page.data.filter((contact) => holds(contact, key))
      const beyond = Math.max(0, (page.total_count ?? 0) - page.data.length)
      return yield* atMostOne("contact", key.field, matches, matches.length + beyond)
    })

  const findByExternalId = Effect.fn("Contacts.findByExternalId")((externalId: string) =>
    find({ field: "external_id", value: externalId }, undefined)
  )
  const findByEmail = Effect.fn("Contacts.findByEmail")((email: string, options?: FindByEmailOptions) =>
    find({ field: "email", value: email }, options?.role)
  )

  const keyOf = (
    body: UpsertRequest,
    options: UpsertOptions | undefined
  ): Effect.Effect<Key, IntercomError.InvalidRequest> => {
    const field: UpsertKey = options?.by ?? (typeof body.external_id === "string" ? "external_id" : "email")
    const value = body[field]
    return typeof value === "string"
      ? Effect.as(checkKey(ops.CreateContact, field, value), { field, value })
      : Effect.fail(
          new IntercomError.InvalidRequest({
            method: ops.CreateContact.method,
            path: ops.CreateContact.path,
            issue: `the body has no ${field} to upsert by`
          })
        )
  }

  // The create lost a race (or search had not shown the contact yet): update the contact Intercom names, once it is
  // known to hold the key; without a name, search again.
  const afterConflict = (conflict: IntercomError.Conflict, key: Key, role: string | undefined, body: UpsertRequest) =>
    Effect.gen(function* () {
      const named = namedId(conflict)
      if (Option.isSome(named)) {
        const existing = yield* operations.get(named.value).pipe(
          Effect.asSome,
          Effect.catchTag("NotFound", () => Effect.succeedNone)
        )
        if (Option.isSome(existing)) {
          if (holds(existing.value, key)) return yield* operations.update(existing.value.id, body)
          return yield* new UpsertConflict({
            key: key.field,
            contactId: existing.value.id,
            reason: `contact ${existing.value.id} holds details of this body but not its ${key.field}; it was not changed`,
            conflict
          })
        }
      }
      const found = yield* find(key, role)
      if (Option.isSome(found)) return yield* operations.update(found.value.id, body)
      return yield* new UpsertConflict({
        key: key.field,
        contactId: Option.getOrNull(named),
        reason:
          "Intercom answered 409 and the contact it conflicts with is not found yet (search can lag new contacts by minutes); try again later",
        conflict
      })
    })

  const upsert = Effect.fn("Contacts.upsert")(function* (body: UpsertRequest, options?: UpsertOptions) {
    const key = yield* keyOf(body, options)
    // By e-mail, among contacts of the role being written: a lead may share a user's e-mail.
    const role = key.field === "email" ? (body.role ?? "user") : undefined
    const found = yield* find(key, role)
    if (Option.isSome(found)) return yield* operations.update(found.value.id, body)
    return yield* operations
      .create(body as CreateContactRequest)
      .pipe(Effect.catchTag("Conflict", (conflict) => afterConflict(conflict, key, role, body)))
  })

  const withAttributes = <F extends CustomAttributes.Fields>(
    schema: CustomAttributes.AttributesSchema<F>
  ): WithAttributes<F> => {
    const codec = CustomAttributes.make(schema)
    const readOne = (contact: Contact, site: CustomAttributes.Site) => codec.read(contact, site)
    const readSome = (found: Option.Option<Contact>) =>
      Option.match(found, {
        onNone: () => Effect.succeedNone,
        onSome: (contact) => Effect.asSome(readOne(contact, ops.SearchContacts))
      })
    return {
      codec,
      get: (id) => Effect.flatMap(operations.get(id), (c) => readOne(c, ops.ShowContact)),
      create: (body) =>
        codec.write<CreateContactRequest>(body, ops.CreateContact).pipe(
          Effect.flatMap(operations.create),
          Effect.flatMap((c) => readOne(c, ops.CreateContact))
        ),
      update: (id, body) =>
        codec.write<UpdateContactRequest>(body, ops.UpdateContact).pipe(
          Effect.flatMap((encoded) => operations.update(id, encoded)),
          Effect.flatMap((c) => readOne(c, ops.UpdateContact))
        ),
      list: (options) =>
        Pages.cursor(
          ops.ListContacts,
          (query) => Effect.flatMap(operations.listPage(query), (page) => codec.readPage(page, ops.ListContacts)),
          (page) => page.data,
          options
        ),
      search: (query, options) =>
        Pages.search(
          ops.SearchContacts,
          (body) => Effect.flatMap(operations.searchPage(body), (page) => codec.readPage(page, ops.SearchContacts)),
          (page) => page.data,
          query,
          options
        ),
      findByExternalId: (externalId) => Effect.flatMap(findByExternalId(externalId), readSome),
      findByEmail: (email, options) => Effect.flatMap(findByEmail(email, options), readSome),
      upsert: (body, options) =>
        codec.write<UpsertRequest>(body, ops.CreateContact).pipe(
          Effect.flatMap((encoded) => upsert(encoded, options)),
          Effect.flatMap((c) => readOne(c, ops.CreateContact))
        )
    }
  }

  return { findByExternalId, findByEmail, upsert, withAttributes }
}
