/**
 * Faults: with server errors, resets mid-body, truncated bodies, 429 bursts and latency, reads through the SDK still
 * return exactly the data (they are retried) and creates are never carried out twice (they are not). A client that
 * retries creates anyway is the control: the duplicate counter catches it.
 */
import { assert, describe, it } from "@effect/vitest"
import { IntercomClient } from "@intercom-effect/http"
import { CreateNoteRequest, Note } from "@intercom-effect/schemas"
import { Companies, Contacts, Conversations } from "@intercom-effect/services"
import { Chunk, Effect, Either, Stream } from "effect"
import { Faults, MockIntercom } from "../src/index.js"
import { mock, withServices } from "./utils/mock.js"

const faults: Faults.Options = {
  serverError: 0.12,
  reset: 0.08,
  truncate: 0.08,
  rateLimited: 0.02,
  burstLength: 2,
  latency: { min: "0 millis", max: "4 millis" }
}

const retry = { maxRetries: 10, baseDelay: "5 millis", maxDelay: "100 millis" } as const

const faulty = (options: MockIntercom.Options = {}) =>
  mock({
    seed: 9,
    contacts: 300,
    companies: 60,
    conversations: 20,
    faults,
    rateLimit: { limit: 10_000, window: "1 second" },
    ...options
  })

describe("faults", () => {
  it.scopedLive("reads through the SDK return exactly the data despite 5xx, resets and truncated bodies", () =>
    Effect.gen(function* () {
      const m = yield* MockIntercom.MockIntercom
      const contacts = yield* Contacts.Contacts
      const companies = yield* Companies.Companies
      const listed = yield* Stream.runCollect(contacts.list({ per_page: 20 }).items)
      assert.deepStrictEqual(
        Chunk.toReadonlyArray(listed).map((c) => c.id),
        m.state.contacts.values().map((r) => r.id)
      )
      const pages = yield* Stream.runCollect(companies.listAll({ order: "asc" }, { per_page: 10 }).items)
      assert.strictEqual(Chunk.size(pages), 60)
      for (const record of m.state.contacts.values().slice(0, 60)) {
        assert.strictEqual((yield* contacts.get(record.id)).email, record.contact.email ?? null)
      }
      const counters = yield* m.counters.snapshot
      assert.isAbove(counters.faults.serverErrors, 0)
      assert.isAbove(counters.faults.badGateways, 0)
      assert.isAbove(counters.faults.resets, 0)
      assert.isAbove(counters.faults.truncated, 0)
      assert.isAbove(counters.faults.rateLimited, 0)
      assert.isAbove(counters.faults.delayed, 0)
      assert.strictEqual(counters.creates, 0)
    }).pipe((effect) => withServices(effect, { retry }), Effect.provide(faulty()))
  )

  it.scopedLive("creates are never carried out twice, even when their answer is lost", () =>
    Effect.gen(function* () {
      const m = yield* MockIntercom.MockIntercom
      const contacts = yield* Contacts.Contacts
      const conversations = yield* Conversations.Conversations
      const targets = m.state.contacts.values().slice(0, 40)
      const results = yield* Effect.forEach(
        targets,
        (record, i) =>
          Effect.either(
            i % 2 === 0
              ? contacts.createNote(record.id, { body: `note ${i}` })
              : conversations.create({ from: { type: "contact", id: record.id }, body: `question ${i}` })
          ),
        { concurrency: 4 }
      )
      const succeeded = results.filter(Either.isRight).length
      const failures = results.filter(Either.isLeft).map((r) => r.left._tag)
      const counters = yield* m.counters.snapshot
      assert.strictEqual(counters.duplicateCreates, 0)
      // Some creates were carried out although the client saw a failure (502, reset, truncated body) ...
      assert.isAbove(counters.creates, succeeded)
      assert.isTrue(failures.every((tag) => ["ServerError", "TransportError", "IncompleteResponse"].includes(tag)))
      // ... and every create the server carried out is in the state, once.
      const notes = m.state.notes.size
      const created = m.state.conversations.size - 20
      assert.strictEqual(notes + created, counters.creates)
    }).pipe((effect) => withServices(effect, { retry }), Effect.provide(faulty()))
  )

  it.scopedLive("control: a client that retries creates makes duplicates, and the counter says so", () =>
    Effect.gen(function* () {
      const m = yield* MockIntercom.MockIntercom
      const client = yield* IntercomClient.IntercomClient
      const target = m.state.contacts.values()[0]!
      yield* Effect.forEach(
        Array.from({ length: 40 }, (_, i) => i),
        (i) =>
          Effect.either(
            client.request({
              method: "POST",
              path: `/contacts/${target.id}/notes`,
              body: IntercomClient.jsonBody(CreateNoteRequest, { body: `retried ${i}` }),
              response: Note,
              // Wrong on purpose: a create is not idempotent.
              idempotent: true
            })
          ),
        { concurrency: 4 }
      )
      const counters = yield* m.counters.snapshot
      assert.isAbove(counters.duplicateCreates, 0)
      assert.strictEqual(m.state.notes.size, counters.creates)
    }).pipe((effect) => withServices(effect, { retry }), Effect.provide(faulty()))
  )

  it("the same seed draws the same faults", () => {
    const draws = (seed: number) => {
      const plan = Faults.make(seed, faults)
      return Array.from({ length: 500 }, () => plan.unsafeNext().fault._tag).join(",")
    }
    assert.strictEqual(draws(3), draws(3))
    assert.notStrictEqual(draws(3), draws(4))
    const tags = draws(3).split(",")
    for (const tag of ["ServerError", "BadGateway", "Reset", "Truncate", "RateLimited", "None"]) {
      assert.include(tags, tag)
    }
    assert.isFalse(Faults.make(3).active)
  })
})
