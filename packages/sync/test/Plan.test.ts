import { describe, expect, it } from "@effect/vitest"
import { Plan, Window } from "../src/index.js"

const at = (iso: string) => Date.parse(iso) / 1000
const now = at("2026-06-15T10:20:30Z")
const fresh: Plan.History = { syncedUntil: {}, reconciledAt: null }

describe("Plan", () => {
  it("plans a first run over everything, its partitions contiguous whole days, open at both ends", () => {
    const plan = Plan.make("run-1", { ...Plan.defaults, partitions: 5 }, fresh, now)
    expect(plan.full).toBe(true)
    expect(plan.reconcile).toBe(false)
    expect(plan.until).toBe(now)
    const contacts = plan.partitions.filter((p) => p.resource === "contacts")
    expect(contacts.map((p) => p.key)).toEqual([
      "contacts:1/5",
      "contacts:2/5",
      "contacts:3/5",
      "contacts:4/5",
      "contacts:5/5"
    ])
    expect(contacts[0]!.from).toBeNull()
    expect(contacts[4]!.to).toBeNull()
    for (let i = 1; i < contacts.length; i++) {
      expect(contacts[i]!.from).toBe(contacts[i - 1]!.to)
      expect(Window.startOfDay(contacts[i]!.from!, "UTC")).toBe(contacts[i]!.from)
    }
    expect(plan.partitions.filter((p) => p.resource === "companies")).toHaveLength(1)
  })

  it("starts an incremental window on the last window's day, less the search lag, and splits no more than its days", () => {
    const history: Plan.History = {
      syncedUntil: { contacts: at("2026-06-14T00:05:00Z"), tickets: at("2026-06-15T09:00:00Z") },
      reconciledAt: at("2026-06-15T00:00:00Z")
    }
    const plan = Plan.make(
      "run-2",
      { ...Plan.defaults, partitions: 4, resources: ["contacts", "tickets"] },
      history,
      now
    )
    const contacts = plan.partitions.filter((p) => p.resource === "contacts")
    // 00:05 less 30 minutes is the 13th: three days (13, 14, 15), so three partitions.
    expect(contacts.map((p) => [p.from, p.to])).toEqual([
      [at("2026-06-13T00:00:00Z"), at("2026-06-14T00:00:00Z")],
      [at("2026-06-14T00:00:00Z"), at("2026-06-15T00:00:00Z")],
      [at("2026-06-15T00:00:00Z"), null]
    ])
    expect(plan.partitions.filter((p) => p.resource === "tickets").map((p) => [p.from, p.to])).toEqual([
      [at("2026-06-15T00:00:00Z"), null]
    ])
    expect(plan.full).toBe(false)
    expect(plan.reconcile).toBe(false)
  })

  it("reconciles when the last reconciliation is old enough", () => {
    const history: Plan.History = { syncedUntil: { contacts: now - 600 }, reconciledAt: now - 86_400 }
    expect(Plan.make("r", Plan.defaults, history, now).reconcile).toBe(true)
    expect(Plan.make("r", Plan.defaults, { ...history, reconciledAt: now - 86_399 }, now).reconcile).toBe(false)
    expect(
      Plan.make("r", { ...Plan.defaults, reconcileEvery: 0 }, { ...history, reconciledAt: now }, now).reconcile
    ).toBe(true)
  })

  it("names every option that differs from a stored plan", () => {
    const plan = Plan.make("run-1", { ...Plan.defaults, partitions: 4 }, fresh, now)
    expect(Plan.differences(plan, { ...Plan.defaults, partitions: 4 })).toEqual([])
    expect(
      Plan.differences(plan, {
        ...Plan.defaults,
        partitions: 2,
        perPage: 50,
        timeZone: "Europe/Dublin",
        resources: ["contacts"]
      })
    ).toEqual([
      "resources contacts (stored: companies,contacts,conversations,tickets)",
      "timezone Europe/Dublin (stored: UTC)",
      "per page 50 (stored: 150)",
      "partitions 2 (stored: 4)"
    ])
  })
})
