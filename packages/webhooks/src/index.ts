/**
 * Verified Intercom webhooks: the `X-Hub-Signature` checked over the raw body before anything is parsed, and
 * notifications decoded into a union tagged by topic.
 *
 * @since 0.1.0
 */

/**
 * The `Webhooks` service, its layers and the HTTP handler.
 *
 * @since 0.1.0
 */
export * as Webhooks from "./Webhooks.js"

/**
 * Signing and verifying `X-Hub-Signature`.
 *
 * @since 0.1.0
 */
export * as Signature from "./Signature.js"

/**
 * The notification envelope and its topics, as Schemas.
 *
 * @since 0.1.0
 */
export * as Notification from "./Notification.js"

/**
 * Every reason a delivery is refused.
 *
 * @since 0.1.0
 */
export * as WebhookError from "./WebhookError.js"

/**
 * Each notification acted on once: duplicates and stale deliveries told apart, in bounded memory.
 *
 * @since 0.1.0
 */
export * as ReplayGuard from "./ReplayGuard.js"
