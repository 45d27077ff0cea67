/**
 * The living workspace: a clock of its own that only the test moves, seeded changes that are the same whatever steps
 * the clock takes, search as Intercom's (by day in the workspace's timezone, new records lagging), merged and
 * deleted records gone everywhere, conversations past 500 parts, and the snapshot a sync should end up with. The
 * control routes and the `Date` header over real sockets.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Either, TestClock } from "effect"
import { Living, MockIntercom, type Snapshot } from "../src/index.js"
import * as App from "./utils/app.js"
import { mock, token } from "./utils/mock.js"
import * as Raw from "./utils/raw.js"

const HOUR = 3_600_000
const MINUTE = 60_000
/** 2025-01-14T12:00:00Z */
const start = Date.UTC(2025, 0, 14, 12)

/** No change of any kind unless a test names its rate. */
const quiet: Partial<Record<Living.ChangeKind, number>> = Object.fromEntries(
  Living.changeKinds.map((kind) => [kind, 0])
)

/** Only the changes named, no long conversation growing. */
const only = (rates: Partial<Record<Living.ChangeKind, number>>): Living.Options => ({
  rates: { ...quiet, ...rates },
  longConversations: { count: 0 },
  searchLag: 0
})

const workspace = (living: Living.Options, sizes: Partial<MockIntercom.Options> = {}) =>
  MockIntercom.make({
    seed: 11,
    contacts: 300,
    companies: 15,
    conversations: 60,
    tickets: 10,
    accessToken: token,
    ...sizes,
    living: { start, ...living }
  })

type Mock = ReturnType<typeof MockIntercom.make>

/** Every result of a search, page after page. */
const searchAll = (m: Mock, path: string, query: unknown, key: string) =>
  Effect.gen(function* () {
    const ids: Array<string> = []
    let after: string | undefined
    do {
      const page = yield* App.call(m.app, path, "POST", {
        query,
        pagination: { per_page: 150, ...(after === undefined ? {} : { starting_after: after }) }
      })
      assert.strictEqual(page.status, 200, JSON.stringify(page.json))
      for (const item of page.json[key] as Array<{ id: string }>) ids.push(String(item.id))
      after = (page.json["pages"] as { next?: { starting_after?: string } | null }).next?.starting_after
    } while (after !== undefined)
    return ids
  })

/** Every contact `GET /contacts` lists. */
const listContacts = (m: Mock) =>
  Effect.gen(function* () {
    const ids: Array<string> = []
    let after: string | undefined
    do {
      const page = yield* App.call(
        m.app,
        `/contacts?per_page=150${after === undefined ? "" : `&starting_after=${encodeURIComponent(after)}`}`
      )
      for (const item of page.json["data"] as Array<{ id: string }>) ids.push(item.id)
      after = (page.json["pages"] as { next?: { starting_after?: string } | null }).next?.starting_after
    } while (after !== undefined)
    return ids
  })

const sorted = (ids: Iterable<string>) => [...ids].sort()

