/**
 * Streams 1,000,000 synthetic items through `Paginate.cursor(...).items` and reports heap use.
 *
 *   pnpm --filter @intercom-effect/bench memory:pagination -- [items] [perPage]
 *
 * Exits non-zero when the live heap (sampled after a forced collection every 100,000 items) grows more than 50 MB over
 * its starting point: the walk must hold no more than a page or two at a time, whatever the total.
 */
import { Effect, Option, Stream } from "effect"
import { Paginate, type Position } from "@intercom-effect/pagination"

const TOTAL = Number(process.argv[2] ?? 1_000_000)
const PER_PAGE = Number(process.argv[3] ?? 150)
const LIMIT_MB = 50

const gc: () => void =
  typeof globalThis.gc === "function"
    ? globalThis.gc
    : () => {
        throw new Error("run with node --expose-gc")
      }
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`

interface Contact {
  readonly type: "contact"
  readonly id: string
  readonly email: string
  readonly created_at: number
}

// A page the size and shape of a real contacts page, built on demand so the source itself costs no memory.
const fetch = (position: Option.Option<Position.Cursor>) =>
  Effect.sync(() => {
    const offset = Option.getOrElse(
      Option.map(position, (c) => Number(c.startingAfter)),
      () => 0
    )
    const end = Math.min(offset + PER_PAGE, TOTAL)
    const data: Array<Contact> = []
    for (let i = offset; i < end; i++) {
      data.push({ type: "contact", id: `c${i}`, email: `user${i}@example.com`, created_at: 1_700_000_000 + i })
    }
    return {
      type: "list" as const,
      data,
      pages: {
        type: "pages" as const,
        page: offset / PER_PAGE + 1,
        per_page: PER_PAGE,
        total_pages: Math.ceil(TOTAL / PER_PAGE),
        next: end < TOTAL ? { per_page: PER_PAGE, starting_after: String(end) } : null
      }
    }
  })

gc()
const before = process.memoryUsage().heapUsed
// Two peaks: `live` is sampled right after a forced collection, so it is what the walk actually holds (a leak or a
// walk that kept its items would show here); `raw` is sampled without one and also counts garbage V8 has not yet
// bothered to collect, which depends on V8's heuristics more than on this code.
let live = before
let raw = before
let count = 0
let checksum = 0

await Effect.runPromise(
  Paginate.cursor(fetch, { getItems: (page) => page.data }).items.pipe(
    Stream.runForEach((contact) =>
      Effect.sync(() => {
        count++
        checksum += contact.created_at % 7
        if (count % 10_000 === 0) raw = Math.max(raw, process.memoryUsage().heapUsed)
        if (count % 100_000 === 0) {
          gc()
          live = Math.max(live, process.memoryUsage().heapUsed)
        }
      })
    )
  )
)

raw = Math.max(raw, process.memoryUsage().heapUsed)
gc()
const after = process.memoryUsage().heapUsed
const growth = live - before

console.log(`items streamed: ${count.toLocaleString("en-US")} (pages of ${PER_PAGE}, checksum ${checksum})`)
console.log(`heap before: ${mb(before)}`)
console.log(`heap peak:   ${mb(live)} live during the walk (growth ${mb(growth)}, limit ${LIMIT_MB} MB)`)
console.log(`             ${mb(raw)} including uncollected garbage (growth ${mb(raw - before)}, not asserted)`)
console.log(`heap after:  ${mb(after)}  (retained ${mb(after - before)} after gc)`)

if (count !== TOTAL) {
  console.error(`expected ${TOTAL} items, got ${count}`)
  process.exit(1)
}
if (growth > LIMIT_MB * 1024 * 1024) {
  console.error(`heap grew by ${mb(growth)}, over the ${LIMIT_MB} MB bound`)
  process.exit(1)
}
