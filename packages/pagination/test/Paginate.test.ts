import { assert, describe, it } from "@effect/vitest"
import { Chunk, Deferred, Effect, Option, type ParseResult, Schedule, Schema, Stream } from "effect"
import { Paginate, Position } from "../src/index.js"
import {
  type Fake,
  items,
  PageError,
  type SearchBody,
  searchWith,
  type Style,
  styles,
  withStartingAfter
} from "./fake.js"

const PER_PAGE = 5
const SIZES = [0, 1, PER_PAGE - 1, PER_PAGE, PER_PAGE + 1, 10 * PER_PAGE] as const

const collect = <A, E, R>(stream: Stream.Stream<A, E, R>): Effect.Effect<Array<A>, E, R> =>
  Effect.map(Stream.runCollect(stream), Chunk.toArray)

/** Lets every other fiber (a prefetching producer in particular) run as far as it can. */
const settle = Effect.repeatN(Effect.yieldNow(), 100)

const suite = <P extends Position.Position>(style: Style<P>): void => {
  describe(style.name, () => {
    for (const size of SIZES) {
      for (const prefetch of [0, 1, 3]) {
        it.effect(`${size} items, prefetch ${prefetch}: exact items and requests`, () =>
          Effect.gen(function* () {
            const source = items(size)
            const fake = style.make(source, PER_PAGE)
            const walked = yield* collect(fake.paginator({ prefetch }).items)
            assert.deepStrictEqual(walked, source)
            // The end comes from the metadata, so prefetching never buys a request past it.
            assert.strictEqual(fake.requests().length, style.requestsFor(size, PER_PAGE))
          })
        )
      }

      it.effect(`${size} items: pages chain their positions`, () =>
        Effect.gen(function* () {
          const source = items(size)
          const fake = style.make(source, PER_PAGE)
          const pages = yield* collect(fake.paginator().pages)
          assert.deepStrictEqual(
            pages.flatMap((p) => p.items),
            source
          )
          assert.strictEqual(pages.length, style.requestsFor(size, PER_PAGE))
          pages.forEach((page, i) => {
            assert.deepStrictEqual(page.position, i === 0 ? Option.none() : pages[i - 1]!.next)
            assert.strictEqual(Option.isNone(page.next), i === pages.length - 1)
          })
          assert.deepStrictEqual(
            fake.requests(),
            pages.map((p) => p.position)
          )
        })
      )
    }

    it.effect("resuming after page k yields exactly the items after page k", () =>
      Effect.gen(function* () {
        const source = items(4 * PER_PAGE + 2)
        const pages = yield* collect(style.make(source, PER_PAGE).paginator().pages)
        let seen = 0
        for (const page of pages) {
          seen += page.items.length
          if (Option.isNone(page.next)) continue
          // Go through JSON as a caller persisting the position would.
          const restored = yield* Position.fromJson(Position.toJson(page.next.value))
          const fake = style.make(source, PER_PAGE)
          const rest = yield* collect(fake.paginator({ start: restored as P }).items)
          assert.deepStrictEqual(rest, source.slice(seen))
          assert.deepStrictEqual(fake.requests()[0], Option.some(page.next.value))
        }
      })
    )

    it.effect("take(3) on 150-item pages makes exactly 1 request without prefetch", () =>
      Effect.gen(function* () {
        const fake = style.make(items(450), 150)
        const taken = yield* collect(fake.paginator({ prefetch: 0 }).items.pipe(Stream.take(3)))
        assert.deepStrictEqual(taken, items(3))
        yield* settle
        assert.strictEqual(fake.requests().length, 1)
      })
    )

    for (const prefetch of [undefined, 1, 2]) {
      it.effect(`take(3) on 150-item pages makes exactly 1 request with prefetch ${prefetch ?? "by default"}`, () =>
        Effect.gen(function* () {
          const fake = style.make(items(450), 150)
          const taken = yield* collect(fake.paginator({ prefetch }).items.pipe(Stream.take(3)))
          assert.deepStrictEqual(taken, items(3))
          yield* settle
          assert.strictEqual(fake.requests().length, 1)
        })
      )
    }

    it.effect("take(1) on the pages stream makes exactly 1 request without prefetch", () =>
      Effect.gen(function* () {
        const fake = style.make(items(450), 150)
        const taken = yield* collect(fake.paginator({ prefetch: 0 }).pages.pipe(Stream.take(1)))
        assert.deepStrictEqual(
          taken.flatMap((page) => page.items),
          items(150)
        )
        yield* settle
        assert.strictEqual(fake.requests().length, 1)
      })
    )

    for (const prefetch of [0, 1, 2]) {
      for (const prefetchAfter of [undefined, 0, 0.2, 1]) {
        it.effect(
          `prefetch ${prefetch} after ${prefetchAfter ?? "0.5"}: a slow consumer has exactly the allowed pages fetched`,
          () =>
            Effect.gen(function* () {
              const total = 4 * PER_PAGE + 2
              const fake = style.make(items(total), PER_PAGE)
              // What the rule allows while the consumer holds `id`: page `k` plus `prefetch` more once it is past the
              // threshold of page `k`, or past that of page `k - 1` before (and only page 1 before page 1's threshold).
              const allowed = (id: number): number => {
                const k = Math.floor(id / PER_PAGE) + 1
                const size = Math.min(PER_PAGE, total - (k - 1) * PER_PAGE)
                const past = id % PER_PAGE >= Math.ceil(size * (prefetchAfter ?? 0.5))
                const pages = past ? k + prefetch : k === 1 ? 1 : Math.max(k, k - 1 + prefetch)
                return Math.min(pages, style.requestsFor(total, PER_PAGE))
              }
              const seen: Array<number> = []
              yield* fake.paginator({ prefetch, prefetchAfter }).items.pipe(
                Stream.runForEach(() =>
                  Effect.zipRight(
                    settle,
                    Effect.sync(() => seen.push(fake.requests().length))
                  )
                )
              )
              assert.deepStrictEqual(
                seen,
                items(total).map(({ id }) => allowed(id))
              )
              assert.strictEqual(fake.requests().length, style.requestsFor(total, PER_PAGE))
            })
        )
      }
    }

    for (const prefetch of [0, 1, 2]) {
      it.effect(`prefetch ${prefetch}: a busy consumer of page 1 has ${1 + prefetch} pages fetched`, () =>
        Effect.gen(function* () {
          const fake: Fake<P> = style.make(items(10 * PER_PAGE), PER_PAGE)
          const seen: Array<number> = []
          yield* fake.paginator({ prefetch }).pages.pipe(
            Stream.take(1),
            Stream.runForEach(() =>
              Effect.zipRight(
                settle,
                Effect.sync(() => seen.push(fake.requests().length))
              )
            )
          )
          assert.deepStrictEqual(seen, [1 + prefetch])
        })
      )
    }

    it.effect("building a paginator fetches nothing; each run fetches afresh", () =>
      Effect.gen(function* () {
        const fake = style.make(items(10), PER_PAGE)
        const stream = fake.paginator({ prefetch: 2 }).items
        yield* settle
        assert.strictEqual(fake.requests().length, 0)
        yield* collect(stream)
        yield* collect(stream)
        assert.strictEqual(fake.requests().length, 2 * style.requestsFor(10, PER_PAGE))
      })
    )

    it.effect("maxPages stops after that many pages", () =>
      Effect.gen(function* () {
        const fake = style.make(items(10 * PER_PAGE), PER_PAGE)
        const pages = yield* collect(fake.paginator({ maxPages: 3 }).pages)
        assert.strictEqual(pages.length, 3)
        assert.strictEqual(fake.requests().length, 3)
        // The limit is ours, not the API's: the last page still knows where to resume.
        assert.isTrue(Option.isSome(pages[2]!.next))
      })
    )

    it.effect("maxItems yields exactly that many items and fetches only the pages holding them", () =>
      Effect.gen(function* () {
        const fake = style.make(items(10 * PER_PAGE), PER_PAGE)
        const taken = yield* collect(fake.paginator({ maxItems: 2 * PER_PAGE + 1 }).items)
        assert.deepStrictEqual(taken, items(2 * PER_PAGE + 1))
        assert.strictEqual(fake.requests().length, 3)
        const none = style.make(items(10), PER_PAGE)
        assert.deepStrictEqual(yield* collect(none.paginator({ maxItems: 0 }).items), [])
        assert.strictEqual(none.requests().length, 0)
      })
    )

    it.effect("a page error reaches the consumer typed, after the pages before it", () =>
      Effect.gen(function* () {
        const fake = style.make(items(3 * PER_PAGE), PER_PAGE, (call) => call === 1)
        const seen: Array<number> = []
        const error = yield* fake.paginator().items.pipe(
          Stream.runForEach((item) => Effect.sync(() => seen.push(item.id))),
          Effect.flip
        )
        assert.instanceOf(error, PageError)
        assert.strictEqual(error.call, 1)
        assert.deepStrictEqual(seen, [0, 1, 2, 3, 4])
      })
    )

    it.effect("a page failing once under a retry policy is fetched again, alone", () =>
      Effect.gen(function* () {
        const source = items(3 * PER_PAGE)
        const fake = style.make(source, PER_PAGE, (call) => call === 1)
        const walked = yield* collect(fake.paginator({ retry: Schedule.recurs(2) }).items)
        assert.deepStrictEqual(walked, source)
        const requests = fake.requests()
        assert.strictEqual(requests.length, style.requestsFor(source.length, PER_PAGE) + 1)
        // Page 1 once, page 2 twice (the failure and its retry), then onwards: no restart.
        assert.deepStrictEqual(requests[0], Option.none())
        assert.deepStrictEqual(requests[1], requests[2])
        assert.notDeepEqual(requests[2], requests[3])
      })
    )

    it.effect("leaves the caller's options as they were", () =>
      Effect.gen(function* () {
        const source = items(3 * PER_PAGE)
        const first = yield* collect(style.make(source, PER_PAGE).paginator().pages)
        const start = Option.getOrThrow(first[0]!.next)
        const limits = { start, prefetch: 1, maxPages: 5 }
        const before = structuredClone(limits)
        const paginator = style.make(source, PER_PAGE).paginator(Object.freeze(limits))
        yield* collect(paginator.items)
        // Running twice must behave the same: nothing from the first run leaks into the second.
        assert.deepStrictEqual(yield* collect(paginator.items), source.slice(PER_PAGE))
        assert.deepStrictEqual(limits, before)
      })
    )
  })
}

