/**
 * `--query`: Intercom's search DSL as JSON, read while the command line is parsed. A bad query is refused before
 * anything runs, saying what is wrong: not JSON (and where), or which part of the query breaks which rule (an
 * operator Intercom does not know, groups nested too deep, a list given to `=` ...).
 */
import { Options } from "@effect/cli"
import { Flags } from "@intercom-effect/app-kit"
import { SearchQuery } from "@intercom-effect/schemas"
import { Effect, Either, ParseResult, Schema } from "effect"

const decode = Schema.decodeUnknownEither(SearchQuery.Query)

/** Where in the query an issue is: `value[0].operator`, or nothing for the query itself. */
const at = (path: ReadonlyArray<PropertyKey>): string =>
  path.map((step, i) => (typeof step === "number" ? `[${step}]` : i === 0 ? String(step) : `.${String(step)}`)).join("")

/** The query in `text`, or what is wrong with it. */
export const parse = (text: string): Either.Either<SearchQuery.Query, string> => {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    return Either.left(`not valid JSON (${error instanceof Error ? error.message : String(error)})`)
  }
  return Either.mapLeft(decode(json), (error) => {
    const issue = ParseResult.ArrayFormatter.formatErrorSync(error)[0]
    if (issue === undefined) return "not a search query"
    const where = at(issue.path)
    return `${where.length > 0 ? `at ${where}: ` : ""}${issue.message}`
  })
}

/** The `--query` option, optional. */
export const option = Options.text("query").pipe(
  Options.withDescription(
    `a search query as JSON, e.g. '{"field":"role","operator":"=","value":"lead"}' (groups: {"operator":"AND","value":[...]}, at most 2 levels)`
  ),
  Options.mapEffect((text) =>
    Either.match(parse(text), {
      onLeft: (problem) => Effect.fail(Flags.invalid("query", problem)),
      onRight: Effect.succeed
    })
  ),
  Options.optional
)
