/**
 * A stateful in-memory Intercom REST API 2.10 for tests and demos: a seeded workspace served over HTTP with
 * Intercom's wire shapes, paging styles, errors and window rate limit, faults on request, and counters a test can
 * read.
 *
 * @since 0.1.0
 */

/**
 * The mock as a layer: a base URL, its state and its counters.
 *
 * @since 0.1.0
 */
export * as MockIntercom from "./MockIntercom.js"

/**
 * The application: authentication, version, rate limit and faults in front of every route.
 *
 * @since 0.1.0
 */
export * as Server from "./Server.js"

/**
 * The workspace in memory.
 *
 * @since 0.1.0
 */
export * as State from "./State.js"

/**
 * Deterministic seeded workspaces.
 *
 * @since 0.1.0
 */
export * as Seed from "./Seed.js"

/**
 * Intercom's window rate limit.
 *
 * @since 0.1.0
 */
export * as RateLimit from "./RateLimit.js"

/**
 * Deterministic fault injection.
 *
 * @since 0.1.0
 */
export * as Faults from "./Faults.js"

/**
 * What the mock saw.
 *
 * @since 0.1.0
 */
export * as Counters from "./Counters.js"

/**
 * The search DSL, evaluated in memory.
 *
 * @since 0.1.0
 */
export * as Search from "./Search.js"

/**
 * Answers and refusals in Intercom's shapes.
 *
 * @since 0.1.0
 */
export * as Reply from "./Reply.js"

/**
 * A workspace that changes as its own clock moves, predictably.
 *
 * @since 0.2.0
 */
export * as Living from "./Living.js"

/**
 * The expected copy of a workspace: every record as the API sends it.
 *
 * @since 0.2.0
 */
export * as Snapshot from "./Snapshot.js"

/**
 * The mock's control routes under `/__mock/`.
 *
 * @since 0.2.0
 */
export * as Control from "./Control.js"
