import { type Chunk, Effect, Exit, type Option, Queue, Stream } from "effect"

/**
 * Runs `self` at most `ahead` pulls in front of its consumer.
 *
 * `Stream.buffer` is not used because its producer pulls one element past a full queue, so a capacity of `n` lets
 * `n + 1` pages be fetched while the consumer is busy. Here the producer needs a demand token per pull: tokens start at
 * zero (nothing runs until the first pull), the first pull grants `1 + ahead`, later pulls grant one each, so the
 * number of upstream pulls never exceeds pulls requested plus `ahead`.
 */
export const prefetch = <A, E, R>(self: Stream.Stream<A, E, R>, ahead: number): Stream.Stream<A, E, R> => {
  const extra = Number.isFinite(ahead) ? Math.max(0, Math.floor(ahead)) : 0
  if (extra === 0) return self
  return Stream.unwrapScoped(
    Effect.gen(function* () {
      const pull = yield* Stream.toPull(self)
      const demand = yield* Queue.unbounded<void>()
      const results = yield* Queue.unbounded<Exit.Exit<Chunk.Chunk<A>, Option.Option<E>>>()
      yield* Queue.take(demand).pipe(
        Effect.zipRight(Effect.exit(pull)),
        Effect.tap((exit) => Queue.offer(results, exit)),
        // A failure (including end-of-stream, `None`) is the last thing the producer offers.
        Effect.repeat({ while: Exit.isSuccess }),
        Effect.forkScoped
      )
      let granted = false
      const next = Effect.suspend(() => {
        const tokens = granted ? 1 : 1 + extra
        granted = true
        return Queue.offerAll(
          demand,
          Array.from({ length: tokens }, (): void => undefined)
        )
      }).pipe(Effect.zipRight(Queue.take(results)), Effect.flatten)
      return Stream.repeatEffectChunkOption(next)
    })
  )
}
