/**
 * One Intercom budget for every worker of an app. Intercom counts calls per app (10,000 a minute) and per
 * workspace (25,000 a minute) in 10-second windows, across every process that uses the token; a client's gate only
 * sees its own traffic, so several workers of one app spend into 429s. A `SharedBudget` in the client's context
 * makes each attempt first take its turn in budgets the workers share, and shares the windows Intercom reports: a
 * worker that learns the window is spent (`X-RateLimit-Remaining: 0`, or a 429) tells the others, which hold back
 * until its reset instead of spending into a 429. The client's own gate stays on top of it.
 *
 * This module holds the service and an in-process implementation; `@intercom-effect/http/SharedBudget/Redis`
 * shares it between processes through Redis, with `@effect/experimental`'s `RateLimiter` and its Redis store.
 *
 * @since 0.2.0
 */
import { Context, type Duration, type Effect, Layer, type Option, type Scope } from "effect"
import * as internal from "./internal/sharedBudget.js"

/**
 * Which budget a client spends.
 *
 * @since 0.2.0
 * @category models
 */
export interface App {
  /**
   * Names the app in shared keys and channels: a hash of its access token, so the token itself never reaches the
   * store (see {@link appKey}).
   */
  readonly key: string
}

/**
 * One client's place in the shared budget, from {@link Service.join}.
 *
 * @since 0.2.0
 * @category models
 */
export interface Member {
  /**
   * Waits for this attempt's turn in the app's budget (and the workspace's, when configured). It never fails:
   * while the store is out of reach it returns at once, and the client's gate alone paces the calls.
   */
  readonly take: Effect.Effect<void>
  /**
   * Tells the other workers that Intercom's window is spent until `untilMillis` (epoch ms). Returns at once; a
   * window already announced, by this worker or another, is not announced again.
   */
  readonly announce: (untilMillis: number) => void
}

/**
 * The service `IntercomClient` looks for in its context when it is built.
 *
 * @since 0.2.0
 * @category models
 */
export interface Service {
  /**
   * Joins the budget of `app` for the lifetime of the scope. `onSpent` is called with the reset time (epoch ms)
   * whenever another worker announces that the window is spent, and once at joining if one already did.
   */
  readonly join: (app: App, onSpent: (untilMillis: number) => void) => Effect.Effect<Member, never, Scope.Scope>
}

/**
 * The shared budget. Provide it to `IntercomClient.layer` (any layer below the client that outputs it will do);
 * without it, each client has only its own gate.
 *
 * @since 0.2.0
 * @category tags
 */
export class SharedBudget extends Context.Tag("@intercom-effect/http/SharedBudget")<SharedBudget, Service>() {}

/**
 * A budget of calls per window.
 *
 * @since 0.2.0
 * @category models
 */
export interface Budget {
  readonly limit: number
  readonly window: Duration.Duration
}

/**
 * The budgets every member spends, resolved.
 *
 * @since 0.2.0
 * @category models
 */
export interface Limits {
  /** Each app's budget (keyed by the app). */
  readonly app: Budget
  /** The workspace's budget, shared by every app of the workspace that names it. */
  readonly workspace: Option.Option<Budget & { readonly id: string }>
}

/**
 * Budget settings; everything has a default.
 *
 * @since 0.2.0
 * @category models
 */
export interface Options {
  /** Calls per window for one app: 1,666 (Intercom's 10,000 a minute, counted in 10-second windows) unless set. */
  readonly limit?: number | undefined
  /** The window the limits count in: 10 seconds unless set. */
  readonly window?: Duration.DurationInput | undefined
  /**
   * The workspace, to share its budget with the other apps of the workspace that name it (Intercom's workspace
   * id, the `app.id_code` of `GET /me`). Its limit is 4,166 per window (25,000 a minute) unless set.
   */
  readonly workspace?: { readonly id: string; readonly limit?: number | undefined } | undefined
}

/**
 * Resolves `Options` with their defaults; limits below 1 become 1.
 *
 * @since 0.2.0
 * @category constructors
 */
export const limits: (options?: Options) => Limits = internal.limits

/**
 * The interval at which the members of one budget send their calls together: evenly spread, a little under the
 * limit (one call every `window / (limit - slack)`), so that however Intercom's windows fall, none of them counts
 * more than `limit` arrivals. The slack is one call plus the calls that 200 ms of lateness can bunch:
 * 35 of Intercom's 1,666 per 10 seconds (2 %).
 *
 * @since 0.2.0
 * @category constructors
 */
export const pacing: (budget: Budget) => Duration.Duration = internal.pacing

/**
 * The key of an app: a SHA-256 hash of its access token (128 bits of it, in hex), so the workers of one app meet in
 * the same keys while the token stays out of the store, its keys and its logs.
 *
 * @since 0.2.0
 * @category constructors
 */
export const appKey: (accessToken: string) => Effect.Effect<string> = internal.appKey

/**
 * A budget shared by the clients of one process, through `@effect/experimental`'s `RateLimiter` with its memory
 * store: for several clients of one app in one process, and for tests. Between processes, use
 * `@intercom-effect/http/SharedBudget/Redis`.
 *
 * @since 0.2.0
 * @category layers
 */
export const layerMemory = (options?: Options): Layer.Layer<SharedBudget> =>
  Layer.effect(SharedBudget, internal.makeMemory(limits(options)))
