/**
 * The one step from a parsed JSON body to the caller's type. Generated response schemas decode through their fast
 * path (`Decoder` of @intercom-effect/schemas: the parsed value itself when nothing needs converting), any other
 * schema through `Schema`; a failure becomes a `DecodeError` that names the field path (with the item's index inside
 * a list) and keeps the parsed body. Reading the body and `JSON.parse` happen before, in the client, because a body
 * that does not arrive whole is a failure of the exchange (`IncompleteResponse`), not of the data.
 */
import * as Decoder from "@intercom-effect/schemas/Decoder"
import { Effect, type Either, ParseResult, type Schema } from "effect"
import { DecodeError, snippetLength } from "../IntercomError.js"

/** @internal */
export interface DecodeContext {
  readonly method: string
  readonly path: string
  readonly status: number
  readonly requestId: string | null
  /** The body as received, for the error's snippet. */
  readonly text: string
  /** Removes secrets from text that goes into the error. */
  readonly scrub: (text: string) => string
}

type Decode = (u: unknown) => Either.Either<unknown, ParseResult.ParseError>

// Building a decoder walks the schema; a client calls the same few schemas over and over.
const decoders = new WeakMap<object, Decode>()

const decoderFor = <A, I>(schema: Schema.Schema<A, I>): ((u: unknown) => Either.Either<A, ParseResult.ParseError>) => {
  let decoder = decoders.get(schema)
  if (decoder === undefined) {
    decoder = Decoder.decodeUnknownEither(schema)
    decoders.set(schema, decoder)
  }
  return decoder as (u: unknown) => Either.Either<A, ParseResult.ParseError>
}

/** @internal */
export const decodeJson = <A, I>(
  schema: Schema.Schema<A, I>,
  json: unknown,
  context: DecodeContext
): Effect.Effect<A, DecodeError> => {
  const result = decoderFor(schema)(json)
  return result._tag === "Right" ? Effect.succeed(result.right) : Effect.fail(decodeError(result.left, json, context))
}

const decodeError = (error: ParseResult.ParseError, json: unknown, context: DecodeContext): DecodeError => {
  const issues = ParseResult.ArrayFormatter.formatErrorSync(error)
  const first = issues[0]
  const scrubbed = context.scrub(context.text)
  return DecodeError.withBody(
    {
      method: context.method,
      path: context.path,
      status: context.status,
      requestId: context.requestId,
      body: scrubbed.slice(0, snippetLength),
      fieldPath: (first?.path ?? []).map((step) => (typeof step === "number" ? step : String(step))),
      // A schema failure report quotes the offending value, which could be anything the server sent.
      issue: context.scrub(
        `${first?.message ?? ParseResult.TreeFormatter.formatErrorSync(error)}` +
          (issues.length > 1 ? ` (and ${issues.length - 1} more issue${issues.length > 2 ? "s" : ""})` : "")
      )
    },
    // Kept whole for diagnosis, never printed; parsed again from the scrubbed text when scrubbing changed it.
    scrubbed === context.text ? json : parseOrText(scrubbed)
  )
}

const parseOrText = (text: string): unknown => {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}
