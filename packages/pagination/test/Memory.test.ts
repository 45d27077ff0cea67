import { assert, describe, it } from "@effect/vitest"
import { Effect, Option, Stream } from "effect"
import { setFlagsFromString } from "node:v8"
import { runInNewContext } from "node:vm"
import { Paginate, type Position } from "../src/index.js"

// Vitest workers run without --expose-gc; this makes `gc` reachable without touching the shared config.
setFlagsFromString("--expose-gc")
const gc = runInNewContext("gc") as () => void

const TOTAL = 1_000_000
const PER_PAGE = 500
const MB = 1024 * 1024

describe("memory", () => {
  it.effect(
    "streams 1,000,000 items with bounded heap growth",
    () =>
      Effect.gen(function* () {
        const fetch = (position: Option.Option<Position.Cursor>) =>
          Effect.sync(() => {
            const offset = Option.getOrElse(
              Option.map(position, (c) => Number(c.startingAfter)),
              () => 0
            )
            const end = Math.min(offset + PER_PAGE, TOTAL)
            return {
              data: Array.from({ length: end - offset }, (_, i) => ({ id: offset + i, email: `u${offset + i}@x.io` })),
              pages: { next: end < TOTAL ? { starting_after: String(end) } : null }
            }
          })
        gc()
        const before = process.memoryUsage().heapUsed
        let peak = before
        let count = 0
        yield* Paginate.cursor(fetch, { getItems: (page) => page.data }).items.pipe(
          Stream.runForEach(() =>
            Effect.sync(() => {
              // Sampled after a forced collection: what the walk holds, not garbage V8 has yet to reclaim.
              if (++count % 100_000 === 0) {
                gc()
                peak = Math.max(peak, process.memoryUsage().heapUsed)
              }
            })
          )
        )
        const growth = (peak - before) / MB
        // eslint-disable-next-line no-console -- the figure is the point of this test
        console.log(`1,000,000 items: heap ${(before / MB).toFixed(1)} MB before, growth ${growth.toFixed(1)} MB`)
        assert.strictEqual(count, TOTAL)
        assert.isBelow(growth, 50)
      }),
    120_000
  )
})
