import { assert, describe, it } from "@effect/vitest"
import { Chunk, Effect, Option, Schema, Stream } from "effect"
import { Paginate, Partition, Position } from "../src/index.js"
import { cursor, type Item, PageError } from "./fake.js"

const PER_PAGE = 4

// Disjoint id ranges so a merged walk can be checked for gaps and duplicates.
const ranges: ReadonlyArray<{ readonly key: string; readonly source: ReadonlyArray<Item> }> = [
  { key: "2023", source: Array.from({ length: 13 }, (_, i) => ({ id: 1000 + i })) },
  { key: "2024", source: Array.from({ length: 8 }, (_, i) => ({ id: 2000 + i })) },
  { key: "2025", source: [] },
  { key: "2026", source: Array.from({ length: 21 }, (_, i) => ({ id: 3000 + i })) }
]
const everything = ranges.flatMap((r) => r.source.map((item) => item.id))

const partitions = (start: (key: string) => Option.Option<Option.Option<Position.Cursor>>) =>
  ranges.flatMap(({ key, source }) =>
    Option.match(start(key), {
      onNone: () => [],
      onSome: (position) => [
        {
          key,
          stream: cursor.make(source, PER_PAGE).paginator({ start: Option.getOrUndefined(position) }).pages
        }
      ]
    })
  )

describe("Partition", () => {
  it.effect("merges every partition, each in its own order", () =>
    Effect.gen(function* () {
      const merged = Chunk.toArray(
        yield* Stream.runCollect(
          Partition.merge(
            partitions(() => Option.some(Option.none())),
            { concurrency: 2 }
          )
        )
      )
      assert.sameMembers(
        merged.flatMap((p) => p.page.items.map((item) => item.id)),
        everything
      )
      for (const { key, source } of ranges) {
        const own = merged.filter((p) => p.key === key)
        assert.deepStrictEqual(
          own.flatMap((p) => p.page.items),
          [...source]
        )
        assert.isTrue(Option.isNone(own[own.length - 1]!.next))
      }
    })
  )

  it.effect("walks at most `concurrency` partitions at a time", () =>
    Effect.gen(function* () {
      for (const concurrency of [1, 2, 3]) {
        let active = 0
        let peak = 0
        const tracked = partitions(() => Option.some(Option.none())).map(({ key, stream }) => ({
          key,
          stream: Stream.unwrap(
            Effect.sync(() => {
              active++
              peak = Math.max(peak, active)
              // Yield between pages so partitions really interleave.
              return Stream.tap(stream, () => Effect.yieldNow())
            })
          ).pipe(Stream.ensuring(Effect.sync(() => active--)))
        }))
        yield* Stream.runDrain(Partition.merge(tracked, { concurrency }))
        assert.strictEqual(peak, concurrency)
        assert.strictEqual(active, 0)
      }
    })
  )

  it.effect("a checkpoint taken after any page resumes every partition exactly", () =>
    Effect.gen(function* () {
      const totalPages = ranges.reduce((n, r) => n + Math.max(1, Math.ceil(r.source.length / PER_PAGE)), 0)
      for (let k = 0; k <= totalPages; k++) {
        const head = Chunk.toArray(
          yield* Stream.runCollect(
            Partition.merge(
              partitions(() => Option.some(Option.none())),
              { concurrency: 3 }
            ).pipe(Stream.take(k))
          )
        )
        const checkpoint = head.reduce(Partition.update, {} as Partition.Checkpoint)
        // Persist and restore as JSON, the way a long-running job would.
        const json = JSON.stringify(yield* Schema.encode(Partition.Checkpoint)(checkpoint))
        const restored = yield* Schema.decode(Schema.parseJson(Partition.Checkpoint))(json)
        const rest = yield* Stream.runCollect(
          Partition.merge(
            partitions((key) => {
              const saved = restored[key]
              // Absent: not started yet. None: finished. Some: resume there (always a cursor in this walk).
              if (saved === undefined) return Option.some(Option.none())
              return Option.map(saved, (position) => Option.some(Schema.decodeUnknownSync(Position.Cursor)(position)))
            }),
            { concurrency: 3 }
          )
        )
        const ids = [...head, ...Chunk.toArray(rest)].flatMap((p) => p.page.items.map((item) => item.id))
        assert.strictEqual(ids.length, everything.length, `after ${k} pages`)
        assert.sameMembers(ids, everything, `after ${k} pages`)
      }
    })
  )

  it.effect("a failing partition fails the merged stream with its typed error", () =>
    Effect.gen(function* () {
      const failing = {
        key: "bad",
        stream: cursor.make(ranges[0]!.source, PER_PAGE, (call) => call === 1).paginator().pages
      }
      const error = yield* Stream.runDrain(
        Partition.merge([...partitions(() => Option.some(Option.none())), failing], { concurrency: 2 })
      ).pipe(Effect.flip)
      assert.instanceOf(error, PageError)
    })
  )

  it.effect("works on pages from any constructor", () =>
    Effect.gen(function* () {
      const pages = Paginate.pageNumber(
        (position) =>
          Effect.succeed({
            data: [
              Option.getOrElse(
                Option.map(position, (p) => p.page),
                () => 1
              )
            ],
            pages: {
              page: Option.getOrElse(
                Option.map(position, (p) => p.page),
                () => 1
              ),
              total_pages: 2
            }
          }),
        { getItems: (page) => page.data }
      ).pages
      const merged = yield* Stream.runCollect(
        Partition.merge(
          [
            { key: 1, stream: pages },
            { key: 2, stream: pages }
          ],
          { concurrency: 2 }
        )
      )
      assert.sameMembers(
        Chunk.toArray(merged).map((p) => `${p.key}:${p.page.items[0]}`),
        ["1:1", "1:2", "2:1", "2:2"]
      )
    })
  )
})
