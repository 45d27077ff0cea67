/**
 * Tolerant enums for response schemas.
 *
 * Intercom adds enum values without bumping the API version, so a response must not fail to decode because
 * of a value this SDK has not seen yet. `OpenEnum("user", "lead")` accepts any string but keeps the known
 * values in the type, so editors still autocomplete them: `"user" | "lead" | (string & {})`.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/**
 * The type of an open enum: the known literals plus any other string.
 *
 * @since 0.1.0
 */
export type OpenEnum<L extends string> = L | (string & {})

/**
 * A string schema that knows some literals but accepts any string when decoding.
 *
 * @since 0.1.0
 */
export const OpenEnum = <const L extends ReadonlyArray<string>>(
  ...literals: L
): Schema.Schema<OpenEnum<L[number]>, string> =>
  // The union is `string` at runtime; the cast only widens the type to keep the known literals visible.
  Schema.Union(Schema.Literal(...literals), Schema.String) as unknown as Schema.Schema<OpenEnum<L[number]>, string>
