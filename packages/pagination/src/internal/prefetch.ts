import { type Chunk, Effect, Exit, type Option, Queue, type Scope, Stream } from "effect"

/**
 * A stream run on its own fiber, but only as far as its consumer allows.
 *
 * `taken` counts the results handed out by `pull`; the producer has made at most `taken + n` upstream pulls, where `n`
 * is the largest count passed to `request` (or the `1` that `pull` asks for) since.
 */
export interface Gate<A, E> {
  /** Lets the producer run until it has made `taken + n` upstream pulls. Never takes back an earlier allowance. */
  readonly request: (n: number) => Effect.Effect<void>
  /** The next upstream pull's outcome, requesting it first; fails with `None` once the stream has ended. */
  readonly pull: Effect.Effect<Chunk.Chunk<A>, Option.Option<E>>
}

/**
 * Forks the producer of `self` into the current scope, idle until the first `request` or `pull`.
 *
 * `Stream.buffer` is not used because its producer pulls one element past a full queue, and because it has no way to
 * hold off until the consumer says so. Here the producer takes a demand token per upstream pull, and tokens are only
 * issued up to the allowance, so the number of upstream pulls never exceeds it.
 */
export const gate = <A, E, R>(self: Stream.Stream<A, E, R>): Effect.Effect<Gate<A, E>, never, R | Scope.Scope> =>
  Effect.gen(function* () {
    const upstream = yield* Stream.toPull(self)
    const demand = yield* Queue.unbounded<void>()
    const results = yield* Queue.unbounded<Exit.Exit<Chunk.Chunk<A>, Option.Option<E>>>()
    yield* Queue.take(demand).pipe(
      Effect.zipRight(Effect.exit(upstream)),
      Effect.tap((exit) => Queue.offer(results, exit)),
      // A failure (including end-of-stream, `None`) is the last thing the producer offers.
      Effect.repeat({ while: Exit.isSuccess }),
      Effect.forkScoped
    )
    // Only the consumer's fiber touches these: one run of the stream has one consumer.
    let granted = 0
    let taken = 0
    const request = (n: number): Effect.Effect<void> =>
      Effect.suspend(() => {
        const target = taken + n
        if (target <= granted) return Effect.void
        const tokens = target - granted
        granted = target
        return Queue.offerAll(
          demand,
          Array.from({ length: tokens }, (): void => undefined)
        )
      })
    const pull = request(1).pipe(
      Effect.zipRight(Queue.take(results)),
      Effect.tap(() => {
        taken++
      }),
      Effect.flatten
    )
    return { request, pull }
  })

/**
 * The most pages fetched ahead of a consumer. More would only hold pages in memory that the consumer is not reading
 * (a page of 150 contacts is about 2 MB decoded); it also bounds the demand tokens issued at once.
 */
export const maxAhead = 64

/** The number of upstream pulls to run ahead of the consumer: `ahead` as a whole number up to {@link maxAhead}, `0` when invalid. */
export const aheadOf = (ahead: number | undefined): number =>
  ahead === undefined ? 1 : Number.isFinite(ahead) ? Math.min(maxAhead, Math.max(0, Math.floor(ahead))) : 0

/**
 * Runs `self` at most `ahead` pulls in front of its consumer: each pull lets the producer go `ahead` pulls further.
 * Nothing runs until the first pull.
 */
export const prefetch = <A, E, R>(self: Stream.Stream<A, E, R>, ahead: number): Stream.Stream<A, E, R> =>
  ahead <= 0
    ? self
    : Stream.unwrapScoped(
        Effect.map(gate(self), ({ pull, request }) =>
          Stream.repeatEffectChunkOption(Effect.zipRight(request(1 + ahead), pull))
        )
      )
