/**
 * Parse options for request schemas: a request body with a property the API does not know is a mistake the
 * caller should hear about before anything is sent, so excess properties fail instead of being dropped.
 *
 * @internal
 */
import { Schema } from "effect"
import type { ParseOptions } from "effect/SchemaAST"

/** @internal */
export const strict: ParseOptions = { onExcessProperty: "error" }

/**
 * Key of an open map (custom attributes, metadata) in a request body. `"__proto__"` is refused (a ParseError that
 * reports it as an unexpected key): written into a plain object it replaces the prototype instead of adding a
 * property, so the attribute would vanish on the way out without a word.
 *
 * @internal
 */
export const RecordKey = Schema.String.pipe(Schema.filter((key) => key !== "__proto__"))
