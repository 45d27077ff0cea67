/**
 * Listing commands: a paged list walked as far as `--limit`, printed, and the position to continue from written to
 * stderr, so `--resume '<that>'` picks up the next run right after the last item shown. Pages are shown whole (a
 * position resumes after a page, not inside one): up to 150 a page is `--limit` itself, above that the limit rounds
 * up to whole pages of 150.
 */
import { Options } from "@effect/cli"
import { Failure, Flags } from "@intercom-effect/app-kit"
import type { Paginate, Position } from "@intercom-effect/pagination"
import { Console, Effect, Option, Schema, Stream } from "effect"
import * as Output from "./Output.js"

/** `--limit` and `--resume`, for every listing command. */
export const options = {
  limit: Flags.integer("limit", { min: 1 }).pipe(
    Options.withDescription("items to show (above 150, rounded up to whole pages)"),
    Flags.withDefault(50)
  ),
  resume: Options.text("resume").pipe(
    Options.withDescription("continue from the position an earlier run printed on stderr ('more: --resume ...')"),
    Options.optional
  )
}

/** A saved position, read back; a position of the wrong kind for the list is an error. */
export const start = <P extends Position.Position>(
  schema: Schema.Schema<P, Schema.Schema.Encoded<Schema.Schema<P>>>,
  resume: Option.Option<string>
): Effect.Effect<P | undefined, Failure.UsageError> =>
  Option.match(resume, {
    onNone: () => Effect.succeed(undefined),
    onSome: (json) =>
      Effect.mapError(
        Schema.decodeUnknown(Schema.parseJson(schema))(json),
        () =>
          new Failure.UsageError({
            message: "--resume: not a position this list can continue from",
            fix: "pass the value an earlier run of the same list printed after 'more: --resume'"
          })
      )
  })

/** The page size for a limit: the limit itself up to 150, so a page ends exactly there. */
export const perPage = (limit: number): number => Math.max(1, Math.min(limit, 150))

/**
 * Prints the pages of a walk and then where to resume. The caller builds the walk with `maxItems: limit`, which
 * stops fetching once that many items arrived.
 */
export const print = <R, A, P extends Position.Position, E, Req>(
  format: Output.Format,
  paginator: Paginate.Paginator<R, A, P, E, Req>,
  columns: Output.Columns<A>
): Effect.Effect<void, E, Req> =>
  Effect.gen(function* () {
    const shown: Array<A> = []
    let next: Option.Option<P> = Option.none()
    yield* Stream.runForEach(paginator.pages, (page) =>
      Effect.sync(() => {
        shown.push(...page.items)
        next = page.next
      })
    )
    yield* Output.many(format, Stream.fromIterable(shown), columns)
    if (Option.isSome(next)) yield* Console.error(`more: --resume '${JSON.stringify(next.value)}'`)
  })

/** A listing command's body: the saved position read back, the walk built for `--limit`, its pages printed. */
export const run = <P extends Position.Position, R, A, E, Req>(
  format: Output.Format,
  position: Schema.Schema<P, Schema.Schema.Encoded<Schema.Schema<P>>>,
  args: { readonly limit: number; readonly resume: Option.Option<string> },
  columns: Output.Columns<A>,
  walk: (options: {
    readonly per_page: number
    readonly start: P | undefined
    readonly maxItems: number
  }) => Paginate.Paginator<R, A, P, E, Req>
): Effect.Effect<void, E | Failure.UsageError, Req> =>
  Effect.flatMap(start(position, args.resume), (from) =>
    print(format, walk({ per_page: perPage(args.limit), start: from, maxItems: args.limit }), columns)
  )
