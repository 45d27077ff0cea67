/**
 * Tags: list, create or rename, tag and untag companies or users in bulk, get, delete.
 *
 * @since 0.1.0
 */
import { HttpRouter, HttpServerResponse } from "@effect/platform"
import { CreateTagRequest, type TagBasic as TagBasicType, TagBasic, TagList } from "@intercom-effect/schemas"
import { Effect } from "effect"
import * as Render from "../internal/render.js"
import { byId, create, now, param, store } from "../internal/route.js"
import * as Reply from "../Reply.js"
import type { Store } from "../State.js"

/**
 * Finds a tag, or answers Intercom's 404 (the contacts routes tag through it too).
 *
 * @internal
 */
export const find = (s: Store, id: string) => {
  const tag = s.tags.get(id)
  return tag === undefined ? Reply.notFound("not_found", "Resource Not Found") : Effect.succeed(tag)
}

const byName = (s: Store, name: string): TagBasicType => {
  for (const tag of s.tags.values()) if (tag.name === name) return tag
  const tag: TagBasicType = { type: "tag", id: s.ids.numeric("tag"), name }
  s.tags.set(tag.id, tag)
  s.touch()
  return tag
}

const createTag = Effect.gen(function* () {
  const s = yield* store
  const body = yield* Reply.body(CreateTagRequest)
  if ("users" in body) {
    const contacts = []
    for (const user of body.users) {
      const contact = user.id === undefined ? undefined : s.contacts.get(user.id)
      if (contact === undefined) return yield* Reply.notFound("not_found", "User Not Found")
      contacts.push(contact)
    }
    const tag = byName(s, body.name)
    const at = yield* now
    for (const contact of contacts) {
      if (!contact.tags.has(tag.id)) contact.tags.set(tag.id, { id: tag.id, appliedAt: at, appliedBy: null })
    }
    s.touch()
    return yield* Reply.json(TagBasic, tag)
  }
  if ("companies" in body) {
    const companies = []
    for (const ref of body.companies) {
      const company =
        ref.id !== undefined
          ? s.companies.get(ref.id)
          : ref.company_id !== undefined
            ? s.companyByCompanyId(ref.company_id)
            : undefined
      if (company === undefined) return yield* Reply.notFound("company_not_found", "Company Not Found")
      companies.push({ company, untag: "untag" in ref && ref.untag === true })
    }
    const tag = byName(s, body.name)
    for (const { company, untag } of companies) {
      if (untag) company.tags.delete(tag.id)
      else company.tags.add(tag.id)
    }
    s.touch()
    return yield* Reply.json(TagBasic, tag)
  }
  if (body.id !== undefined) {
    const existing = yield* find(s, body.id)
    const renamed = { ...existing, name: body.name }
    s.tags.set(renamed.id, renamed)
    s.touch()
    return yield* Reply.json(TagBasic, renamed)
  }
  return yield* Reply.json(TagBasic, byName(s, body.name))
})

const remove = Effect.gen(function* () {
  const s = yield* store
  const tag = yield* find(s, yield* param("id"))
  s.tags.delete(tag.id)
  for (const contact of s.contacts.values((r) => r.tags.has(tag.id))) contact.tags.delete(tag.id)
  for (const company of s.companies.values((r) => r.tags.has(tag.id))) company.tags.delete(tag.id)
  for (const conversation of s.conversations.values((r) => r.tags.has(tag.id))) conversation.tags.delete(tag.id)
  s.touch()
  // Intercom answers a deleted tag with 200 and no body.
  return HttpServerResponse.empty({ status: 200 })
})

/**
 * The tag routes.
 *
 * @since 0.1.0
 * @category routers
 */
export const router = HttpRouter.empty.pipe(
  HttpRouter.get(
    "/tags",
    Effect.gen(function* () {
      const s = yield* store
      return yield* Reply.json(TagList, {
        type: "list",
        data: [...s.tags.keys()].map((id) => Render.tagBasic(s, id))
      })
    })
  ),
  HttpRouter.post("/tags", create(createTag)),
  HttpRouter.get(
    "/tags/:id",
    byId(find, (_, tag) => Reply.json(TagBasic, tag))
  ),
  HttpRouter.del("/tags/:id", remove)
)