describe("living workspace", () => {
  it.effect("the same seed and the same time give the same workspace, whatever steps the clock took", () =>
    Effect.gen(function* () {
      const living: Living.Options = { searchLag: "3 minutes" }
      const twice = workspace(living)
      const first = yield* twice.advance("1 hour")
      const second = yield* twice.advance("1 hour")
      const once = workspace(living)
      const whole = yield* once.advance("2 hours")
      const expected = yield* once.snapshot
      assert.deepStrictEqual(yield* twice.snapshot, expected)
      assert.strictEqual(first.applied + second.applied, whole.applied)

      // Steps that cut through the hours anywhere, one of them a millisecond, end in the same state.
      const odd = workspace(living)
      for (const step of [1, 7 * MINUTE, 53 * MINUTE - 1, 1, 42 * MINUTE]) yield* odd.advance(step)
      yield* odd.advanceTo(start + 2 * HOUR)
      assert.deepStrictEqual(yield* odd.snapshot, expected)

      // The schedule says beforehand what the advance did; Effect's clock has no part in it.
      const config = Either.getOrThrow(Living.resolve({ start, ...living }))
      const due = Living.schedule(11, config, start, start + 2 * HOUR)
      assert.strictEqual(whole.applied + whole.skipped, due.length)
      assert.isAbove(whole.applied, 100)
      yield* TestClock.adjust("5 hours")
      assert.deepStrictEqual(yield* once.snapshot, expected)
      assert.strictEqual(yield* once.now, start + 2 * HOUR)

      // Each change carries its own time, not the time the clock was moved to.
      const changed = expected.contacts.map((c) => Number(c.updated_at)).filter((t) => t > start / 1000)
      const times = new Set(changed)
      assert.isAbove(times.size, 10)
      // Every one of them is the time of a scheduled change.
      assert.deepStrictEqual(
        [...times].filter((t) => !due.some((change) => change.at / 1000 === t)),
        []
      )

      // Another seed lives another life.
      const other = MockIntercom.make({ seed: 12, contacts: 300, companies: 15, conversations: 60, living: { start } })
      yield* other.advance("2 hours")
      assert.notDeepEqual(
        (yield* other.snapshot).contacts.map((c) => c.updated_at),
        expected.contacts.map((c) => c.updated_at)
      )
    })
  )

  it.effect("no seeded record carries a time after the start: a clock never runs backwards on a record", () =>
    Effect.gen(function* () {
      const snapshot = yield* workspace({}, { conversations: 400 }).snapshot
      const late: Array<string> = []
      const visit = (where: string, value: unknown): void => {
        if (value === null || typeof value !== "object") return
        for (const [key, inner] of Object.entries(value)) {
          // A snooze ends in the future by design; every other time is something that already happened.
          if (typeof inner === "number" && key.endsWith("_at") && inner > start / 1000) late.push(`${where}.${key}`)
          else visit(`${where}.${key}`, inner)
        }
      }
      for (const resource of ["contacts", "companies", "conversations", "tickets"] as const) {
        snapshot[resource].forEach((item, i) => visit(`${resource}[${i}]`, item))
      }
      assert.deepStrictEqual(late, [])
    })
  )

  it.effect("goes quiet after quietAfter: changes up to it are made, none after", () =>
    Effect.gen(function* () {
      const living: Living.Options = { rates: { ...quiet, "contacts.updated": 30 }, quietAfter: start + HOUR }
      const m = workspace(living)
      const before = yield* m.advance("1 hour")
      assert.isAbove(before.applied, 10)
      const after = yield* m.advance("5 hours")
      assert.strictEqual(after.applied + after.skipped, 0)
      const config = Either.getOrThrow(Living.resolve({ start, ...living }))
      assert.deepStrictEqual(Living.schedule(11, config, start + HOUR, start + 6 * HOUR), [])
      assert.isTrue(Either.isLeft(Living.resolve({ quietAfter: Number.NaN })))
    })
  )

  it.effect("a merged lead answers 404 and is gone from lists and searches; the user it went into moved", () =>
    Effect.gen(function* () {
      const m = workspace(only({ "contacts.merged": 3 }))
      const contactsBefore = m.state.contacts.size
      const advanced = yield* m.advance("2 hours")
      const snapshot = yield* m.snapshot
      assert.strictEqual(advanced.applied, 6)
      assert.strictEqual(snapshot.merged.length, 6)
      assert.sameMembers(
        [...snapshot.removed.contacts],
        snapshot.merged.map((merge) => merge.from)
      )
      assert.strictEqual(snapshot.contacts.length, contactsBefore - 6)

      const config = Either.getOrThrow(Living.resolve({ start, ...only({ "contacts.merged": 3 }) }))
      const mergedAt = Living.schedule(11, config, start, start + 2 * HOUR).map((change) => change.at / 1000)
      const listed = new Set(yield* listContacts(m))
      for (const { from, into } of snapshot.merged) {
        assert.strictEqual((yield* App.call(m.app, `/contacts/${from}`)).status, 404)
        assert.isFalse(listed.has(from))
        assert.isTrue(listed.has(into))
        const user = snapshot.contacts.find((c) => c.id === into)!
        assert.include(mergedAt, Number(user.updated_at))
      }
      const froms = snapshot.merged.map((merge) => merge.from)
      assert.deepStrictEqual(
        yield* searchAll(m, "/contacts/search", { field: "id", operator: "IN", value: froms }, "data"),
        []
      )
      const intos = [...new Set(snapshot.merged.map((merge) => merge.into))]
      assert.sameMembers(
        yield* searchAll(m, "/contacts/search", { field: "id", operator: "IN", value: intos }, "data"),
        intos
      )
    })
  )

  it.effect("a new contact and a new conversation stay out of search for the search lag, and nowhere else", () =>
    Effect.gen(function* () {
      const living: Living.Options = {
        ...only({ "contacts.created": 1, "conversations.created": 1 }),
        searchLag: "3 minutes"
      }
      const m = workspace(living)
      const config = Either.getOrThrow(Living.resolve({ start, ...living }))
      const due = Living.schedule(11, config, start, start + HOUR)
      const createdAt = (kind: Living.ChangeKind) => due.find((change) => change.kind === kind)!.at

      const contactAt = createdAt("contacts.created")
      yield* m.advanceTo(contactAt)
      const contact = m.state.contacts.values().at(-1)!
      assert.strictEqual(contact.contact.created_at * 1000, contactAt)
      const findContact = searchAll(m, "/contacts/search", { field: "id", operator: "=", value: contact.id }, "data")
      assert.deepStrictEqual(yield* findContact, [])
      assert.strictEqual((yield* App.call(m.app, `/contacts/${contact.id}`)).status, 200)
      assert.include(yield* listContacts(m), contact.id)
      // Effect's clock does not move the workspace's.
      yield* TestClock.adjust("1 hour")
      yield* m.advanceTo(contactAt + 3 * MINUTE - 1000)
      assert.deepStrictEqual(yield* findContact, [])
      yield* m.advanceTo(Math.max(m.state.clock!, contactAt + 3 * MINUTE))
      assert.deepStrictEqual(yield* findContact, [contact.id])

      const conversationAt = createdAt("conversations.created")
      yield* m.advanceTo(Math.max(m.state.clock!, conversationAt))
      const conversation = m.state.conversations.values().at(-1)!
      assert.strictEqual((conversation.conversation.created_at ?? 0) * 1000, conversationAt)
      const findConversation = searchAll(
        m,
        "/conversations/search",
        { field: "id", operator: "=", value: conversation.id },
        "conversations"
      )
      const visible = m.state.clock! >= conversationAt + 3 * MINUTE ? [conversation.id] : []
      assert.deepStrictEqual(yield* findConversation, visible)
      assert.strictEqual((yield* App.call(m.app, `/conversations/${conversation.id}`)).status, 200)
      yield* m.advanceTo(Math.max(m.state.clock!, conversationAt + 3 * MINUTE))
      assert.deepStrictEqual(yield* findConversation, [conversation.id])
    })
  )

  it.effect("dates match by calendar day in the workspace's timezone, around its midnight, in all three searches", () =>
    Effect.gen(function* () {
      // 22:30 in New York on January 14th (03:30 UTC on the 15th); New York's midnight is 05:00 UTC.
      const evening = Date.UTC(2025, 0, 15, 3, 30)
      const m = workspace({
        ...only({ "contacts.created": 20, "conversations.updated": 20, "tickets.created": 10, "tickets.updated": 10 }),
        start: evening,
        timezone: "America/New_York"
      })
      yield* m.advance("3 hours")
      const snapshot = yield* m.snapshot
      const me = yield* App.call(m.app, "/me")
      assert.strictEqual((me.json["app"] as { timezone: string }).timezone, "America/New_York")

      // In January New York is five hours behind UTC all day long.
      const newYorkDay = (seconds: number) => Math.floor((seconds - 5 * 3600) / 86_400)
      const utcDay = (seconds: number) => Math.floor(seconds / 86_400)
      const x = Date.UTC(2025, 0, 15, 4) / 1000 // 23:00 in New York on the 14th
      const expect = (
        records: ReadonlyArray<{ readonly id: string | number; readonly [k: string]: unknown }>,
        field: string,
        test: (day: number) => boolean
      ) => sorted(records.filter((r) => test(newYorkDay(r[field] as number))).map((r) => String(r.id)))

      const cases = [
        { path: "/contacts/search", key: "data", records: snapshot.contacts, field: "created_at" },
        { path: "/conversations/search", key: "conversations", records: snapshot.conversations, field: "updated_at" },
        { path: "/tickets/search", key: "tickets", records: snapshot.tickets, field: "updated_at" },
        { path: "/tickets/search", key: "tickets", records: snapshot.tickets, field: "created_at" }
      ]
      for (const { field, key, path, records } of cases) {
        const after = expect(records, field, (day) => day > newYorkDay(x))
        const same = expect(records, field, (day) => day === newYorkDay(x))
        const before = expect(records, field, (day) => day < newYorkDay(x))
        assert.isNotEmpty(after, `${path} ${field}: records after midnight`)
        assert.isNotEmpty(same, `${path} ${field}: records before midnight`)
        const search = (operator: string) => searchAll(m, path, { field, operator, value: x }, key)
        assert.deepStrictEqual(sorted(yield* search(">")), after, `${path} ${field} >`)
        assert.deepStrictEqual(sorted(yield* search("=")), same, `${path} ${field} =`)
        assert.deepStrictEqual(sorted(yield* search("<")), before, `${path} ${field} <`)
        // By UTC days these records would be on the same day as x: the timezone is what puts them after it.
        const sameUtcDay = records.filter(
          (r) => after.includes(String(r.id)) && utcDay(r[field] as number) === utcDay(x)
        )
        assert.isNotEmpty(sameUtcDay, `${path} ${field}: matched past New York's midnight, not UTC's`)
      }
    })
  )

  it.effect("a long conversation grows past 500 parts: GET sends the last 500, the snapshot all of them", () =>
    Effect.gen(function* () {
      const m = workspace({ ...only({}), longConversations: { count: 1, partsPerHour: 100 } })
      const [id] = m.workspace!.longConversations
      const before = m.state.conversations.get(id!)!.parts.length
      yield* m.advance("6 hours")
      const total = before + 600

      const got = yield* App.call(m.app, `/conversations/${id}`)
      const parts = got.json["conversation_parts"] as {
        conversation_parts: Array<{ id: string }>
        total_count: number
      }
      assert.strictEqual(parts.conversation_parts.length, 500)
      assert.strictEqual(parts.total_count, total)

      const whole = (yield* m.snapshot).conversations.find((c) => c.id === id)!
      const all = whole.conversation_parts!.conversation_parts!
      assert.strictEqual(all.length, total)
      assert.strictEqual(whole.conversation_parts!.total_count, total)
      assert.deepStrictEqual(
        parts.conversation_parts.map((p) => p.id),
        all.slice(-500).map((p) => p.id)
      )
      // A hundred parts an hour, each hour, and the conversation's updated_at follows the last one.
      const perHour = new Map<number, number>()
      for (const part of all.slice(before)) {
        const hour = Math.floor((Number(part.created_at) * 1000 - start) / HOUR)
        perHour.set(hour, (perHour.get(hour) ?? 0) + 1)
      }
      assert.deepStrictEqual([...perHour.values()], [100, 100, 100, 100, 100, 100])
      assert.strictEqual(whole.updated_at, all.at(-1)!.created_at)
    })
  )

  it.effect("deleted contacts, companies and conversations answer 404 and are in no list and no snapshot", () =>
    Effect.gen(function* () {
      const m = workspace(
        only({ "contacts.deleted": 3, "companies.created": 3, "companies.deleted": 3, "conversations.deleted": 3 })
      )
      yield* m.advance("4 hours")
      const snapshot: Snapshot.Snapshot = yield* m.snapshot
      const { companies, contacts, conversations } = snapshot.removed
      assert.isNotEmpty(contacts)
      assert.isNotEmpty(companies)
      assert.isNotEmpty(conversations)
      assert.deepStrictEqual(snapshot.merged, [])

      const listed = new Set(yield* listContacts(m))
      for (const id of contacts) {
        assert.strictEqual((yield* App.call(m.app, `/contacts/${id}`)).status, 404)
        assert.isFalse(listed.has(id))
      }
      for (const id of companies) assert.strictEqual((yield* App.call(m.app, `/companies/${id}`)).status, 404)
      for (const id of conversations) assert.strictEqual((yield* App.call(m.app, `/conversations/${id}`)).status, 404)
      const present = (records: ReadonlyArray<{ readonly id: string | number }>, gone: ReadonlyArray<string>) =>
        records.filter((r) => gone.includes(String(r.id)))
      assert.deepStrictEqual(present(snapshot.contacts, contacts), [])
      assert.deepStrictEqual(present(snapshot.companies, companies), [])
      assert.deepStrictEqual(present(snapshot.conversations, conversations), [])
      const conversationsListed = yield* App.call(m.app, "/conversations?per_page=150")
      const listedConversations = (conversationsListed.json["conversations"] as Array<{ id: string }>).map((c) => c.id)
      assert.deepStrictEqual(
        listedConversations.filter((id) => conversations.includes(id)),
        []
      )
    })
  )

  it.effect("a mock that is not living keeps Effect's clock and refuses to advance", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(start)
      const m = MockIntercom.make({ contacts: 5, accessToken: token })
      const refused = yield* Effect.flip(m.advance("1 hour"))
      assert.strictEqual(refused.reason, "NotLiving")
      assert.strictEqual((yield* App.call(m.app, "/__mock/advance", "POST", { ms: 1000 })).status, 409)
      assert.strictEqual(yield* m.now, start)
      const snapshot = yield* m.snapshot
      assert.strictEqual(snapshot.now, null)
      assert.strictEqual(snapshot.contacts.length, 5)
      const now = yield* App.call(m.app, "/__mock/now")
      assert.deepStrictEqual(now.json, {
        now: start,
        date: new Date(start).toISOString(),
        timezone: "UTC",
        living: false
      })
    })
  )

  it("refuses options it cannot run with, naming the option", () => {
    const refused = (options: Living.Options) => Either.flip(Living.resolve(options)).pipe(Either.getOrThrow)
    assert.strictEqual(refused({ timezone: "Mars/Olympus_Mons" }).option, "timezone")
    assert.strictEqual(refused({ rates: { "contacts.teleported": 1 } as never }).option, "rates")
    assert.strictEqual(refused({ rates: { "contacts.created": -1 } }).option, "rates")
    assert.strictEqual(refused({ start: Number.NaN }).option, "start")
    assert.strictEqual(refused({ longConversations: { partsPerHour: 101 } }).option, "longConversations.partsPerHour")
    assert.strictEqual(Either.getOrThrow(Living.resolve({ timezone: "europe/dublin" })).timezone, "Europe/Dublin")
    assert.throws(() => MockIntercom.make({ living: { timezone: "Nowhere" } }), /timezone/)
  })
})

