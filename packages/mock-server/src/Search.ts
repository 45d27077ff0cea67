/**
 * The search DSL of `POST /contacts/search`, `/conversations/search` and `/tickets/search`, evaluated in memory:
 * filters `{field, operator, value}` with `= != IN NIN < > <= >= ~ !~ ^ $`, and `AND`/`OR` groups. Bodies are
 * checked with the SDK's own `SearchQuery` schemas first, so the mock refuses what Intercom refuses (a third level
 * of nesting, more than 15 filters in a group, `>=` on a contact date, ...).
 *
 * Semantics, where Intercom leaves them open:
 * - a field holds zero or more values (a contact's `tag_id` holds one per tag); `=`, `IN`, `<`, `~`, ... match when
 *   any value does, and their negations (`!=`, `NIN`, `!~`) when none does; an unset field equals `null`;
 * - `~ !~ ^ $` compare text case-insensitively;
 * - values of different primitive types compare by their text (`"42"` equals `42`), since ids travel as both;
 * - day fields (a contact's dates; a conversation's and a ticket's too in a living workspace) compare by calendar
 *   day in the workspace's timezone (UTC unless a living workspace names another): `>` starts at the next midnight,
 *   `<` ends at the previous one, `=` is the whole day, as Intercom does.
 *
 * @since 0.1.0
 */
import { SearchQuery } from "@intercom-effect/schemas"

/**
 * How a resource exposes its fields to a search.
 *
 * @since 0.1.0
 * @category models
 */
export interface Fields<R> {
  /** The values `field` holds on `record`: none when unset, several for a multi-valued field. */
  readonly values: (record: R, field: string) => ReadonlyArray<unknown>
  /** Fields compared by calendar day. */
  readonly days?: ReadonlySet<string> | undefined
}

/**
 * The values at a dotted path of a plain value (`custom_attributes.plan`, `source.author.email`); arrays on the way
 * are flattened.
 *
 * @since 0.1.0
 * @category fields
 */
export const path = (value: unknown, field: string): ReadonlyArray<unknown> => {
  let current: ReadonlyArray<unknown> = [value]
  for (const key of field.split(".")) {
    const next: Array<unknown> = []
    for (const v of current) {
      if (typeof v !== "object" || v === null || !Object.hasOwn(v, key)) continue
      const inner = (v as Record<string, unknown>)[key]
      if (Array.isArray(inner)) next.push(...inner)
      else next.push(inner)
    }
    current = next
  }
  return current.filter((v) => v !== undefined && v !== null)
}

const DAY = 86_400

/**
 * Calendar days in a timezone: `day` numbers the local calendar day a unix time falls on (days since 1970-01-01 in
 * that zone), so two times on the same local day get the same number and a later day a larger one.
 *
 * @since 0.2.0
 * @category models
 */
export interface Calendar {
  /** The IANA name, as `Intl` spells it (`UTC`, `Europe/Dublin`, ...). */
  readonly timezone: string
  readonly day: (unixSeconds: number) => number
}

// Zones move their offset only on quarter hours, so an offset found for one 15-minute span holds for all of it.
const QUARTER = 900
// The range of a JavaScript Date, in seconds: outside it `Intl` cannot name a day, and UTC days are used instead.
const DATE_LIMIT = 8.64e12

/**
 * The calendar of UTC days.
 *
 * @since 0.2.0
 * @category calendars
 */
export const utc: Calendar = { timezone: "UTC", day: (seconds) => Math.floor(seconds / DAY) }

/**
 * The canonical name of an IANA timezone (`europe/dublin` is `Europe/Dublin`), or undefined when `Intl` does not
 * know it.
 *
 * @since 0.2.0
 * @category calendars
 */
export const timezoneName = (timezone: string): string | undefined => {
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: timezone }).resolvedOptions().timeZone
  } catch {
    return undefined
  }
}

/**
 * The calendar of a timezone `Intl` knows (see {@link timezoneName}); offsets are looked up once per quarter hour
 * and kept, so a search over many records costs a map lookup per value.
 *
 * @since 0.2.0
 * @category calendars
 */
