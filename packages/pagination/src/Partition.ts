/**
 * Partitioned walks: several independent page streams (say one search per `created_at` range) merged with bounded
 * concurrency, each page tagged with its partition so every partition can be resumed on its own.
 *
 * @since 0.1.0
 */
import { type Option, Schema, Stream } from "effect"
import type { Page } from "./Paginate.js"
import { Position } from "./Position.js"

/**
 * One partition: a key and its pages stream (usually `Paginate.*(...).pages`).
 *
 * @since 0.1.0
 * @category models
 */
export interface Partition<K, Response, A, P, E, R> {
  readonly key: K
  readonly stream: Stream.Stream<Page<Response, A, P>, E, R>
}

/**
 * A page of a merged walk. `next` is the partition's own resume position after this page (`None`: partition done).
 *
 * @since 0.1.0
 * @category models
 */
export interface PartitionPage<K, Response, A, P> {
  readonly key: K
  readonly page: Page<Response, A, P>
  readonly next: Option.Option<P>
}

/**
 * Options of {@link merge}.
 *
 * @since 0.1.0
 * @category models
 */
export interface MergeOptions {
  /** How many partitions are walked at the same time. */
  readonly concurrency: number
  /** Chunks buffered between the partitions and the consumer; Effect's default (16) when omitted. */
  readonly bufferSize?: number | undefined
}

/**
 * Merges partitions, walking at most `concurrency` of them at once. Pages of one partition keep their order; pages of
 * different partitions interleave as they arrive. The first failure fails the merged stream and interrupts the rest.
 *
 * @since 0.1.0
 * @category combinators
 */
export const merge = <K, Response, A, P, E, R>(
  partitions: ReadonlyArray<Partition<K, Response, A, P, E, R>>,
  options: MergeOptions
): Stream.Stream<PartitionPage<K, Response, A, P>, E, R> =>
  Stream.mergeAll(
    partitions.map(({ key, stream }) =>
      Stream.map(stream, (page): PartitionPage<K, Response, A, P> => ({ key, page, next: page.next }))
    ),
    {
      concurrency: Math.max(1, Math.floor(options.concurrency)),
      ...(options.bufferSize === undefined ? {} : { bufferSize: options.bufferSize })
    }
  )

/**
 * Resume state of a partitioned walk, by partition key: absent means not started, `None` (JSON `null`) finished, and
 * `Some(position)` resume from that position. Encodes to plain JSON.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Checkpoint = Schema.Record({ key: Schema.String, value: Schema.OptionFromNullOr(Position) })

/**
 * @since 0.1.0
 * @category models
 */
export type Checkpoint = typeof Checkpoint.Type

/**
 * The checkpoint after a merged page was handled. Returns a new record; `checkpoint` is not mutated.
 *
 * @since 0.1.0
 * @category combinators
 */
export const update = <K extends string, Response, A, P extends Position>(
  checkpoint: Checkpoint,
  page: PartitionPage<K, Response, A, P>
): Checkpoint => ({ ...checkpoint, [page.key]: page.next })
