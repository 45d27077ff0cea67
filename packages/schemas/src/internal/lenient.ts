/**
 * The lenient forms response schemas accept, as `Schema`s and as the plain predicates the fast decoders share with
 * them: real Intercom traffic sends ids as numbers where the file says strings (and the other way round), and counts
 * as numeric strings. Only conversions that lose nothing are made: `"100"` becomes 100 but `"1e2"`, `" 100"` and
 * `"0x64"` stay errors, and an id number becomes a string only while it is a safe integer.
 *
 * @internal
 */
import { ParseResult, Schema } from "effect"

/** The number a decimal string stands for, if writing that number back gives the same string. @internal */
export const numberFromString = (s: string): number | undefined => {
  const n = Number(s)
  return Number.isFinite(n) && String(n) === s ? n : undefined
}

/** The decimal string of an id sent as a number, if the number is a safe integer. @internal */
export const idFromNumber = (n: number): string | undefined => (Number.isSafeInteger(n) ? String(n) : undefined)

const NumberFromLosslessString = Schema.transformOrFail(Schema.String, Schema.Number, {
  strict: true,
  decode: (s, _, ast) => {
    const n = numberFromString(s)
    return n === undefined
      ? ParseResult.fail(
          new ParseResult.Type(ast, s, `Expected a number or its decimal string, actual ${JSON.stringify(s)}`)
        )
      : ParseResult.succeed(n)
  },
  encode: (n) => ParseResult.succeed(String(n))
})

/** A number, also sent as its lossless decimal string. @internal */
export const LenientNumber: Schema.Schema<number, number | string> = Schema.Union(
  Schema.Number,
  NumberFromLosslessString
)

const IdFromInteger = Schema.transformOrFail(Schema.Number, Schema.String, {
  strict: true,
  decode: (n, _, ast) => {
    const s = idFromNumber(n)
    return s === undefined
      ? ParseResult.fail(new ParseResult.Type(ast, n, `Expected an id string or a safe integer, actual ${n}`))
      : ParseResult.succeed(s)
  },
  encode: (s, _, ast) => {
    const n = numberFromString(s)
    return n === undefined ? ParseResult.fail(new ParseResult.Type(ast, s)) : ParseResult.succeed(n)
  }
})

/** An id string, also sent as an integer. @internal */
export const LenientId: Schema.Schema<string, string | number> = Schema.Union(Schema.String, IdFromInteger)

/**
 * The index signature every response object carries: fields the schema does not name are kept, as `unknown`, so a
 * field added by a newer API version or custom data is never dropped.
 *
 * @internal
 */
export const UnknownFields = Schema.Record({ key: Schema.String, value: Schema.Unknown })
