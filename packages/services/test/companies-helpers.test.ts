/**
 * `Companies.findByCompanyId` and `Companies.upsert` against the mock Intercom: Intercom's own upsert by
 * `company_id` leaves one company however many writers race, a lookup reads the bare company real Intercom sends as
 * well as the mock's list of one, and an empty `company_id` is refused before anything is sent.
 */
import { assert, describe, it } from "@effect/vitest"
import { IntercomError } from "@intercom-effect/http"
import { Effect, Option } from "effect"
import { type Mock, type Rewrite, withMock } from "./utils/mock.js"
import { type All, withServices } from "./utils/services.js"

const fibers = 8

const run = <A, E>(f: (mock: Mock, services: All) => Effect.Effect<A, E>, rewrite?: Rewrite) =>
  withMock(
    { seed: 18, contacts: 10, companies: 12, conversations: 2 },
    (mock) => withServices(mock.url, (services) => f(mock, services)),
    rewrite
  )

/** GET /companies?company_id=... answered as Intercom does: the company itself, not a list of it. */
const bareCompany =
  (answered: { count: number }): Rewrite =>
  (request, status, body) => {
    if (request.method !== "GET" || request.path !== "/companies" || !request.query.has("company_id") || status !== 200)
      return undefined
    answered.count++
    return (body as { data: ReadonlyArray<unknown> }).data[0]
  }

describe("Companies helpers", () => {
  it.live("findByCompanyId finds the company with that company_id, and none for an unknown one", () =>
    run((mock, { Companies }) =>
      Effect.gen(function* () {
        const seeded = mock.state.companies.values()[4]!
        const found = yield* Companies.findByCompanyId(seeded.company.company_id!)
        assert.strictEqual(Option.getOrThrow(found).id, seeded.id)
        assert.isTrue(Option.isNone(yield* Companies.findByCompanyId("no-such-company")))
        const before = (yield* mock.counters.snapshot).requests
        const error = yield* Effect.flip(Companies.findByCompanyId(""))
        assert.isTrue(error instanceof IntercomError.InvalidRequest)
        assert.strictEqual((yield* mock.counters.snapshot).requests, before)
      })
    )
  )

  it.live("findByCompanyId reads the bare company Intercom answers with", () => {
    const answered = { count: 0 }
    return run(
      (mock, { Companies }) =>
        Effect.gen(function* () {
          const seeded = mock.state.companies.values()[2]!
          const found = yield* Companies.findByCompanyId(seeded.company.company_id!)
          assert.strictEqual(Option.getOrThrow(found).id, seeded.id)
          assert.strictEqual(answered.count, 1)
        }),
      bareCompany(answered)
    )
  })

  it.live(`${fibers} fibers upserting one company_id leave one company`, () =>
    run((mock, { Companies }) =>
      Effect.gen(function* () {
        const before = mock.state.companies.values().length
        const results = yield* Effect.all(
          Array.from({ length: fibers }, (_, i) => Companies.upsert({ company_id: "race-co", name: `writer ${i}` })),
          { concurrency: "unbounded" }
        )
        assert.strictEqual(new Set(results.map((c) => c.id)).size, 1)
        assert.strictEqual(mock.state.companies.values().length, before + 1)
        assert.strictEqual(mock.state.companies.values().filter((r) => r.company.company_id === "race-co").length, 1)
        const error = yield* Effect.flip(Companies.upsert({ company_id: " ", name: "blank" }))
        assert.isTrue(error instanceof IntercomError.InvalidRequest)
      })
    )
  )
})
