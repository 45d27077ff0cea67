/**
 * Contacts: create, get, update, delete, archive, merge, list by cursor, search; their tags, notes and companies.
 *
 * @since 0.1.0
 */
import { HttpRouter } from "@effect/platform"
import {
  AttachContactToACompanyRequest,
  AttachTagToContactRequest,
  Company,
  Contact,
  ContactArchived,
  ContactAttachedCompanies,
  ContactDeleted,
  ContactList,
  ContactUnarchived,
  CreateContactRequest,
  CreateNoteRequest,
  MergeContactsRequest,
  Note,
  NoteList,
  SearchQuery,
  Tag,
  TagList,
  UpdateContactRequest
} from "@intercom-effect/schemas"
import { Effect } from "effect"
import * as Paging from "../internal/paging.js"
import * as Render from "../internal/render.js"
import { byId, create, now, param, search as searchRoute, store } from "../internal/route.js"
import * as Wire from "../internal/wire.js"
import * as Reply from "../Reply.js"
import * as Search from "../Search.js"
import { find as findCompany } from "./Companies.js"
import { find as findTag } from "./Tags.js"
import type { ContactRecord, Store } from "../State.js"

/** Finds a contact or answers Intercom's 404. */
const find = (s: Store, id: string): Effect.Effect<ContactRecord, Reply.ApiError> => {
  const record = s.contacts.get(id)
  return record === undefined ? Reply.notFound("not_found", "User Not Found") : Effect.succeed(record)
}

const conflict = (id: string) =>
  Reply.fail(409, "conflict", `A contact matching those details already exists with id=${id}`)

const checkRole = (role: string | undefined) =>
  role === undefined || role === "user" || role === "lead"
    ? Effect.void
    : Reply.unprocessable(`role must be user or lead, got ${role}`, "role")

// A user's e-mail and any contact's external_id identify one contact; leads may share an e-mail.
const holderOf = (
  s: Store,
  self: string | undefined,
  fields: {
    readonly role: string | null
    readonly email?: string | null | undefined
    readonly external_id?: string | null
  }
): string | undefined => {
  if (typeof fields.external_id === "string") {
    const other = s.contactByExternalId(fields.external_id)
    if (other !== undefined && other.id !== self) return other.id
  }
  if (fields.role === "user" && typeof fields.email === "string") {
    const other = s.contactsByEmail(fields.email).find((c) => c.contact.role === "user" && c.id !== self)
    if (other !== undefined) return other.id
  }
  return undefined
}

/**
 * Checks that no other contact holds these details and then stores the change, in one synchronous step: a fiber may
 * yield between two effects, and two creates of one external_id checked before either was stored would both pass.
 */
const uniquely = <A>(
  s: Store,
  self: string | undefined,
  fields: Parameters<typeof holderOf>[2],
  store: () => A
): Effect.Effect<A, Reply.ApiError> =>
  Effect.suspend(() => {
    const other = holderOf(s, self, fields)
    return other === undefined ? Effect.succeed(store()) : conflict(other)
  })

const domainOf = (email: string | null | undefined) =>
  typeof email === "string" && email.includes("@") ? email.slice(email.indexOf("@") + 1) : null

const fields: Search.Fields<ContactRecord> = {
  values: (r, field) => {
    switch (field) {
      case "tag_id":
        return [...r.tags.keys()]
      case "company_id":
        return [...r.companies]
      default:
        return Search.path(r.contact, field)
    }
  },
  days: new Set(SearchQuery.contactDateFields)
}

const listed = (r: ContactRecord) => !r.archived

const respond = (r: ContactRecord) => Reply.json(Contact, Render.contact(r))

const list = Effect.gen(function* () {
  const s = yield* store
  const params = yield* Reply.query
  const perPage = yield* Reply.intParam(params, "per_page", 50, { min: 1, max: 150 })
  const from = yield* Paging.after(params.get("starting_after"))
  const slice = s.contacts.page(from?.seq, perPage, listed)
  const total = s.contacts.values(listed).length
  return yield* Reply.list(
    ContactList,
    { type: "list", data: [], total_count: total, pages: Paging.cursorPages(slice, perPage, from, total) },
    "data",
    Wire.contacts.all(s, slice.items)
  )
})

