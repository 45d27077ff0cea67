/**
 * @since 0.1.0
 */

/**
 * Connection settings: token, region or base URL, version, timeouts, retries, rate limits.
 *
 * @since 0.1.0
 */
export * as IntercomConfig from "./IntercomConfig.js"

/**
 * The HTTP service every Intercom call goes through.
 *
 * @since 0.1.0
 */
export * as IntercomClient from "./IntercomClient.js"

/**
 * Typed errors of every Intercom call.
 *
 * @since 0.1.0
 */
export * as IntercomError from "./IntercomError.js"

/**
 * Rate-limit headers read into values.
 *
 * @since 0.1.0
 */
export * as RateLimit from "./RateLimit.js"

/**
 * The retry policy: what is retried, and after how long.
 *
 * @since 0.1.0
 */
export * as RetryPolicy from "./RetryPolicy.js"

/**
 * One budget for every worker of an app: turns taken together, and the windows Intercom reports spent, shared.
 *
 * @since 0.2.0
 */
export * as SharedBudget from "./SharedBudget.js"

/**
 * What the client waited for (rate-limit windows, 429s, budgets, retries), as `Metric`s labelled by reason.
 *
 * @since 0.2.0
 */
export * as ClientMetrics from "./ClientMetrics.js"

/**
 * An `HttpClient` over undici's `request` that does less per request than `NodeHttpClient.layerUndici`.
 *
 * @since 0.3.0
 */
export * as UndiciHttpClient from "./UndiciHttpClient.js"
