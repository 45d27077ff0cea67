import { describe, expect, it } from "@effect/vitest"
import { Window } from "../src/index.js"

const at = (iso: string) => Date.parse(iso) / 1000

describe("Window", () => {
  it("starts days at the timezone's midnight", () => {
    expect(Window.startOfDay(at("2026-03-10T23:59:59Z"), "UTC")).toBe(at("2026-03-10T00:00:00Z"))
    // 01:30 in Dublin on 10 March (GMT) is 01:30 UTC; 23:30 UTC on 9 March is still the 9th there.
    expect(Window.startOfDay(at("2026-03-10T01:30:00Z"), "Europe/Dublin")).toBe(at("2026-03-10T00:00:00Z"))
    // New York is UTC-5 in winter: 03:00 UTC on the 10th is 22:00 on the 9th there.
    expect(Window.startOfDay(at("2026-01-10T03:00:00Z"), "America/New_York")).toBe(at("2026-01-09T05:00:00Z"))
  })

  it("counts days of 23 and 25 hours where clocks change", () => {
    // Dublin springs forward on 29 March 2026 (23 hours) and falls back on 25 October (25 hours).
    const spring = at("2026-03-29T00:00:00Z")
    expect(Window.nextDay(spring, "Europe/Dublin") - spring).toBe(23 * 3600)
    const autumn = at("2026-10-24T23:00:00Z")
    expect(Window.nextDay(autumn, "Europe/Dublin") - autumn).toBe(25 * 3600)
    expect(Window.daysBetween(spring, at("2026-04-01T23:00:00Z"), "Europe/Dublin")).toHaveLength(4)
  })

  it("splits days into runs of whole days, as even as they allow, across a clock change", () => {
    // Dublin changes clocks on 29 March 2026 at 01:00 UTC: the days from 27 March to 3 April are 7, one of 23 hours.
    const first = at("2026-03-27T00:00:00Z")
    const end = at("2026-04-02T23:00:00Z")
    expect(Window.split(first, end, 3, "Europe/Dublin")).toEqual([
      first,
      at("2026-03-29T00:00:00Z"),
      at("2026-03-31T23:00:00Z"),
      end
    ])
    // Never more runs than days, and never none.
    expect(Window.split(first, first + 2 * 86_400, 5, "UTC")).toEqual([first, first + 86_400, first + 2 * 86_400])
    expect(Window.split(first, first, 5, "UTC")).toHaveLength(2)
  })

  it("starts the next window on the day the last one ended in, reaching back by the search lag", () => {
    expect(Window.nextSince(at("2026-05-05T13:00:00Z"), 1800, "UTC")).toBe(at("2026-05-05T00:00:00Z"))
    // Ended 10 minutes after midnight: an item made at 23:55 may still have been invisible, so the day before too.
    expect(Window.nextSince(at("2026-05-05T00:10:00Z"), 1800, "UTC")).toBe(at("2026-05-04T00:00:00Z"))
  })

  it("knows the runtime's time zones, and reads an unknown name as UTC", () => {
    expect(Window.isTimeZone("Europe/Dublin")).toBe(true)
    expect(Window.isTimeZone("Mars/Olympus")).toBe(false)
    expect(Window.startOfDay(at("2026-05-05T13:00:00Z"), "Mars/Olympus")).toBe(at("2026-05-05T00:00:00Z"))
  })
})
