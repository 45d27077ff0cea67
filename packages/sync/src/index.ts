/**
 * A copy of an Intercom workspace that stays right for months: incremental, lossless, durable syncs.
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * as Copy from "./Copy.js"

/** @since 0.1.0 */
export * as Engine from "./Engine.js"

/** @since 0.1.0 */
export * as Pages from "./Pages.js"

/** @since 0.1.0 */
export * as Plan from "./Plan.js"

/** @since 0.1.0 */
export * as Progress from "./Progress.js"

/** @since 0.1.0 */
export * as Run from "./Run.js"

/** @since 0.1.0 */
export * as Sync from "./Sync.js"

/** @since 0.1.0 */
export * as Window from "./Window.js"
