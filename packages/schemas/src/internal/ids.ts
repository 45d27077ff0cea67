/**
 * Ids that Intercom types differently from one object to the next (an assignee id is an integer on a conversation
 * and a string on a ticket). Response schemas accept either form and decode to the type the object declares.
 *
 * @internal
 */
import { Schema } from "effect"

/** An id declared as a number: a number, or a numeric string. @internal */
export const NumericId = Schema.Union(Schema.Number, Schema.NumberFromString)

/** An id declared as a string: a string, or a number turned into its decimal string. @internal */
export const StringId = Schema.Union(
  Schema.String,
  Schema.transform(Schema.Number, Schema.String, {
    strict: true,
    decode: (id) => String(id),
    encode: (id) => Number(id)
  })
)
