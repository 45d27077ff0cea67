/**
 * The checks a call's input passes before a request exists: its path (built or written by hand), its query and its
 * body. Each turns whatever the caller handed over into the value to send or into an issue that names the
 * offending parameter or field; none of them throws, whatever the caller's values do.
 *
 * @internal
 */
import type { UrlParams } from "@effect/platform"
import { Cause, Effect, Either, Exit, Option, ParseResult } from "effect"
import type { JsonBody, Path } from "../IntercomClient.js"
import * as Json from "./json.js"
import * as PathBuilder from "./path.js"
import { hasLoneSurrogate } from "./wellFormed.js"

/** Why a path cannot be sent: the template to name in the error, the parameter at fault (if one is) and why. */
export interface PathFailure {
  readonly template: string
  readonly parameter: string | null
  readonly issue: string
}

/** The path to send, or why not. A string is checked as a whole; a {@link Path} was checked when it was built. */
export const resolvePath = (path: string | Path): Either.Either<string, PathFailure> => {
  if (typeof path !== "string") {
    if (!PathBuilder.isPath(path)) {
      return Either.left({ template: String(path), parameter: null, issue: "the path is neither a string nor a Path" })
    }
    return Either.mapLeft(path.resolved, ({ issue, parameter }) => ({ template: path.template, parameter, issue }))
  }
  const issue = PathBuilder.pathIssue(path)
  return issue === undefined ? Either.right(path) : Either.left({ template: path, parameter: null, issue })
}

/** The path as a span shows it: the resolved one, else the template. */
export const displayPath = (path: string | Path): string =>
  typeof path === "string" ? path : Either.getOrElse(path.resolved, () => path.template)

/**
 * Query values the URL would carry as something else: a non-finite number prints as `NaN` or `Infinity`, and a lone
 * surrogate becomes U+FFFD. (The services check their operations' parameters against Intercom's ranges as well.)
 */
export const urlParamsIssue = (
  input: UrlParams.Input
): { readonly field: string; readonly issue: string } | undefined => {
  const scalar = (field: string, value: unknown): { readonly field: string; readonly issue: string } | undefined => {
    if (hasLoneSurrogate(field)) return { field, issue: `query parameter name holds a lone surrogate` }
    if (typeof value === "number" && !Number.isFinite(value)) {
      return { field, issue: `query parameter ${field} is ${value}, which is not a number Intercom can read` }
    }
    if (typeof value === "string" && hasLoneSurrogate(value)) {
      return { field, issue: `query parameter ${field} holds a lone surrogate, which is not valid Unicode` }
    }
    return undefined
  }
  const record = (
    prefix: string,
    values: UrlParams.CoercibleRecord
  ): { readonly field: string; readonly issue: string } | undefined => {
    for (const [key, value] of Object.entries(values)) {
      const field = prefix === "" ? key : `${prefix}[${key}]`
      const items: ReadonlyArray<unknown> = Array.isArray(value) ? value : [value]
      for (const item of items) {
        const issue =
          typeof item === "object" && item !== null
            ? record(field, item as UrlParams.CoercibleRecord)
            : scalar(field, item)
        if (issue !== undefined) return issue
      }
    }
    return undefined
  }
  try {
    if (input instanceof URLSearchParams) {
      for (const [key, value] of input) {
        const issue = scalar(key, value)
        if (issue !== undefined) return issue
      }
      return undefined
    }
    if (Symbol.iterator in input) {
      for (const [key, value] of input as Iterable<readonly [string, UrlParams.Coercible]>) {
        const issue = scalar(key, value)
        if (issue !== undefined) return issue
      }
      return undefined
    }
    return record("", input)
  } catch (error) {
    return { field: "", issue: `the query parameters could not be read: ${Json.describeThrown(error)}` }
  }
}

const firstIssuePath = (error: ParseResult.ParseError): string | null => {
  const [first] = ParseResult.ArrayFormatter.formatErrorSync(error)
  return first === undefined || first.path.length === 0
    ? null
    : Json.formatPath(first.path.map((step) => (typeof step === "number" ? step : String(step))))
}

/**
 * Encodes a body with its schema and checks that JSON carries the result as it is, then serialises it. A
 * `ParseError` names the first field it points at; what the schema's encoding or a caller's getter throws is
 * reported too, instead of dying.
 */
export const encodeBody = <E>(
  body: JsonBody,
  fail: (field: string | null, issue: string) => E
): Effect.Effect<string, E> =>
  Effect.flatMap(Effect.exit(body.encode), (exit): Effect.Effect<string, E> => {
    try {
      if (Exit.isFailure(exit)) {
        if (Cause.isInterruptedOnly(exit.cause)) return Effect.failCause(exit.cause as Cause.Cause<never>)
        return Option.match(Cause.failureOption(exit.cause), {
          onSome: (error) => Effect.fail(fail(firstIssuePath(error), ParseResult.TreeFormatter.formatErrorSync(error))),
          onNone: () =>
            Effect.fail(fail(null, `the body could not be encoded: ${Json.describeThrown(Cause.squash(exit.cause))}`))
        })
      }
      const issue = Json.check(exit.value)
      if (issue !== undefined) {
        const field = issue.path.length === 0 ? null : Json.formatPath(issue.path)
        return Effect.fail(fail(field, `${field === null ? "the body" : `body field ${field}`} ${issue.issue}`))
      }
      const text: string | undefined = JSON.stringify(exit.value)
      return typeof text === "string" ? Effect.succeed(text) : Effect.fail(fail(null, "the body encodes to no JSON"))
    } catch (error) {
      return Effect.fail(fail(null, `the body could not be encoded: ${Json.describeThrown(error)}`))
    }
  })
