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

    it.effect.prop(
      `${style.name}: the items of any walk, or of any take, are the source's, at no more than prefetch pages extra`,
      {
        total: FastCheck.integer({ min: 0, max: 400 }),
        perPage: FastCheck.integer({ min: 1, max: 60 }),
        prefetch: FastCheck.integer({ min: 0, max: 3 }),
        prefetchAfter: FastCheck.double({ min: 0, max: 1, noNaN: true }),
        take: FastCheck.integer({ min: 0, max: 450 })
      },
      ({ perPage, prefetch, prefetchAfter, take, total }) =>
        Effect.gen(function* () {
          const source = items(total)
          const whole = style.make(source, perPage)
          const walked = Chunk.toArray(yield* Stream.runCollect(whole.paginator({ prefetch, prefetchAfter }).items))
          assert.deepStrictEqual(walked, [...source])
          assert.strictEqual(whole.requests().length, style.requestsFor(total, perPage))

          const part = style.make(source, perPage)
          const taken = yield* Stream.runCollect(
            part.paginator({ prefetch, prefetchAfter }).items.pipe(Stream.take(take))
          )
          assert.deepStrictEqual(Chunk.toArray(taken), source.slice(0, take))
          // The pages holding the items taken; taking more than there are walks to the end (scroll's empty page too).
          const all = style.requestsFor(total, perPage)
          const needed = take > total ? all : Math.ceil(take / perPage)
          const requests = part.requests().length
          assert.isAtLeast(requests, needed)
          assert.isAtMost(requests, Math.min(needed + prefetch, all))
        }),
      { fastCheck: { numRuns: 100 } }
    )
  }
})
