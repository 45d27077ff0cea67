import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { describe, expect, it } from "@effect/vitest"
import { IntercomConfig } from "@intercom-effect/http"
import { MockIntercom, Seed } from "@intercom-effect/mock-server"
import { Intercom } from "@intercom-effect/services"
import { Effect, Layer } from "effect"
import { Balance, Plan, Window } from "../src/index.js"

const DAY = 86_400
const at = (iso: string) => Date.parse(iso) / 1000
const now = at("2026-06-15T10:20:30Z")
const window = Plan.windowOf(null, now, Plan.defaults)

/** A count over items changed at `times`, as search answers it (before a day start), and how often it was asked. */
const counter = (times: ReadonlyArray<number>) => {
  let asked = 0
  const count: Balance.Count<never, never> = (to) =>
    Effect.sync(() => {
      asked++
      return to === null ? times.length : times.filter((t) => t < to).length
    })
  return { count, asked: () => asked }
}

/** How many of `times` each partition between `bounds` holds (the first open below, the last open above). */
const held = (bounds: ReadonlyArray<number>, times: ReadonlyArray<number>) =>
  bounds
    .slice(0, -1)
    .map(
      (from, i) => times.filter((t) => (i === 0 || t >= from) && (i === bounds.length - 2 || t < bounds[i + 1]!)).length
    )

/** `n` times spread over the `days` before `now`, deterministically. */
const recent = (n: number, days: number) => Array.from({ length: n }, (_, i) => now - ((i * 7919) % (days * DAY)))

describe("Balance", () => {
  it.effect("cuts fifteen years into parts of about as many items when all changed in the last two", () =>
    Effect.gen(function* () {
      const times = recent(6_000, 730)
      const { asked, count } = counter(times)
      const bounds = yield* Balance.bounds(count, { ...window, parts: 4, timeZone: "UTC" })
      expect(bounds).toHaveLength(5)
      expect(bounds[0]).toBe(window.first)
      expect(bounds[4]).toBe(window.end)
      for (let i = 1; i < bounds.length; i++) {
        expect(bounds[i]!).toBeGreaterThan(bounds[i - 1]!)
        expect(Window.startOfDay(bounds[i]!, "UTC")).toBe(bounds[i])
      }
      // Each part within a quarter of an even share (each of its two bounds within an eighth), and a day's items.
      for (const n of held(bounds, times)) expect(Math.abs(n - 1_500)).toBeLessThanOrEqual(1_500 / 4 + 20)
      // Even runs of days would have put every item in the last part.
      expect(held(Window.split(window.first, window.end, 4, "UTC"), times)).toEqual([0, 0, 0, 6_000])
      // A few questions per cut, not one per day of fifteen years.
      expect(asked()).toBeLessThanOrEqual(40)
    })
  )

  it.effect("keeps even runs of days after one question per cut when the items are spread evenly", () =>
    Effect.gen(function* () {
      const span = window.end - window.first
      const times = Array.from({ length: 6_000 }, (_, i) => window.first + Math.floor((i * span) / 6_000))
      const { asked, count } = counter(times)
      const even = Window.split(window.first, window.end, 4, "UTC")
      expect(yield* Balance.bounds(count, { ...window, parts: 4, timeZone: "UTC" })).toEqual(even)
      // The total, the window's first day, and the three even cuts.
      expect(asked()).toBe(5)
    })
  )

  it.effect(
    "gives even runs of days when there is nothing (or too little) to count, and one part when asked for one",
    () =>
      Effect.gen(function* () {
        const none = counter([])
        expect(yield* Balance.bounds(none.count, { ...window, parts: 4, timeZone: "UTC" })).toEqual(
          Window.split(window.first, window.end, 4, "UTC")
        )
        const one = counter(recent(100, 10))
        expect(yield* Balance.bounds(one.count, { ...window, parts: 1, timeZone: "UTC" })).toEqual([
          window.first,
          window.end
        ])
        expect(one.asked()).toBe(0)
        // No more than `least`: the total is asked, and the days stay even.
        const few = counter(recent(100, 10))
        expect(yield* Balance.bounds(few.count, { ...window, parts: 4, timeZone: "UTC", least: 100 })).toEqual(
          Window.split(window.first, window.end, 4, "UTC")
        )
        expect(few.asked()).toBe(1)
        expect(yield* Balance.bounds(few.count, { ...window, parts: 4, timeZone: "UTC", least: 99 })).not.toEqual(
          Window.split(window.first, window.end, 4, "UTC")
        )
      })
  )

  it.effect("does not split a day: items all changed on one day make fewer parts, none empty by construction", () =>
    Effect.gen(function* () {
      const day = Window.startOfDay(now, "UTC") - 40 * DAY
      const times = Array.from({ length: 500 }, (_, i) => day + i)
      const bounds = yield* Balance.bounds(counter(times).count, { ...window, parts: 4, timeZone: "UTC" })
      expect(bounds.length).toBeLessThan(5)
      expect(new Set(bounds).size).toBe(bounds.length)
      expect(held(bounds, times).reduce((a, b) => a + b, 0)).toBe(500)
      expect(Math.max(...held(bounds, times))).toBe(500)
    })
  )

  it("makes a plan whose first window is cut at the given bounds, its keys numbered by them", () => {
    const bounds = [window.first, at("2025-01-01T00:00:00Z"), at("2026-01-01T00:00:00Z"), window.end]
    const plan = Plan.make("run-1", { ...Plan.defaults, partitions: 4 }, { syncedUntil: {}, reconciledAt: null }, now, {
      contacts: bounds
    })
    const contacts = plan.partitions.filter((p) => p.resource === "contacts")
    expect(contacts.map((p) => [p.key, p.from, p.to])).toEqual([
      ["contacts:1/3", null, bounds[1]],
      ["contacts:2/3", bounds[1], bounds[2]],
      ["contacts:3/3", bounds[2], null]
    ])
    // Resources without bounds keep even runs of days.
    expect(plan.partitions.filter((p) => p.resource === "tickets")).toHaveLength(4)
  })
})

describe("Balance.searchCount", () => {
  // The mock's workspace, generated here too, so what search should count is known (its days are UTC days).
  const data = Seed.make({ seed: 41, contacts: 150, companies: 1, conversations: 0, tickets: 30 })
  const token = "balance-test-token"
  const ServicesLive = Layer.unwrapScoped(
    Effect.map(MockIntercom.MockIntercom, (mock) =>
      Intercom.layer.pipe(Layer.provide(IntercomConfig.layer({ accessToken: token, baseUrl: mock.url })))
    )
  ).pipe(Layer.provide(MockIntercom.layer({ data, accessToken: token })), Layer.provide(NodeHttpClient.layerUndici))

  it.live("reads total_count from a one-item search page: every item, and those changed before a day", () =>
    Effect.gen(function* () {
      for (const [resource, times] of [
        ["contacts", data.contacts.map((c) => c.contact.updated_at)],
        ["tickets", (data.tickets ?? []).map((t) => t.updated_at ?? Number.NaN)]
      ] as const) {
        const count = Balance.searchCount(resource, "UTC")
        expect(yield* count(null)).toBe(times.length)
        const sorted = [...times].sort((x, y) => x - y)
        for (const day of [sorted[Math.floor(sorted.length / 3)]!, sorted[Math.floor(sorted.length / 2)]!]) {
          const to = Window.startOfDay(day, "UTC")
          const before = times.filter((t) => t < to).length
          expect(before).toBeGreaterThan(0)
          expect(yield* count(to)).toBe(before)
        }
      }
    }).pipe(Effect.provide(ServicesLive))
  )
})
