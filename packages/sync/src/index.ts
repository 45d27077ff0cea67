/**
 * A copy of an Intercom workspace that stays right for months: incremental, lossless, durable syncs; and the
 * one-off export of a workspace into a SQLite file or NDJSON files, resumable from the file alone.
 *
 * @since 0.1.0
 */

/** @since 0.2.0 */
export * as Balance from "./Balance.js"

/** @since 0.1.0 */
export * as Copy from "./Copy.js"

/** @since 0.1.0 */
export * as Engine from "./Engine.js"

/** @since 0.1.0 */
export * as Export from "./Export.js"

/** @since 0.1.0 */
export * as ExportNdjson from "./ExportNdjson.js"

/** @since 0.1.0 */
export * as ExportSqlite from "./ExportSqlite.js"

/** @since 0.1.0 */
export * as ExportStore from "./ExportStore.js"

/** @since 0.1.0 */
export * as Pages from "./Pages.js"

/** @since 0.1.0 */
export * as Patience from "./Patience.js"

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
export * as Workspaces from "./Workspaces.js"
