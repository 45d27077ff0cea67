/**
 * Lazy, resumable Effect Streams over every Intercom paging style.
 *
 * @since 0.1.0
 */

/**
 * Paginators for the five paging styles and the generic constructor behind them.
 *
 * @since 0.1.0
 */
export * as Paginate from "./Paginate.js"

/**
 * Serializable resume positions.
 *
 * @since 0.1.0
 */
export * as Position from "./Position.js"