describe("living workspace over HTTP", () => {
  it.scopedLive("control routes move and read the clock, snapshot and counters; every answer is dated by it", () =>
    Effect.gen(function* () {
      const m = yield* MockIntercom.MockIntercom
      const date = (response: Raw.RawResponse) => response.headers.get("date")

      const now = yield* Raw.request(m.url, "GET", "/__mock/now")
      assert.deepStrictEqual(now.json, {
        now: start,
        date: new Date(start).toISOString(),
        timezone: "Europe/Dublin",
        living: true
      })
      assert.strictEqual(date(now), "Tue, 14 Jan 2025 12:00:00 GMT")
      const me = yield* Raw.request(m.url, "GET", "/me")
      assert.deepStrictEqual([me.status, date(me)], [200, "Tue, 14 Jan 2025 12:00:00 GMT"])

      const advanced = yield* Raw.request(m.url, "POST", "/__mock/advance", { body: { ms: HOUR + 1500 } })
      assert.strictEqual(advanced.status, 200)
      const result = advanced.json as Living.Advanced
      assert.strictEqual(result.now, start + HOUR + 1500)
      assert.isAbove(result.applied, 0)
      assert.strictEqual(date(advanced), "Tue, 14 Jan 2025 13:00:01 GMT")
      const to = yield* Raw.request(m.url, "POST", "/__mock/advance", { body: { to: start + 2 * HOUR } })
      assert.strictEqual((to.json as Living.Advanced).now, start + 2 * HOUR)
      const contact = yield* Raw.request(m.url, "GET", `/contacts/${m.state.contacts.values()[0]!.id}`)
      assert.strictEqual(date(contact), "Tue, 14 Jan 2025 14:00:00 GMT")

      // Time does not go back, and a body that is neither form is refused; nothing moved.
      const back = yield* Raw.request(m.url, "POST", "/__mock/advance", { body: { to: start } })
      assert.strictEqual(back.status, 400)
      const negative = yield* Raw.request(m.url, "POST", "/__mock/advance", { body: { ms: -5 } })
      assert.strictEqual(negative.status, 400)
      const both = yield* Raw.request(m.url, "POST", "/__mock/advance", { body: { ms: 5, to: start } })
      assert.strictEqual(both.status, 400)
      assert.strictEqual(yield* m.now, start + 2 * HOUR)

      // The snapshot over HTTP is the one in process.
      const snapshot = yield* Raw.request(m.url, "GET", "/__mock/snapshot")
      assert.deepStrictEqual(snapshot.json, yield* m.snapshot)

      // Control routes need the token, and are neither rate-limited nor counted.
      const stranger = yield* Raw.request(m.url, "GET", "/__mock/now", { headers: { authorization: "Bearer nope" } })
      assert.strictEqual(stranger.status, 401)
      assert.strictEqual((yield* Raw.request(m.url, "GET", "/me")).status, 200)
      assert.strictEqual((yield* Raw.request(m.url, "GET", "/me")).status, 429)
      const counters = yield* Raw.request(m.url, "GET", "/__mock/counters")
      assert.strictEqual(counters.status, 200)
      assert.deepStrictEqual(
        [(counters.json as { requests: number }).requests, (counters.json as { responses: unknown }).responses],
        [4, { 200: 3, 429: 1 }]
      )
      const reset = yield* Raw.request(m.url, "POST", "/__mock/counters/reset")
      assert.strictEqual(reset.status, 204)
      assert.strictEqual((yield* m.counters.snapshot).requests, 0)
      assert.strictEqual((yield* Raw.request(m.url, "GET", "/__mock/nothing")).status, 404)
    }).pipe(
      Effect.provide(
        mock({
          seed: 5,
          contacts: 50,
          // Windows are aligned to the real clock: one this long is never crossed during the test.
          rateLimit: { limit: 3, window: "10000 days" },
          living: { start, timezone: "Europe/Dublin" }
        })
      )
    )
  )
})
