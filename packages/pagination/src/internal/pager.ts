import { Chunk, Effect, Option, Stream } from "effect"
import type { MakeOptions, Page } from "../Paginate.js"
import { aheadOf, gate, prefetch } from "./prefetch.js"

interface State<P> {
  readonly position: Option.Option<P>
  readonly pages: number
  readonly items: number
}

/**
 * A count limit as a whole number: absent or +Infinity is no limit, a fraction is rounded down, anything below 1 (or
 * NaN) stops the walk before its first page. Nothing a `number` admits may end in a defect (`Stream.take` dies on
 * a count that is not an integer).
 */
const limit = (n: number | undefined): number =>
  n === undefined || n === Infinity ? Infinity : Number.isNaN(n) ? 0 : Math.max(0, Math.floor(n))

/** `prefetchAfter` within `[0, 1]`; the default for anything that is not a number. */
const fractionOf = (after: number | undefined): number =>
  after === undefined || Number.isNaN(after) ? 0.5 : Math.min(1, Math.max(0, after))

/** The pages, one fetch per pull (one page per chunk), and none once the metadata, an empty page or a limit says stop. */
const walk = <Response, A, P, E, R, RR>(
  fetch: (position: Option.Option<P>) => Effect.Effect<Response, E, R>,
  config: MakeOptions<Response, A, P, E, RR>
): Stream.Stream<Page<Response, A, P>, E, R | RR> => {
  const { getItems, getNext, retry } = config
  const maxPages = limit(config.maxPages)
  const maxItems = limit(config.maxItems)
  const fetchPage = (position: Option.Option<P>): Effect.Effect<Response, E, R | RR> =>
    // Retrying here, around one page, is what keeps earlier pages from being fetched (or emitted) twice.
    retry === undefined ? fetch(position) : Effect.retry(fetch(position), retry)
  const initial: Option.Option<State<P>> =
    maxPages > 0 && maxItems > 0
      ? Option.some({ position: Option.fromNullable(config.start), pages: 0, items: 0 })
      : Option.none()
  // The next state is decided from the page just fetched, so the end is known without another request.
  const step = (
    state: Option.Option<State<P>>
  ): Effect.Effect<Option.Option<readonly [Page<Response, A, P>, Option.Option<State<P>>]>, E, R | RR> =>
    Option.match(state, {
      onNone: () => Effect.succeed(Option.none()),
      onSome: ({ items: seen, pages: fetched, position }) =>
        Effect.map(fetchPage(position), (response) => {
          const items = getItems(response)
          // An empty page ends every style: it is scroll's only end signal and a safe stop for the others.
          const next = items.length === 0 ? Option.none<P>() : getNext(response, position)
          const page: Page<Response, A, P> = { page: response, items, position, next }
          const pages = fetched + 1
          const total = seen + items.length
          const following: Option.Option<State<P>> =
            Option.isSome(next) && pages < maxPages && total < maxItems
              ? Option.some({ position: next, pages, items: total })
              : Option.none()
          return Option.some([page, following] as const)
        })
    })
  return Stream.unfoldEffect(initial, step)
}

/**
 * The stream of pages. Pulling page `k` lets pages up to `k + prefetch` be fetched: a page carries no progress finer
 * than itself, so being handed one is the only sign the consumer has started on it.
 */
export const pages = <Response, A, P, E, R, RR>(
  fetch: (position: Option.Option<P>) => Effect.Effect<Response, E, R>,
  config: MakeOptions<Response, A, P, E, RR>
): Stream.Stream<Page<Response, A, P>, E, R | RR> => prefetch(walk(fetch, config), aheadOf(config.prefetch))

/**
 * The items across pages, cut at `maxItems`.
 *
 * Each page is emitted as two chunks split at `prefetchAfter` of its length. Only pulling the second chunk, which a
 * consumer does once it has worked through the first, lets pages up to `k + prefetch` be fetched. So a short `take`
 * never pays for a page it will not read, while a full walk still overlaps the next fetch with the rest of the page.
 */
export const items = <Response, A, P, E, R, RR>(
  fetch: (position: Option.Option<P>) => Effect.Effect<Response, E, R>,
  config: MakeOptions<Response, A, P, E, RR>
): Stream.Stream<A, E, R | RR> => {
  const ahead = aheadOf(config.prefetch)
  const after = fractionOf(config.prefetchAfter)
  const source = walk(fetch, config)
  const all: Stream.Stream<A, E, R | RR> =
    ahead === 0
      ? Stream.mapConcatChunk(source, (page) => Chunk.fromIterable(page.items))
      : Stream.unwrapScoped(
          Effect.map(gate(source), ({ pull, request }) => {
            // The part of the current page past the threshold, handed out on the consumer's next pull.
            let rest = Option.none<Chunk.Chunk<A>>()
            const next: Effect.Effect<Chunk.Chunk<A>, Option.Option<E>> = Effect.suspend(() =>
              Option.match(rest, {
                onNone: () =>
                  Effect.flatMap(pull, (pages) => {
                    // `walk` emits each page as a chunk of its own; several would be split as one.
                    const items =
                      Chunk.size(pages) === 1
                        ? Chunk.unsafeHead(pages).items
                        : Chunk.toReadonlyArray(pages).flatMap((page) => page.items)
                    const cut = Math.ceil(items.length * after)
                    rest = Option.some(Chunk.unsafeFromArray(items.slice(cut)))
                    // Empty chunks are skipped rather than emitted, so a pull always has items or ends the stream.
                    return cut === 0 ? next : Effect.succeed(Chunk.unsafeFromArray(items.slice(0, cut)))
                  }),
                onSome: (chunk) => {
                  rest = Option.none()
                  return Effect.zipRight(request(ahead), Chunk.isEmpty(chunk) ? next : Effect.succeed(chunk))
                }
              })
            )
            return Stream.repeatEffectChunkOption(next)
          })
        )
  const maxItems = limit(config.maxItems)
  return maxItems === Infinity ? all : Stream.take(all, maxItems)
}