describe("Paginate", () => {
  for (const style of styles) suite(style)

  describe("metadata", () => {
    it("nextCursor ends on a missing, null or empty cursor", () => {
      assert.deepStrictEqual(Paginate.nextCursor({}), Option.none())
      assert.deepStrictEqual(Paginate.nextCursor({ pages: null }), Option.none())
      assert.deepStrictEqual(Paginate.nextCursor({ pages: { next: null } }), Option.none())
      assert.deepStrictEqual(Paginate.nextCursor({ pages: { next: {} } }), Option.none())
      assert.deepStrictEqual(Paginate.nextCursor({ pages: { next: { starting_after: "" } } }), Option.none())
      assert.deepStrictEqual(
        Paginate.nextCursor({ pages: { next: { starting_after: "abc" } } }),
        Option.some(Position.cursor("abc"))
      )
    })

    it("nextPageNumber ends at total_pages, including zero", () => {
      const none = Option.none<Position.PageNumber>()
      assert.deepStrictEqual(Paginate.nextPageNumber({ pages: { page: 1, total_pages: 0 } }, none), Option.none())
      assert.deepStrictEqual(Paginate.nextPageNumber({ pages: { page: 3, total_pages: 3 } }, none), Option.none())
      assert.deepStrictEqual(Paginate.nextPageNumber({ pages: { page: 4, total_pages: 3 } }, none), Option.none())
      assert.deepStrictEqual(Paginate.nextPageNumber({}, none), Option.none())
      assert.deepStrictEqual(
        Paginate.nextPageNumber({ pages: { page: 2, total_pages: 3 } }, none),
        Option.some(Position.pageNumber(3))
      )
      // Without `pages.page`, the page asked for is the current one.
      assert.deepStrictEqual(
        Paginate.nextPageNumber({ pages: { total_pages: 3 } }, Option.some(Position.pageNumber(2))),
        Option.some(Position.pageNumber(3))
      )
    })

    it("nextUrlOf ends on a null or empty URL", () => {
      assert.deepStrictEqual(Paginate.nextUrlOf({ pages: { next: null } }), Option.none())
      assert.deepStrictEqual(Paginate.nextUrlOf({ pages: { next: "" } }), Option.none())
      assert.deepStrictEqual(
        Paginate.nextUrlOf({ pages: { next: "https://x/y" } }),
        Option.some(Position.nextUrl("https://x/y"))
      )
    })

    it("nextCursor ignores a `next` that is a URL (page-numbered lists share the shape)", () => {
      assert.deepStrictEqual(Paginate.nextCursor({ pages: { next: "https://x/y?page=2" } }), Option.none())
    })
  })

  it.effect("search never mutates the caller's body and sends a fresh copy per page", () =>
    Effect.gen(function* () {
      const source = items(12)
      // Frozen all the way down: a write anywhere would throw in strict mode.
      const body: SearchBody = Object.freeze({
        query: Object.freeze({ field: "created_at", operator: ">", value: 0 }),
        pagination: Object.freeze({ per_page: 5 })
      })
      const before = structuredClone(body)
      const { bodies, search } = searchWith(source)
      const paginator = Paginate.searchCursor(body, search, {
        withCursor: withStartingAfter,
        getItems: (page) => page.data
      })
      const first = yield* collect(paginator.items)
      const second = yield* collect(paginator.items)
      assert.deepStrictEqual(first, [...source])
      assert.deepStrictEqual(second, [...source])
      assert.deepStrictEqual(body, before)
      assert.deepStrictEqual(bodies.slice(0, 3), [
        before,
        { ...before, pagination: { per_page: 5, starting_after: "after-5" } },
        { ...before, pagination: { per_page: 5, starting_after: "after-10" } }
      ])
      assert.strictEqual(bodies.length, 6)
    })
  )

  it.effect("scroll ends on an empty page even with a scroll_param", () =>
    Effect.gen(function* () {
      let calls = 0
      const fetch = () =>
        Effect.sync(() => {
          calls++
          return { scroll_param: "same", data: calls < 3 ? [calls] : [] }
        })
      const pages = yield* collect(Paginate.scroll(fetch, { getItems: (page) => page.data }).pages)
      assert.deepStrictEqual(
        pages.map((p) => p.items),
        [[1], [2], []]
      )
      assert.strictEqual(calls, 3)
    })
  )

  it.effect("pages are typed by the response schema, and its errors flow through typed", () =>
    Effect.gen(function* () {
      // Shaped like the generated list schemas: tolerant optionals and nullables everywhere.
      const ContactList = Schema.Struct({
        type: Schema.Literal("list"),
        data: Schema.optional(Schema.Array(Schema.Struct({ id: Schema.String }))),
        pages: Schema.optional(
          Schema.NullOr(
            Schema.Struct({
              type: Schema.Literal("pages"),
              next: Schema.optional(
                Schema.NullOr(
                  Schema.Struct({
                    per_page: Schema.optional(Schema.Number),
                    starting_after: Schema.optional(Schema.NullOr(Schema.String))
                  })
                )
              )
            })
          )
        )
      })
      const wire: Record<string, unknown> = {
        first: {
          type: "list",
          data: [{ id: "a" }, { id: "b" }],
          pages: { type: "pages", next: { starting_after: "b" } }
        },
        b: { type: "list", data: [{ id: "c" }], pages: { type: "pages", next: null } },
        broken: { type: "list", data: [{ id: 1 }] }
      }
      const walk = (first: string) =>
        Paginate.cursor(
          (position) =>
            Schema.decodeUnknown(ContactList)(
              wire[
                Option.getOrElse(
                  Option.map(position, (c) => c.startingAfter),
                  () => first
                )
              ]
            ),
          { getItems: (page) => page.data ?? [] }
        ).items
      const typed: Stream.Stream<{ readonly id: string }, ParseResult.ParseError> = walk("first")
      assert.deepStrictEqual(yield* collect(typed), [{ id: "a" }, { id: "b" }, { id: "c" }])
      const error = yield* Effect.flip(collect(walk("broken")))
      assert.strictEqual(error._tag, "ParseError")
    })
  )

  it.effect("with the defaults, page 2 is fetched while the consumer works through the second half of page 1", () =>
    Effect.gen(function* () {
      const PAGE = 150
      // Page 2's fetch announces itself, then holds until the consumer lets it finish: it overlaps the consumer's work.
      const started = yield* Deferred.make<void>()
      const release = yield* Deferred.make<void>()
      const fetched: Array<number> = []
      const fetch = (offset: Option.Option<number>) =>
        Effect.gen(function* () {
          const from = Option.getOrElse(offset, () => 0)
          if (from === PAGE) {
            yield* Deferred.succeed(started, undefined)
            yield* Deferred.await(release)
          }
          fetched.push(from)
          return { from, values: Array.from({ length: PAGE }, (_, i) => from + i) }
        })
      const paginator = Paginate.make(fetch, {
        getItems: (page) => page.values,
        getNext: (page) => (page.from + PAGE < 3 * PAGE ? Option.some(page.from + PAGE) : Option.none())
      })
      // Index `i` holds what the consumer saw while handling item `i`, after letting the producer run.
      const startedAt: Array<boolean> = []
      const fetchedAt: Array<ReadonlyArray<number>> = []
      yield* paginator.items.pipe(
        Stream.runForEach((item) =>
          Effect.gen(function* () {
            yield* settle
            startedAt.push(yield* Deferred.isDone(started))
            fetchedAt.push([...fetched])
            if (item === 120) yield* Deferred.succeed(release, undefined)
          })
        )
      )
      assert.strictEqual(startedAt.length, 3 * PAGE)
      // Nothing beyond page 1 for its first half (items 1 to 75); page 2 under way from item 76 on.
      assert.deepStrictEqual(startedAt.slice(0, PAGE / 2), Array(PAGE / 2).fill(false))
      assert.deepStrictEqual(startedAt.slice(PAGE / 2, PAGE), Array(PAGE / 2).fill(true))
      // In flight, not finished, while the consumer handles items 76 to 121; done before it reaches item 151.
      assert.deepStrictEqual(fetchedAt[PAGE / 2], [0])
      assert.deepStrictEqual(fetchedAt[120], [0])
      assert.deepStrictEqual(fetchedAt[PAGE - 1], [0, PAGE])
      // Never more than one page ahead: page 3 waits for the consumer to be halfway through page 2.
      assert.deepStrictEqual(fetchedAt[PAGE + PAGE / 2 - 1], [0, PAGE])
      assert.deepStrictEqual(fetchedAt[PAGE + PAGE / 2], [0, PAGE, 2 * PAGE])
    })
  )

  it.effect("make accepts any paging scheme", () =>
    Effect.gen(function* () {
      const fetch = (offset: Option.Option<number>) =>
        Effect.succeed(Option.getOrElse(offset, () => 0)).pipe(
          Effect.map((from) => ({ from, values: from < 9 ? [from, from + 1, from + 2] : [] }))
        )
      const walked = yield* collect(
        Paginate.make(fetch, {
          getItems: (page) => page.values,
          getNext: (page) => (page.from + 3 < 9 ? Option.some(page.from + 3) : Option.none())
        }).items
      )
      assert.deepStrictEqual(walked, [0, 1, 2, 3, 4, 5, 6, 7, 8])
    })
  )
})
