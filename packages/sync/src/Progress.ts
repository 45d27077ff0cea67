/**
 * Where a run tells what it is doing: a terminal, a log, or nowhere. Events come from the pages a process actually
 * fetches; pages replayed from the workflow's storage after a restart are not fetched again and not reported.
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer } from "effect"
import type * as Plan from "./Plan.js"

/**
 * One stored page of a walk.
 *
 * @since 0.1.0
 * @category models
 */
export interface PageEvent {
  readonly resource: Plan.Resource
  /** The walk: a partition key (`contacts:2/4`), `reconcile:contacts`, `sweep:companies`... */
  readonly walk: string
  readonly items: number
  /** Items removed from the copy because Intercom no longer has them. */
  readonly removed: number
  /** Whether this was the walk's last page. */
  readonly done: boolean
}

/**
 * A walk waits out a failure it expects to pass (Intercom down, the network gone, a 5xx that outlasted the
 * client's own retries).
 *
 * @since 0.1.0
 * @category models
 */
export interface WaitEvent {
  readonly walk: string
  /** What failed, in one line, without secrets. */
  readonly reason: string
  /** How long this walk has been waiting so far, and how long it will wait at most. */
  readonly waitedMillis: number
  readonly patienceMillis: number
}

/**
 * The progress service.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  readonly page: (event: PageEvent) => Effect.Effect<void>
  readonly waiting: (event: WaitEvent) => Effect.Effect<void>
}

/**
 * The progress tag.
 *
 * @since 0.1.0
 * @category tags
 */
export class Progress extends Context.Tag("@intercom-effect/sync/Progress")<Progress, Service>() {}

/**
 * Reports nothing.
 *
 * @since 0.1.0
 * @category layers
 */
export const silent: Layer.Layer<Progress> = Layer.succeed(Progress, {
  page: () => Effect.void,
  waiting: () => Effect.void
})
