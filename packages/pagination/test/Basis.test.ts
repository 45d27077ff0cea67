/**
 * A position carries what it means only for its own walk (page size, query fingerprint), and a walk can tell a start
 * of another basis; positions saved before they carried one still decode. And the walk's counts: whatever a `number`
 * admits for `maxItems`, `maxPages` and `prefetch` ends the walk or bounds it, never in a defect.
 */
import { assert, describe, it } from "@effect/vitest"
import { Chunk, Effect, Exit, Option, Stream } from "effect"
import { Paginate, Position } from "../src/index.js"

interface Response {
  readonly data: ReadonlyArray<number>
  readonly pages: { readonly page: number; readonly total_pages: number }
}

/** Five pages of two items; records the positions it is asked for. */
const fake = () => {
  const asked: Array<Option.Option<Position.PageNumber>> = []
  const fetch = (position: Option.Option<Position.PageNumber>) =>
    Effect.sync((): Response => {
      asked.push(position)
      const page = Option.match(position, { onNone: () => 1, onSome: (p) => p.page })
      return { data: [2 * page - 1, 2 * page], pages: { page, total_pages: 5 } }
    })
  return { asked, fetch }
}

describe("Position basis", () => {
  const query = Position.fingerprint({ name: "Acme" })
  const basis: Position.Basis = { perPage: 2, query }

  it.effect("a page-number walk with a basis stamps it on every position it hands out", () =>
    Effect.gen(function* () {
      const { fetch } = fake()
      const pages = yield* Stream.runCollect(
        Paginate.pageNumber(fetch, { getItems: (r) => r.data, basis, maxPages: 3 }).pages
      )
      const nexts = Chunk.toReadonlyArray(pages).map((p) => Option.getOrThrow(p.next))
      assert.deepStrictEqual(nexts, [
        { _tag: "PageNumber", page: 2, perPage: 2, query },
        { _tag: "PageNumber", page: 3, perPage: 2, query },
        { _tag: "PageNumber", page: 4, perPage: 2, query }
      ])
    })
  )

  it.effect("a cursor walk stamps the query only; a walk without a basis stamps nothing", () =>
    Effect.gen(function* () {
      const fetch = () => Effect.succeed({ data: [1], pages: { next: { starting_after: "x" } } })
      const stamped = yield* Stream.runCollect(
        Paginate.cursor(fetch, { getItems: (r) => r.data, basis, maxPages: 1 }).pages
      )
      assert.deepStrictEqual(Option.getOrThrow(Chunk.unsafeHead(stamped).next), {
        _tag: "Cursor",
        startingAfter: "x",
        query
      })
      const plain = yield* Stream.runCollect(Paginate.cursor(fetch, { getItems: (r) => r.data, maxPages: 1 }).pages)
      assert.deepStrictEqual(Option.getOrThrow(Chunk.unsafeHead(plain).next), Position.cursor("x"))
    })
  )

  it("mismatch: same basis resumes; another page size, another query or none at all does not", () => {
    const at = (perPage: number | undefined, query: string | undefined) =>
      Position.withBasis(Position.pageNumber(3), { perPage, query })
    assert.isUndefined(Position.mismatch(at(2, basis.query), basis))
    assert.strictEqual(Position.mismatch(at(3, basis.query), basis)?.field, "perPage")
    assert.strictEqual(Position.mismatch(at(2, Position.fingerprint({ name: "Other" })), basis)?.field, "query")
    // Saved before positions carried their basis: refused, and the message says why.
    const old = Position.mismatch(Position.pageNumber(3), basis)
    assert.strictEqual(old?.field, "perPage")
    assert.include(old?.message ?? "", "default page size")
    assert.include(Position.mismatch(at(2, undefined), basis)?.message ?? "", "carries no fingerprint")
    // A walk on the API's default page size and no query takes an old position as it always did.
    assert.isUndefined(Position.mismatch(Position.pageNumber(3), {}))
    // Scroll handles and next URLs hold their query themselves.
    assert.isUndefined(Position.mismatch(Position.scroll("s"), basis))
    assert.isUndefined(Position.mismatch(Position.nextUrl("https://x/events?next=1"), basis))
  })

  it.effect("positions with a basis round-trip through JSON, and old ones still decode", () =>
    Effect.gen(function* () {
      const stamped = Position.withBasis(Position.pageNumber(4), basis)
      assert.deepStrictEqual(yield* Position.fromJson(Position.toJson(stamped)), stamped)
      assert.deepStrictEqual(yield* Position.fromJson('{"_tag":"PageNumber","page":4}'), Position.pageNumber(4))
      assert.deepStrictEqual(yield* Position.fromJson('{"_tag":"Cursor","startingAfter":"a"}'), Position.cursor("a"))
      for (const bad of [
        '{"_tag":"PageNumber","page":4,"perPage":0}',
        '{"_tag":"Cursor","startingAfter":"a","query":""}'
      ]) {
        assert.isTrue(Exit.isFailure(yield* Effect.exit(Position.fromJson(bad))), bad)
      }
    })
  )

  it("fingerprint: equal for equal values whatever the key order, different otherwise, never throws", () => {
    assert.strictEqual(Position.fingerprint({ a: 1, b: [1, "x"] }), Position.fingerprint({ b: [1, "x"], a: 1 }))
    assert.notStrictEqual(Position.fingerprint({ a: 1 }), Position.fingerprint({ a: 2 }))
    assert.notStrictEqual(Position.fingerprint({ a: "1" }), Position.fingerprint({ a: 1 }))
    assert.strictEqual(Position.fingerprint({ a: 1, b: undefined }), Position.fingerprint({ a: 1 }))
    assert.match(Position.fingerprint(undefined), /^[0-9a-f]{16}$/)
    const cyclic: Record<string, unknown> = {}
    cyclic["self"] = cyclic
    const throwing = Object.defineProperty({}, "x", {
      enumerable: true,
      get: () => {
        throw new Error("no")
      }
    })
    for (const odd of [cyclic, 10n, NaN, () => 1, Symbol("s"), throwing]) {
      assert.match(Position.fingerprint(odd), /^[0-9a-f]{16}$/)
    }
  })
})

