/**
 * Data events, tickets and the data export through the SDK's services.
 */
import { assert, describe, it } from "@effect/vitest"
import { SearchQuery, type Ticket } from "@intercom-effect/schemas"
import { DataEvents, DataExport, Tickets } from "@intercom-effect/services"
import { Chunk, Clock, Effect, Stream } from "effect"
import { gunzipSync } from "node:zlib"
import { MockIntercom } from "../src/index.js"
import { columns } from "../src/routes/DataExport.js"
import { mock, withServices } from "./utils/mock.js"

const nowSeconds = Effect.map(Clock.currentTimeMillis, (ms) => Math.floor(ms / 1000))

describe("data events", () => {
  it.scopedLive("create (202, no body) and list a contact's events across pages of next URLs", () =>
    Effect.gen(function* () {
      const events = yield* DataEvents.DataEvents
      const m = yield* MockIntercom.MockIntercom
      const user = m.state.contacts.values((r) => r.contact.external_id != null)[0]!
      const now = yield* nowSeconds
      for (let i = 0; i < 12; i++) {
        yield* events.create({
          event_name: i % 2 === 0 ? "invited-friend" : "ordered",
          created_at: now - 100 + i,
          user_id: user.contact.external_id!,
          metadata: { order: i }
        })
      }
      yield* events.create({ event_name: "old", created_at: now - 100 * 86_400, id: user.id })
      const before = (yield* m.counters.snapshot).requests
      const listed = yield* Stream.runCollect(
        events.list({ type: "user", filter: { intercom_user_id: user.id } }).items
      )
      // Newest first, the event older than 90 days left out, in one page of 50.
      assert.deepStrictEqual(
        Chunk.toReadonlyArray(listed).map((e) => e.metadata?.["order"]),
        [11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0]
      )
      assert.strictEqual((yield* m.counters.snapshot).requests - before, 1)
      const first = yield* events.listPage({ type: "user", filter: { email: user.contact.email! } })
      assert.strictEqual(first.type, "event.list")
      const summary = yield* events.listPage({
        type: "user",
        filter: { user_id: user.contact.external_id! },
        summary: true
      })
      assert.strictEqual(summary.type, "event.summary")
      if (summary.type === "event.summary") {
        assert.sameDeepMembers(
          (summary.events ?? []).map((e) => [e.name, e.count]),
          [
            ["invited-friend", 6],
            ["ordered", 6]
          ]
        )
      }
      assert.strictEqual(
        (yield* Effect.flip(events.create({ event_name: "x", created_at: now, email: "nobody@x.example" })))._tag,
        "NotFound"
      )
    }).pipe(withServices, Effect.provide(mock({ contacts: 10 })))
  )

  it.scopedLive("the next URL walks a long list page by page", () =>
    Effect.gen(function* () {
      const m = yield* MockIntercom.MockIntercom
      const user = m.state.contacts.values()[0]!
      const now = yield* nowSeconds
      for (let i = 0; i < 120; i++) {
        m.state.addEvent(user.id, {
          type: "event",
          id: `e${i}`,
          event_name: "seen",
          created_at: now - i,
          intercom_user_id: user.id
        })
      }
      const before = (yield* m.counters.snapshot).requests
      const listed = yield* Effect.flatMap(DataEvents.DataEvents, (events) =>
        Stream.runCollect(events.list({ type: "user", filter: { intercom_user_id: user.id } }).items)
      )
      assert.strictEqual(Chunk.size(listed), 120)
      assert.strictEqual(new Set(Chunk.toReadonlyArray(listed).map((e) => e.id)).size, 120)
      assert.strictEqual((yield* m.counters.snapshot).requests - before, 3)
    }).pipe(withServices, Effect.provide(mock({ contacts: 3 })))
  )
})