const search = searchRoute<ContactRecord>({
  request: SearchQuery.ContactsSearchRequest,
  records: (s, matches) => s.contacts.values((r) => listed(r) && matches(r)),
  fields,
  createdAt: (r) => r.contact.created_at,
  perPage: 50,
  respond: (s, items, page) =>
    Reply.list(ContactList, { type: "list", ...page, data: [] }, "data", Wire.contacts.all(s, items))
})

const createContact = Effect.gen(function* () {
  const s = yield* store
  const body = yield* Reply.body(CreateContactRequest)
  const role = body.role ?? "user"
  yield* checkRole(role)
  const at = yield* now
  const contact: Contact = {
    type: "contact",
    id: s.ids.object("contact", at),
    workspace_id: s.app.id_code!,
    external_id: body.external_id ?? null,
    role,
    email: body.email ?? null,
    email_domain: domainOf(body.email),
    phone: body.phone ?? null,
    name: body.name ?? null,
    owner_id: body.owner_id ?? null,
    has_hard_bounced: false,
    marked_email_as_spam: false,
    unsubscribed_from_emails: body.unsubscribed_from_emails ?? false,
    created_at: at,
    updated_at: at,
    signed_up_at: body.signed_up_at ?? null,
    last_seen_at: body.last_seen_at ?? null,
    last_replied_at: null,
    last_contacted_at: null,
    last_email_opened_at: null,
    last_email_clicked_at: null,
    custom_attributes: body.custom_attributes ?? {},
    avatar: { type: "avatar", image_url: body.avatar ?? null },
    location: { type: "location", country: null, region: null, city: null },
    social_profiles: { type: "list", data: [] }
  }
  return yield* respond(yield* uniquely(s, undefined, { ...body, role }, () => s.addContact(contact)))
})

const update = Effect.gen(function* () {
  const s = yield* store
  const record = yield* find(s, yield* param("id"))
  const body = yield* Reply.body(UpdateContactRequest)
  yield* checkRole(body.role)
  const { avatar, custom_attributes, ...rest } = body
  const next: Contact = {
    ...record.contact,
    ...rest,
    ...(avatar === undefined ? {} : { avatar: { type: "avatar", image_url: avatar } }),
    // Intercom sets the attributes it is given and keeps the others.
    custom_attributes: { ...record.contact.custom_attributes, ...custom_attributes },
    email_domain: body.email === undefined ? record.contact.email_domain : domainOf(body.email),
    updated_at: yield* now
  }
  yield* uniquely(s, record.id, { ...next, external_id: next.external_id ?? null }, () => s.updateContact(record, next))
  return yield* respond(record)
})

const remove = Effect.gen(function* () {
  const s = yield* store
  const record = yield* find(s, yield* param("id"))
  s.removeContact(record)
  return yield* Reply.json(ContactDeleted, {
    type: "contact",
    id: record.id,
    external_id: record.contact.external_id ?? null,
    deleted: true
  })
})

const archive = (archived: boolean) =>
  Effect.gen(function* () {
    const s = yield* store
    const record = yield* find(s, yield* param("id"))
    record.archived = archived
    s.touch()
    const body = { type: "contact", id: record.id, external_id: record.contact.external_id ?? null, archived }
    return yield* archived ? Reply.json(ContactArchived, body) : Reply.json(ContactUnarchived, body)
  })

const merge = Effect.gen(function* () {
  const s = yield* store
  const body = yield* Reply.body(MergeContactsRequest)
  const from = yield* find(s, body.from)
  const into = yield* find(s, body.into)
  if (from.id === into.id) return yield* Reply.unprocessable("A contact cannot be merged into itself", "into")
  if (from.contact.role !== "lead") return yield* Reply.unprocessable("Only a lead can be merged", "from")
  if (into.contact.role !== "user") return yield* Reply.unprocessable("A lead can only be merged into a user", "into")
  // The lead is gone: GET by its id answers 404 and lists no longer show it.
  s.mergeContacts(from, into, yield* now)
  return yield* respond(into)
})

const listTags = Effect.gen(function* () {
  const s = yield* store
  const record = yield* find(s, yield* param("id"))
  return yield* Reply.json(TagList, {
    type: "list",
    data: [...record.tags.values()].map((applied) => Render.tag(s, applied))
  })
})

const attachTag = Effect.gen(function* () {
  const s = yield* store
  const record = yield* find(s, yield* param("id"))
  const body = yield* Reply.body(AttachTagToContactRequest)
  const tag = yield* findTag(s, body.id)
  if (!record.tags.has(tag.id)) record.tags.set(tag.id, { id: tag.id, appliedAt: yield* now, appliedBy: null })
  s.touch()
  return yield* Reply.json(Tag, { type: "tag", id: tag.id, name: tag.name ?? null })
})

