import { assert, describe, it } from "@effect/vitest"
import { Chunk, Effect, FastCheck, Stream } from "effect"
import { items, styles } from "./fake.js"

describe("Paginate properties", () => {
  for (const style of styles) {
    it.effect.prop(
      `${style.name}: the pages concatenate to the source, in as many requests as pages`,
      {
        total: FastCheck.integer({ min: 0, max: 400 }),
        perPage: FastCheck.integer({ min: 1, max: 60 }),
        prefetch: FastCheck.integer({ min: 0, max: 3 })
      },
      ({ perPage, prefetch, total }) =>
        Effect.gen(function* () {
          const source = items(total)
          const fake = style.make(source, perPage)
          const pages = Chunk.toArray(yield* Stream.runCollect(fake.paginator({ prefetch }).pages))
          assert.deepStrictEqual(
            pages.flatMap((page) => page.items),
            [...source]
          )
          assert.strictEqual(fake.requests().length, style.requestsFor(total, perPage))
          assert.strictEqual(pages.length, fake.requests().length)
        }),
      { fastCheck: { numRuns: 100 } }
    )
  }
})
