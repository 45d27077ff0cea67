/**
 * Decoding responses on the hot path.
 *
 * Every generated response schema carries a fast decoder, written by the generator in straight-line code: it checks
 * a parsed JSON value field by field and returns it as it is (no copy) when it is already in the decoded form,
 * converting only the fields that need it. The `Schema` stays the description and the reference: the fast decoder
 * returns exactly what the `Schema` decodes (property tests hold the two equal), and whenever it rejects a value the
 * `Schema` decodes it again to report a precise `ParseError`.
 *
 * @example
 * ```ts
 * import { ContactList, Decoder } from "@intercom-effect/schemas"
 * import { Either } from "effect"
 *
 * const page = Decoder.decodeUnknownEither(ContactList)(JSON.parse('{"type":"list","data":[]}'))
 * if (Either.isRight(page)) console.log(page.right.data.length)
 * ```
 *
 * @since 0.2.0
 */
import { Effect, Either, Option, type ParseResult, Schema, SchemaAST } from "effect"
import { type Decode, Invalid } from "./internal/decode.js"

/**
 * The annotation under which a schema carries its fast decoder.
 *
 * @since 0.2.0
 * @category annotations
 */
export const FastPathId: unique symbol = Symbol.for("@intercom-effect/schemas/Decoder/FastPath")

/**
 * A fast decoder: a parsed JSON value in, the decoded value or {@link Invalid} out. It never mutates its input.
 *
 * @since 0.2.0
 * @category models
 */
export type FastPath = Decode

export {
  /**
   * What a {@link FastPath} returns for a value it does not accept.
   *
   * @since 0.2.0
   * @category models
   */
  Invalid
}

/**
 * The fast decoder a schema carries, if any. Only the schema itself is looked at: a schema built around a generated
 * one (`Schema.Array(Contact)`) has none and decodes through the `Schema`.
 *
 * @since 0.2.0
 * @category getters
 */
export const fastPath = (schema: Schema.Schema.AnyNoContext): Option.Option<FastPath> =>
  SchemaAST.getAnnotation<FastPath>(schema.ast, FastPathId)

// Responses keep unknown fields through their index signatures; a schema without one (a user's own) drops them,
// as Schema does by default.
const options: SchemaAST.ParseOptions = { errors: "all", onExcessProperty: "ignore" }

/**
 * Decodes a parsed JSON value: through the schema's fast decoder when it has one and the value passes it, else
 * through the `Schema`, which then also produces the error.
 *
 * @since 0.2.0
 * @category decoding
 */
export const decodeUnknownEither = <A, I>(
  schema: Schema.Schema<A, I>
): ((u: unknown) => Either.Either<A, ParseResult.ParseError>) => {
  const slow = Schema.decodeUnknownEither(schema, options)
  const fast = Option.getOrUndefined(fastPath(schema))
  if (fast === undefined) return slow
  return (u) => {
    const decoded = fast(u)
    // The fast decoder returns what the Schema would; its type is the Schema's by construction.
    return decoded === Invalid ? slow(u) : Either.right(decoded as A)
  }
}

/**
 * {@link decodeUnknownEither} as an `Effect`.
 *
 * @since 0.2.0
 * @category decoding
 */
export const decodeUnknown = <A, I>(
  schema: Schema.Schema<A, I>
): ((u: unknown) => Effect.Effect<A, ParseResult.ParseError>) => {
  const decode = decodeUnknownEither(schema)
  return (u) => Effect.suspend(() => decode(u))
}

/**
 * {@link decodeUnknownEither} that throws the `ParseError`.
 *
 * @since 0.2.0
 * @category decoding
 */
export const decodeUnknownSync = <A, I>(schema: Schema.Schema<A, I>): ((u: unknown) => A) => {
  const decode = decodeUnknownEither(schema)
  return (u) => Either.getOrThrowWith(decode(u), (error) => error)
}
