/**
 * Day arithmetic in the workspace's timezone for planning windows; the searches of a window are
 * `SearchQuery.days` of @intercom-effect/schemas, which holds the day math itself.
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

const DAY = 86_400

/**
 * Whether `timeZone` is an IANA name this runtime knows (`UTC`, `Europe/Dublin`, ...).
 *
 * @since 0.1.0
 * @category timezones
 */
export const isTimeZone = (timeZone: string): boolean => Option.isSome(DateTime.zoneMakeNamed(timeZone))

/**
 * The time zone named `timeZone`, or UTC when this runtime does not know the name (a plan's zone was checked with
 * {@link isTimeZone} when the plan was made).
 *
 * @since 0.2.0
 * @category timezones
 */
export const zone = (timeZone: string): DateTime.TimeZone =>
  Option.getOrElse(DateTime.zoneMakeNamed(timeZone), () => DateTime.zoneMakeOffset(0))

/**
 * The start of the calendar day holding `seconds` (unix seconds), in `timeZone` (`SearchQuery.startOfDay` by name).
 *
 * @since 0.1.0
 * @category days
 */
export const startOfDay = (seconds: number, timeZone: string): number => SearchQuery.startOfDay(seconds, zone(timeZone))

/**
 * The start of the day after the day that starts at `dayStart` (`SearchQuery.nextDay` by name).
 *
 * @since 0.1.0
 * @category days
 */
export const nextDay = (dayStart: number, timeZone: string): number => SearchQuery.nextDay(dayStart, zone(timeZone))

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
