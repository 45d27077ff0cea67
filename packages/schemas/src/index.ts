/**
 * Effect Schemas for every component schema and request body of the Intercom REST API 2.10.
 *
 * Responses decode tolerantly (unknown fields ignored, unknown enum values kept as strings, nulls where the API
 * sends them); request bodies encode strictly. The schemas under `generated/` come from tools/codegen.
 *
 * @since 0.1.0
 */

export * from "./generated/index.js"

/**
 * Decoding responses through the generated fast path, with the `Schema` as the reference.
 *
 * @since 0.2.0
 */
export * as Decoder from "./Decoder.js"

/**
 * Tolerant enums used by the response schemas.
 *
 * @since 0.1.0
 */
export { OpenEnum } from "./OpenEnum.js"

/**
 * Unix-seconds <-> `DateTime` helpers.
 *
 * @since 0.1.0
 */
export * as Timestamp from "./Timestamp.js"

/**
 * The typed search-query builder for the three `/search` endpoints.
 *
 * @since 0.1.0
 */
export * as SearchQuery from "./SearchQuery.js"
