/**
 * The one step from a parsed JSON body to the caller's type: the response schema applied to the value, a failure
 * turned into a `DecodeError`. Reading the body and `JSON.parse` happen before, in the client, because a body that
 * does not arrive whole is a failure of the exchange (`IncompleteResponse`), not of the data.
 */
import { Effect, ParseResult, Schema } from "effect"
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

// Responses decode tolerantly: fields Intercom adds after 2.10 must not break a caller.
const parseOptions = { errors: "all", onExcessProperty: "ignore" } as const

// Building a decoder walks the schema; a client calls the same few schemas over and over.
const decoders = new WeakMap<object, (u: unknown) => Effect.Effect<unknown, ParseResult.ParseError>>()

const decoderFor = <A, I>(schema: Schema.Schema<A, I>): ((u: unknown) => Effect.Effect<A, ParseResult.ParseError>) => {
  let decoder = decoders.get(schema)
  if (decoder === undefined) {
    decoder = Schema.decodeUnknown(schema, parseOptions)
    decoders.set(schema, decoder)
  }
  return decoder as (u: unknown) => Effect.Effect<A, ParseResult.ParseError>
}

/** @internal */
export const decodeJson = <A, I>(
  schema: Schema.Schema<A, I>,
  json: unknown,
  context: DecodeContext
): Effect.Effect<A, DecodeError> =>
  Effect.mapError(
    decoderFor(schema)(json),
    (error) =>
      new DecodeError({
        method: context.method,
        path: context.path,
        status: context.status,
        requestId: context.requestId,
        body: context.scrub(context.text).slice(0, snippetLength),
        // A schema failure report quotes the offending value, which could be anything the server sent.
        issue: context.scrub(ParseResult.TreeFormatter.formatErrorSync(error))
      })
  )
