/**
 * Day arithmetic in the workspace's timezone, and the `updated_at` searches of a window.
 *
 * Intercom's search compares dates by calendar day in the workspace's timezone: `> t` starts at the midnight after
 * `t`'s day, `< t` ends at the midnight that starts `t`'s day. So a window can only be asked for in whole days, and a
 * sync that wants "everything changed since its last run" must start at the day its last run ended in (the overlap),
 * or it skips the rest of that day.
 *
 * @since 0.1.0
 */
import { SearchQuery } from "@intercom-effect/schemas"
import { DateTime, Option } from "effect"

const HOUR = 3_600
const DAY = 86_400

/**
 * Whether `timeZone` is an IANA name this runtime knows (`UTC`, `Europe/Dublin`, ...).
 *
 * @since 0.1.0
 * @category timezones
 */
export const isTimeZone = (timeZone: string): boolean => Option.isSome(DateTime.zoneMakeNamed(timeZone))

/**
 * The start of the calendar day holding `seconds` (unix seconds), in `timeZone`.
 *
 * @since 0.1.0
 * @category days
 */
export const startOfDay = (seconds: number, timeZone: string): number => {
  const zone = Option.getOrElse(DateTime.zoneMakeNamed(timeZone), () => DateTime.zoneMakeOffset(0))
  const zoned = DateTime.unsafeMakeZoned(seconds * 1000, { timeZone: zone })
  return Math.floor(DateTime.toEpochMillis(DateTime.startOf(zoned, "day")) / 1000)
}

/**
 * The start of the day after the day that starts at `dayStart`. A day lasts 23 to 25 hours where clocks change, so
 * 26 hours on always lands inside the next day.
 *
 * @since 0.1.0
 * @category days
 */
export const nextDay = (dayStart: number, timeZone: string): number => startOfDay(dayStart + 26 * HOUR, timeZone)

/**
 * The day starts from `from` up to (not including) `to`, both day starts.
 *
 * @since 0.1.0
 * @category days
 */
export const daysBetween = (from: number, to: number, timeZone: string): Array<number> => {
  const days: Array<number> = []
  for (let day = from; day < to; day = nextDay(day, timeZone)) days.push(day)
  return days
}

/**
 * Splits the days from `first` up to `end` (both day starts, `end` excluded) into at most `count` runs of whole days,
 * as even as whole days allow: the day starts that bound the runs, `first` first (one more than there are runs).
 *
 * @since 0.1.0
 * @category days
 */
export const split = (first: number, end: number, count: number, timeZone: string): Array<number> => {
  // Days are 23 to 25 hours long, so counting them by 24 hours and finding each boundary from noon of its day
  // lands on the right midnight without walking fifteen years of days one by one.
  const days = Math.max(1, Math.round((end - first) / DAY))
  const n = Math.max(1, Math.min(count, days))
  return Array.from({ length: n + 1 }, (_, i) =>
    startOfDay(first + Math.round((days * i) / n) * DAY + DAY / 2, timeZone)
  )
}

/**
 * Where the next window starts: the day holding `previousUntil - searchLag`.
 *
 * Two things push it back from the previous window's end. Search matches whole days, so the rest of the previous
 * window's last day must be searched again. And a new item reaches search some minutes after it was made: an item
 * made just before the previous window ended may have been invisible then, so the next window must reach back at
 * least as far as that lag, which matters when the previous window ended just after a midnight.
 *
 * @since 0.1.0
 * @category windows
 */
export const nextSince = (previousUntil: number, searchLagSeconds: number, timeZone: string): number =>
  startOfDay(previousUntil - Math.max(0, searchLagSeconds), timeZone)

/**
 * The search for items whose `field` falls on the days from `from` (a day start, inclusive) to `to` (a day start,
 * exclusive); `null` leaves that side open, both `null` is everything.
 *
 * `> from - 1` is the day before `from`, so it matches from `from`'s midnight on; `< to` ends before `to`'s day.
 * On plain timestamps (where an endpoint compares exactly) the same bounds mean the same thing.
 *
 * @since 0.1.0
 * @category windows
 */
export const query = (field: string, from: number | null, to: number | null): SearchQuery.Query => {
  const f = SearchQuery.field(field)
  const lower = f.gt(from === null ? 0 : from - 1)
  return to === null ? lower : SearchQuery.and(lower, f.lt(to))
}