describe("tickets", () => {
  it.scopedLive("create, get and search", () =>
    Effect.gen(function* () {
      const tickets = yield* Tickets.Tickets
      const m = yield* MockIntercom.MockIntercom
      const users = m.state.contacts.values((r) => r.contact.external_id != null && r.contact.email != null)
      const created: Array<Ticket> = []
      for (let i = 0; i < 9; i++) {
        const user = users[i]!
        created.push(
          yield* tickets.create({
            ticket_type_id: i % 3 === 0 ? "2" : "1",
            contacts: i % 2 === 0 ? [{ id: user.id }] : [{ email: user.contact.email! }],
            ticket_attributes: { _default_title_: `Ticket ${i}`, priority: i }
          })
        )
      }
      const one = yield* tickets.get(created[4]!.id)
      assert.deepStrictEqual(
        [one.ticket_state, one.ticket_type?.name, one.contacts?.contacts?.[0]?.id],
        ["submitted", "Bug report", users[4]!.id]
      )
      yield* tickets.update(created[1]!.id, { state: "resolved", open: false })

      const query = SearchQuery.and(SearchQuery.field("ticket_type_id").eq("1"), SearchQuery.field("open").eq(true))
      const found = yield* Stream.runCollect(tickets.search(query, { per_page: 2 }).items)
      assert.deepStrictEqual(
        Chunk.toReadonlyArray(found).map((t) => t.id),
        [2, 4, 5, 7, 8].map((i) => created[i]!.id)
      )
      const titled = yield* Stream.runCollect(tickets.search(SearchQuery.field("title").endsWith("3")).items)
      assert.deepStrictEqual(
        Chunk.toReadonlyArray(titled).map((t) => t.id),
        [created[3]!.id]
      )
      assert.strictEqual((yield* Effect.flip(tickets.get("424242")))._tag, "NotFound")
      const badType = yield* Effect.flip(tickets.create({ ticket_type_id: "99", contacts: [{ id: users[0]!.id }] }))
      assert.strictEqual(badType._tag, "NotFound")
    }).pipe(withServices, Effect.provide(mock({ contacts: 40 })))
  )
})

describe("data export", () => {
  it.scopedLive("pending, in progress, then completed on demand; one job at a time; download a gzipped CSV", () =>
    Effect.gen(function* () {
      const exports = yield* DataExport.DataExport
      const m = yield* MockIntercom.MockIntercom
      const contacts = m.state.contacts.values()
      const after = contacts[100]!.contact.created_at
      const before = contacts[399]!.contact.created_at
      const inRange = contacts.filter((r) => r.contact.created_at >= after && r.contact.created_at <= before)

      const job = yield* exports.create({ created_at_after: after, created_at_before: before })
      assert.strictEqual(job.status, "pending")
      const second = yield* Effect.flip(exports.create({ created_at_after: after, created_at_before: before }))
      assert.strictEqual(second._tag, "RateLimited")
      if (second._tag === "RateLimited") assert.isFalse(second.transient, "waiting does not lift it")
      assert.strictEqual((yield* Effect.flip(Stream.runDrain(exports.download(job.job_identifier!))))._tag, "NotFound")

      yield* Effect.sleep("400 millis")
      assert.strictEqual((yield* exports.get(job.job_identifier!)).status, "in_progress")
      yield* m.completeExports
      const done = yield* exports.get(job.job_identifier!)
      assert.strictEqual(done.status, "completed")
      assert.match(done.download_url ?? "", /\/download\/content\/data\//)

      const bytes = yield* Stream.runFold(exports.download(job.job_identifier!), Buffer.alloc(0), (acc, chunk) =>
        Buffer.concat([acc, chunk])
      )
      const lines = gunzipSync(bytes).toString("utf8").trimEnd().split("\n")
      assert.deepStrictEqual(lines[0]!.split(","), [...columns])
      const rows = lines.slice(1).map((line) => Object.fromEntries(line.split(",").map((v, i) => [columns[i], v])))
      assert.strictEqual(rows.length, inRange.length)
      assert.deepStrictEqual(
        rows.map((r) => [r["user_id"], r["email"], Number(r["received_at"])]),
        inRange.map((r) => [r.id, r.contact.email ?? "", r.contact.created_at + 60])
      )

      // Cancel a job, and finish another on demand.
      const next = yield* exports.create({ created_at_after: after, created_at_before: before })
      assert.strictEqual((yield* exports.cancel(next.job_identifier!)).status, "canceled")
      const third = yield* exports.create({ created_at_after: after, created_at_before: before })
      yield* m.completeExports
      assert.strictEqual((yield* exports.get(third.job_identifier!)).status, "completed")
      const empty = yield* exports.create({ created_at_after: 1, created_at_before: 2 })
      yield* m.completeExports
      assert.strictEqual((yield* exports.get(empty.job_identifier!)).status, "no_data")
    }).pipe(
      withServices,
      Effect.provide(
        mock({
          contacts: 600,
          exports: { pending: "200 millis", running: "1 minute" },
          // The SDK's gate holds every call until the window's reset after any 429, the pending-export one too:
          // a short window keeps that wait short.
          rateLimit: { limit: 1000, window: "1 second" }
        })
      )
    )
  )
})
