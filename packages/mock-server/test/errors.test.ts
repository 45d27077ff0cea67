/**
 * What the mock refuses, as Intercom refuses it: the error list on the wire (raw requests), and the SDK's typed
 * error for each status (through the services).
 */
import { assert, describe, it } from "@effect/vitest"
import type { IntercomError } from "@intercom-effect/http"
import { Admins, Companies, Contacts, Conversations, Teams } from "@intercom-effect/services"
import { Effect } from "effect"
import { MockIntercom } from "../src/index.js"
import { mock, token, withServices } from "./utils/mock.js"
import * as Raw from "./utils/raw.js"

const errorList = (json: unknown) =>
  json as { type: string; request_id: string; errors: Array<{ code: string; message: string; field: string | null }> }

describe("errors", () => {
  it.scopedLive("on the wire: 401, 404, 400 with the field, version, 409, 422", () =>
    Effect.gen(function* () {
      const m = yield* MockIntercom.MockIntercom
      const url = m.url

      const noToken = yield* Raw.request(url, "GET", "/me", { headers: { authorization: null } })
      assert.strictEqual(noToken.status, 401)
      assert.deepStrictEqual(errorList(noToken.json).errors, [
        { code: "unauthorized", message: "Access Token Invalid", field: null }
      ])
      assert.strictEqual(errorList(noToken.json).request_id, noToken.headers.get("x-request-id"))
      // Unauthenticated answers carry no rate-limit window.
      assert.isNull(noToken.headers.get("x-ratelimit-limit"))
      const wrong = yield* Raw.request(url, "GET", "/me", { headers: { authorization: "Bearer not-the-token" } })
      assert.strictEqual(wrong.status, 401)

      const missing = yield* Raw.request(url, "GET", "/contacts/000000000000000000000000")
      assert.strictEqual(missing.status, 404)
      assert.deepStrictEqual(errorList(missing.json).errors[0]?.code, "not_found")
      assert.isNotNull(missing.headers.get("x-ratelimit-remaining"))
      const route = yield* Raw.request(url, "GET", "/no/such/route")
      assert.strictEqual(route.status, 404)

      const invalid = yield* Raw.request(url, "POST", "/contacts", { body: { email: 42, nickname: "x" } })
      assert.strictEqual(invalid.status, 400)
      assert.strictEqual(errorList(invalid.json).type, "error.list")
      const fields = errorList(invalid.json).errors.map((e) => e.field)
      assert.include(fields, "nickname")
      const notJson = yield* Raw.request(url, "POST", "/contacts", { body: "{not json" })
      assert.deepStrictEqual([notJson.status, errorList(notJson.json).errors[0]?.code], [400, "bad_request"])
      const dateOperator = yield* Raw.request(url, "POST", "/contacts/search", {
        body: { query: { field: "created_at", operator: ">=", value: 1700000000 } }
      })
      assert.strictEqual(dateOperator.status, 400)
      assert.strictEqual(errorList(dateOperator.json).errors[0]?.field, "query.operator")

      const badVersion = yield* Raw.request(url, "GET", "/me", { headers: { "intercom-version": "1.4" } })
      assert.strictEqual(badVersion.status, 400)
      assert.strictEqual(errorList(badVersion.json).errors[0]?.code, "intercom_version_invalid")
      const noVersion = yield* Raw.request(url, "GET", "/me", { headers: { "intercom-version": null } })
      assert.strictEqual(noVersion.status, 200, "served with the default version, as Intercom does")
      assert.strictEqual((yield* m.counters.snapshot).missingVersion, 1)

      const body = { email: "dup@acme.example" }
      assert.strictEqual((yield* Raw.request(url, "POST", "/contacts", { body })).status, 200)
      const dup = yield* Raw.request(url, "POST", "/contacts", { body })
      assert.deepStrictEqual([dup.status, errorList(dup.json).errors[0]?.code], [409, "conflict"])
      const role = yield* Raw.request(url, "POST", "/contacts", { body: { email: "x@acme.example", role: "admin" } })
      assert.deepStrictEqual([role.status, errorList(role.json).errors[0]?.field], [422, "role"])

      const counters = yield* m.counters.snapshot
      assert.strictEqual(counters.responses[401], 2)
      assert.strictEqual(counters.responses[400], 4)
      // The same create body twice counts as a duplicate create, refused or not only once carried out.
      assert.deepStrictEqual([counters.creates, counters.duplicateCreates], [1, 0])
    }).pipe(Effect.provide(mock({ contacts: 5 })))
  )

  it.scopedLive("through the SDK: NotFound, Unauthorized, BadRequest, Conflict, UnprocessableEntity", () =>
    Effect.gen(function* () {
      const tagOf = <A, R>(effect: Effect.Effect<A, IntercomError.IntercomError, R>) =>
        Effect.map(Effect.flip(effect), (e) => e._tag)
      const contacts = yield* Contacts.Contacts
      const m = yield* MockIntercom.MockIntercom
      const seeded = m.state.contacts.values()[0]!
      assert.strictEqual(yield* tagOf(contacts.get("000000000000000000000000")), "NotFound")
      assert.strictEqual(yield* tagOf(Effect.flatMap(Companies.Companies, (c) => c.get("missing"))), "NotFound")
      assert.strictEqual(yield* tagOf(contacts.listPage({ starting_after: "not-a-cursor" })), "BadRequest")
      assert.strictEqual(yield* tagOf(contacts.create({ email: seeded.contact.email! })), "Conflict")
      assert.strictEqual(
        yield* tagOf(
          Effect.flatMap(Conversations.Conversations, (c) =>
            c.manage(m.state.conversations.values()[0]!.id, { message_type: "open", admin_id: "999999" })
          )
        ),
        "NotFound"
      )
      const lead = yield* contacts.create({ role: "lead", name: "L" })
      const unprocessable = yield* Effect.flip(contacts.merge({ from: seeded.id, into: lead.id }))
      assert.strictEqual(unprocessable._tag, "UnprocessableEntity")
      if (unprocessable._tag === "UnprocessableEntity") {
        assert.strictEqual(unprocessable.errors[0]?.code, "parameter_invalid")
        assert.match(unprocessable.requestId ?? "", /^mock-/)
      }
      const unauthorized = yield* tagOf(Effect.flatMap(Admins.Admins, (a) => a.me())).pipe(
        withServices,
        Effect.provide(mock({ contacts: 1, accessToken: `${token}-other` }))
      )
      assert.strictEqual(unauthorized, "Unauthorized")
    }).pipe(withServices, Effect.provide(mock({ contacts: 5 })))
  )

  it.scopedLive("admins.me, admins and teams", () =>
    Effect.gen(function* () {
      const teams = yield* Teams.Teams
      const listed = yield* teams.list()
      assert.deepStrictEqual(
        listed.teams.map((t) => t.name),
        ["Support", "Sales", "Success"]
      )
      assert.strictEqual((yield* teams.get(listed.teams[1]!.id)).name, "Sales")
      assert.strictEqual((yield* Effect.flip(teams.get("999")))._tag, "NotFound")
      const admins = yield* Admins.Admins
      const m = yield* MockIntercom.MockIntercom
      const me = yield* admins.me()
      assert.strictEqual(me.id, m.state.admins[0]!.id)
      assert.strictEqual(me.app?.timezone, "UTC")
      assert.strictEqual((yield* admins.list()).admins.length, 5)
      assert.strictEqual((yield* admins.get(m.state.admins[3]!.id)).name, m.state.admins[3]!.name)
      assert.strictEqual((yield* Effect.flip(admins.get("1234567")))._tag, "NotFound")
    }).pipe(withServices, Effect.provide(mock({ contacts: 1 })))
  )
})