describe("walk counts whatever a number admits", () => {
  const walk = (options: { maxItems?: number; maxPages?: number; prefetch?: number }) =>
    Effect.gen(function* () {
      const { asked, fetch } = fake()
      const paginator = Paginate.pageNumber(fetch, { getItems: (r) => r.data, ...options })
      const items = yield* Stream.runCollect(Stream.take(paginator.items, 100))
      const pages = yield* Stream.runCollect(Stream.take(paginator.pages, 100))
      return { items: Chunk.toReadonlyArray(items), pages: Chunk.size(pages), asked: asked.length }
    })

  it.effect("fractions round down; NaN and negatives fetch nothing; Infinity is no limit", () =>
    Effect.gen(function* () {
      assert.deepStrictEqual((yield* walk({ maxItems: 3.7 })).items, [1, 2, 3])
      assert.strictEqual((yield* walk({ maxPages: 2.5 })).pages, 2)
      for (const none of [NaN, -1, 0.5, -Infinity]) {
        const result = yield* walk({ maxItems: none })
        assert.deepStrictEqual([result.items.length, result.pages, result.asked], [0, 0, 0], String(none))
      }
      assert.strictEqual((yield* walk({ maxItems: Infinity, maxPages: Infinity })).items.length, 10)
    })
  )

  it.effect("prefetch: huge values are bounded, invalid ones fetch on demand, and the walk stays exact", () =>
    Effect.gen(function* () {
      for (const prefetch of [2 ** 53, 1e9, Infinity, NaN, -3, 2.5]) {
        const result = yield* walk({ prefetch })
        assert.deepStrictEqual(result.items, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], String(prefetch))
      }
    })
  )
})
