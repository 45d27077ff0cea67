/**
 * Parse options for request schemas: a request body with a property the API does not know is a mistake the
 * caller should hear about before anything is sent, so excess properties fail instead of being dropped.
 *
 * @internal
 */
import type { ParseOptions } from "effect/SchemaAST"

/** @internal */
export const strict: ParseOptions = { onExcessProperty: "error" }
