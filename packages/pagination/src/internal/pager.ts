import { Chunk, Effect, Option, Stream } from "effect"
import type { MakeOptions, Page } from "../Paginate.js"
import { prefetch } from "./prefetch.js"

interface State<P> {
  readonly position: Option.Option<P>
  readonly pages: number
  readonly items: number
}

const limit = (n: number | undefined): number => (n === undefined ? Infinity : Math.max(0, n))

/** The stream of pages: one fetch per pull, and none once the metadata, an empty page or a limit says stop. */
export const pages = <Response, A, P, E, R, RR>(
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
  return prefetch(Stream.unfoldEffect(initial, step), config.prefetch ?? 1)
}

/** The items of `pages`, one chunk per page, cut at `maxItems`. */
export const items = <Response, A, P, E, R>(
  self: Stream.Stream<Page<Response, A, P>, E, R>,
  maxItems: number | undefined
): Stream.Stream<A, E, R> => {
  const all = Stream.mapConcatChunk(self, (page) => Chunk.fromIterable(page.items))
  return maxItems === undefined ? all : Stream.take(all, limit(maxItems))
}
