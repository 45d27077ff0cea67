import { assert, describe, it } from "@effect/vitest"
import { DateTime, Effect, Either, FastCheck as fc } from "effect"
import * as SearchQuery from "../src/SearchQuery.js"

const at = (iso: string): number => Date.parse(iso) / 1000
const dublin = DateTime.zoneUnsafeMakeNamed("Europe/Dublin")
const newYork = DateTime.zoneUnsafeMakeNamed("America/New_York")

describe("SearchQuery.everything", () => {
  it("is one created_at filter from before the epoch, by default", () => {
    assert.deepStrictEqual(SearchQuery.everything(), { field: "created_at", operator: ">", value: -1 })
    assert.deepStrictEqual(SearchQuery.everything("updated_at"), { field: "updated_at", operator: ">", value: -1 })
  })

  it.effect("is a valid contacts search body (date fields take only = < >)", () =>
    Effect.gen(function* () {
      const body = yield* SearchQuery.contactsRequest(SearchQuery.everything(), { per_page: SearchQuery.maxPerPage })
      assert.deepStrictEqual(body.query, SearchQuery.everything())
    })
  )
})

describe("SearchQuery day math", () => {
  it("finds the midnight of a day in UTC and in other zones", () => {
    assert.strictEqual(SearchQuery.startOfDay(at("2026-03-10T23:59:59Z")), at("2026-03-10T00:00:00Z"))
    // Dublin is on UTC in winter, New York five hours behind: 03:00 UTC is still the 9th there.
    assert.strictEqual(SearchQuery.startOfDay(at("2026-01-10T03:00:00Z"), newYork), at("2026-01-09T05:00:00Z"))
    // In summer Dublin is an hour ahead: 23:30 UTC on the 9th is already the 10th.
    assert.strictEqual(SearchQuery.startOfDay(at("2026-07-09T23:30:00Z"), dublin), at("2026-07-09T23:00:00Z"))
  })

  it("counts days of 23 and 25 hours where clocks change", () => {
    const spring = at("2026-03-29T00:00:00Z")
    assert.strictEqual(SearchQuery.nextDay(spring, dublin) - spring, 23 * 3_600)
    const autumn = at("2026-10-24T23:00:00Z")
    assert.strictEqual(SearchQuery.nextDay(autumn, dublin) - autumn, 25 * 3_600)
  })

  it("rounds an end up to a midnight, and keeps a midnight", () => {
    assert.strictEqual(SearchQuery.ceilDay(at("2026-03-10T00:00:00Z")), at("2026-03-10T00:00:00Z"))
    assert.strictEqual(SearchQuery.ceilDay(at("2026-03-10T00:00:01Z")), at("2026-03-11T00:00:00Z"))
    assert.strictEqual(SearchQuery.ceilDay(at("2026-01-10T04:00:00Z"), newYork), at("2026-01-10T05:00:00Z"))
  })

  it("lands on a midnight at or before (start) and at or after (ceil) any instant, a day or less away", () => {
    const zones = [undefined, dublin, newYork, DateTime.zoneUnsafeMakeNamed("Asia/Kolkata")]
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_102_444_800 }), fc.constantFrom(...zones), (seconds, zone) => {
        const start = SearchQuery.startOfDay(seconds, zone)
        const ceil = SearchQuery.ceilDay(seconds, zone)
        assert.isTrue(start <= seconds && seconds - start < 25 * 3_600)
        assert.isTrue(ceil >= seconds && ceil - seconds < 25 * 3_600)
        assert.strictEqual(SearchQuery.startOfDay(start, zone), start)
        assert.strictEqual(SearchQuery.startOfDay(ceil, zone), ceil)
        assert.isTrue(ceil === seconds ? start === seconds : SearchQuery.nextDay(start, zone) === ceil)
      })
    )
  })
})

describe("SearchQuery.days", () => {
  it("turns two instants into the whole days that hold them", () => {
    assert.deepStrictEqual(
      SearchQuery.days("updated_at", { from: at("2026-03-10T13:00:00Z"), to: at("2026-03-12T08:00:00Z") }),
      SearchQuery.and(
        SearchQuery.field("updated_at").gt(at("2026-03-10T00:00:00Z") - 1),
        SearchQuery.field("updated_at").lt(at("2026-03-13T00:00:00Z"))
      )
    )
  })

  it("leaves a midnight end where it is, so the next range starts there without overlap", () => {
    const midnight = at("2026-03-12T00:00:00Z")
    assert.deepStrictEqual(
      SearchQuery.days("created_at", { to: midnight }),
      SearchQuery.field("created_at").lt(midnight)
    )
    assert.deepStrictEqual(
      SearchQuery.days("created_at", { from: midnight }),
      SearchQuery.field("created_at").gt(midnight - 1)
    )
  })

  it("counts days in the workspace's time zone", () => {
    // 02:00 UTC on 10 January is still the 9th in New York, whose 9th starts at 05:00 UTC.
    assert.deepStrictEqual(
      SearchQuery.days("created_at", { from: at("2026-01-10T02:00:00Z"), timeZone: newYork }),
      SearchQuery.field("created_at").gt(at("2026-01-09T05:00:00Z") - 1)
    )
  })

  it("is everything with both sides open", () => {
    assert.deepStrictEqual(SearchQuery.days("updated_at"), SearchQuery.everything("updated_at"))
    assert.deepStrictEqual(SearchQuery.days("updated_at", {}), SearchQuery.everything("updated_at"))
  })

  it.effect("makes valid contacts search bodies from any instants of the last and next decades", () =>
    Effect.sync(() =>
      fc.assert(
        fc.property(
          fc.option(fc.double({ min: 1e9, max: 2.2e9, noNaN: true }), { nil: undefined }),
          fc.option(fc.double({ min: 1e9, max: 2.2e9, noNaN: true }), { nil: undefined }),
          fc.constantFrom(undefined, dublin, newYork),
          (from, to, timeZone) => {
            const query = SearchQuery.days("created_at", { from, to, timeZone })
            assert.isTrue(Either.isRight(Effect.runSync(Effect.either(SearchQuery.contactsRequest(query)))))
          }
        )
      )
    )
  )

  it.effect("refuses, before sending, an instant that is no number of seconds", () =>
    Effect.gen(function* () {
      for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, 1e20]) {
        const query = SearchQuery.days("created_at", { from: bad })
        const result = yield* Effect.either(SearchQuery.contactsRequest(query))
        assert.isTrue(Either.isLeft(result), `from ${bad}`)
      }
      // Not a contact date: the integer check of the body schema still refuses NaN.
      const result = yield* Effect.either(SearchQuery.request(SearchQuery.days("state_changed_at", { to: Number.NaN })))
      assert.isTrue(Either.isLeft(result))
    })
  )
})