export const calendar = (timezone: string): Calendar => {
  if (timezone === "UTC") return utc
  const format = new Intl.DateTimeFormat("en-US", {
    timeZone: timezone,
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    hourCycle: "h23"
  })
  const offsets = new Map<number, number>()
  const offsetAt = (quarter: number): number => {
    const known = offsets.get(quarter)
    if (known !== undefined) return known
    const at = quarter * QUARTER
    const parts: Record<string, number> = {}
    for (const p of format.formatToParts(new Date(at * 1000))) parts[p.type] = Number(p.value)
    const local = Date.UTC(parts["year"]!, parts["month"]! - 1, parts["day"], parts["hour"], parts["minute"]) / 1000
    offsets.set(quarter, local - at)
    return local - at
  }
  return {
    timezone,
    day: (seconds) =>
      Math.abs(seconds) < DATE_LIMIT
        ? Math.floor((seconds + offsetAt(Math.floor(seconds / QUARTER))) / DAY)
        : Math.floor(seconds / DAY)
  }
}

const same = (a: unknown, b: unknown): boolean => {
  if (a === b) return true
  const primitive = (v: unknown) => typeof v === "string" || typeof v === "number" || typeof v === "boolean"
  return primitive(a) && primitive(b) && String(a) === String(b)
}

const text = (v: unknown): string | undefined =>
  typeof v === "string" ? v.toLowerCase() : typeof v === "number" ? String(v) : undefined

const number = (v: unknown): number | undefined =>
  typeof v === "number"
    ? v
    : typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))
      ? Number(v)
      : undefined

const filter = (f: SearchQuery.Filter, values: ReadonlyArray<unknown>, byDay: Calendar | undefined): boolean => {
  const value = f.value
  const key = (v: unknown) => {
    const n = number(v)
    return byDay !== undefined && n !== undefined ? byDay.day(n) : n
  }
  // Whether some value of the field, projected like the filter's value, passes `test` against it.
  const some = <T>(project: (v: unknown) => T | undefined, test: (a: T, b: T) => boolean) => {
    const b = project(value)
    if (b === undefined) return false
    return values.some((v) => {
      const a = project(v)
      return a !== undefined && test(a, b)
    })
  }
  const compare = (test: (a: number, b: number) => boolean) => some(key, test)
  const textTest = (test: (a: string, b: string) => boolean) => some(text, test)
  const equals = () =>
    value === null
      ? values.length === 0
      : byDay !== undefined
        ? compare((a, b) => a === b)
        : values.some((v) => same(v, value))
  switch (f.operator) {
    case "=":
      return equals()
    case "!=":
      return !equals()
    case "IN":
      return values.some((v) => (value as ReadonlyArray<unknown>).some((item) => same(v, item)))
    case "NIN":
      return !values.some((v) => (value as ReadonlyArray<unknown>).some((item) => same(v, item)))
    case "<":
      return compare((a, b) => a < b)
    case "<=":
      return compare((a, b) => a <= b)
    case ">":
      return compare((a, b) => a > b)
    case ">=":
      return compare((a, b) => a >= b)
    case "~":
      return textTest((a, b) => a.includes(b))
    case "!~":
      return !textTest((a, b) => a.includes(b))
    case "^":
      return textTest((a, b) => a.startsWith(b))
    case "$":
      return textTest((a, b) => a.endsWith(b))
  }
}

/**
 * Whether `record` matches `query`; day fields count days of `calendar` (UTC days unless given).
 *
 * @since 0.1.0
 * @category evaluation
 */
export const matches = <R>(
  query: SearchQuery.Query,
  record: R,
  fields: Fields<R>,
  calendar: Calendar = utc
): boolean => {
  if (SearchQuery.isGroup(query)) {
    return query.operator === "AND"
      ? query.value.every((member) => matches(member, record, fields, calendar))
      : query.value.some((member) => matches(member, record, fields, calendar))
  }
  const byDay = fields.days?.has(query.field) === true ? calendar : undefined
  return filter(query, fields.values(record, query.field), byDay)
}

/**
 * The results of recent searches per store, kept while the store is unchanged: a walk of N pages evaluates its query
 * once, not N times.
 *
 * @since 0.1.0
 * @category models
 */
export class Cache<R> {
  private readonly owners = new WeakMap<
    object,
    Map<string, { readonly version: number; readonly results: ReadonlyArray<R> }>
  >()

  constructor(private readonly size = 16) {}

  /** The cached results of `query` on `owner` at `version`, or `run()` (then cached). */
  get(owner: object, query: SearchQuery.Query, version: number, run: () => ReadonlyArray<R>): ReadonlyArray<R> {
    let entries = this.owners.get(owner)
    if (entries === undefined) this.owners.set(owner, (entries = new Map()))
    const key = JSON.stringify(query)
    const hit = entries.get(key)
    if (hit !== undefined && hit.version === version) return hit.results
    const results = run()
    entries.delete(key)
    entries.set(key, { version, results })
    if (entries.size > this.size) entries.delete(entries.keys().next().value!)
    return results
  }
}