const detachTag = Effect.gen(function* () {
  const s = yield* store
  const record = yield* find(s, yield* param("id"))
  const tag = yield* findTag(s, yield* param("tagId"))
  record.tags.delete(tag.id)
  s.touch()
  return yield* Reply.json(Tag, { type: "tag", id: tag.id, name: tag.name ?? null })
})

const listCompanies = Effect.gen(function* () {
  const s = yield* store
  const record = yield* find(s, yield* param("id"))
  const companies = [...record.companies].flatMap((c) => s.companies.get(c) ?? [])
  const page = yield* Paging.pageOf(companies, `/contacts/${record.id}/companies`, { default: 50, max: 150 })
  return yield* Reply.list(
    ContactAttachedCompanies,
    { type: "list", data: [], total_count: page.total_count, pages: page.pages },
    "data",
    Wire.companies.all(s, page.data)
  )
})

const attachCompany = Effect.gen(function* () {
  const s = yield* store
  const record = yield* find(s, yield* param("id"))
  const body = yield* Reply.body(AttachContactToACompanyRequest)
  const company = yield* findCompany(s, body.id)
  s.attachCompany(record, company)
  return yield* Reply.json(Company, Render.company(s, company))
})

const detachCompany = Effect.gen(function* () {
  const s = yield* store
  const record = yield* find(s, yield* param("id"))
  const company = yield* findCompany(s, yield* param("companyId"))
  s.detachCompany(record, company)
  return yield* Reply.json(Company, Render.company(s, company))
})

const listNotes = Effect.gen(function* () {
  const s = yield* store
  const record = yield* find(s, yield* param("id"))
  // Newest first, as Intercom lists notes.
  const notes = record.notes.flatMap((n) => s.notes.get(n)?.note ?? []).reverse()
  const page = yield* Paging.pageOf(notes, `/contacts/${record.id}/notes`, { default: 50, max: 150 })
  return yield* Reply.json(NoteList, { type: "list", ...page })
})

const createNote = Effect.gen(function* () {
  const s = yield* store
  const record = yield* find(s, yield* param("id"))
  const body = yield* Reply.body(CreateNoteRequest)
  const author = body.admin_id === undefined ? s.admins[0] : s.admin(body.admin_id)
  if (author === undefined) return yield* Reply.notFound("admin_not_found", "Admin not found")
  const note: Note = {
    type: "note",
    id: s.ids.numeric("note"),
    created_at: yield* now,
    contact: { type: "contact", id: record.id },
    author,
    body: `<p>${body.body}</p>`
  }
  s.addNote(record, note)
  return yield* Reply.json(Note, note)
})

const getNote = Effect.gen(function* () {
  const s = yield* store
  const record = s.notes.get(yield* param("id"))
  if (record === undefined) return yield* Reply.notFound("not_found", "Resource Not Found")
  return yield* Reply.json(Note, record.note)
})

/**
 * The contact routes (and `GET /notes/{id}`).
 *
 * @since 0.1.0
 * @category routers
 */
export const router = HttpRouter.empty.pipe(
  HttpRouter.get("/contacts", list),
  HttpRouter.post("/contacts", create(createContact)),
  HttpRouter.post("/contacts/search", search),
  HttpRouter.post("/contacts/merge", merge),
  HttpRouter.get(
    "/contacts/:id",
    byId(find, (_, r) => respond(r))
  ),
  HttpRouter.put("/contacts/:id", update),
  HttpRouter.del("/contacts/:id", remove),
  HttpRouter.post("/contacts/:id/archive", archive(true)),
  HttpRouter.post("/contacts/:id/unarchive", archive(false)),
  HttpRouter.get("/contacts/:id/tags", listTags),
  HttpRouter.post("/contacts/:id/tags", attachTag),
  HttpRouter.del("/contacts/:id/tags/:tagId", detachTag),
  HttpRouter.get("/contacts/:id/companies", listCompanies),
  HttpRouter.post("/contacts/:id/companies", attachCompany),
  HttpRouter.del("/contacts/:id/companies/:companyId", detachCompany),
  HttpRouter.get("/contacts/:id/notes", listNotes),
  HttpRouter.post("/contacts/:id/notes", create(createNote)),
  HttpRouter.get("/notes/:id", getNote)
)
