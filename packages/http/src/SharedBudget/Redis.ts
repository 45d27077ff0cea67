/**
 * A `SharedBudget` kept in Redis, for the workers of one app spread over processes and machines. Each attempt takes
 * its turn in the app's budget (and the workspace's) through `@effect/experimental`'s `RateLimiter` with its Redis
 * store, and the windows Intercom reports spent travel from worker to worker over Redis (a key holding the reset
 * time, and a channel), so that the others hold back until the reset instead of drawing 429s.
 *
 * Keys and channels start with the prefix (`intercom-effect:` unless set) and name the app by a hash of its token
 * (see `SharedBudget.appKey`), never by the token: `<prefix>budget:app:<hash>` (and `:refill`),
 * `<prefix>budget:workspace:<id>`, `<prefix>window:app:<hash>`.
 *
 * When Redis goes away, each worker says so once in its log and goes on under its own client's gate; it tries
 * Redis again every `retryInterval`, says once when it answers, and shares again. Nothing fails for want of Redis,
 * not even at the start.
 *
 * Needs `ioredis` (^5), an optional peer dependency of this package.
 *
 * @since 0.2.0
 */
import { type Config, type ConfigError, type Duration, Effect, Layer, type Redacted, type Scope } from "effect"
import type { RedisOptions } from "ioredis"
import * as internal from "../internal/sharedBudgetRedis.js"
import * as SharedBudget from "../SharedBudget.js"

/**
 * Where Redis is, and the budgets.
 *
 * @since 0.2.0
 * @category models
 */
export interface Options extends SharedBudget.Options {
  /** A `redis://` or `rediss://` URL (user, password and database number included); it is never logged. */
  readonly url: Redacted.Redacted<string> | string
  /** Starts every key and channel: `intercom-effect:` unless set. */
  readonly prefix?: string | undefined
  /**
   * The longest wait for connecting to Redis or for one command, after which the worker goes on under its own gate:
   * 1 second unless set.
   */
  readonly timeout?: Duration.DurationInput | undefined
  /** How often a worker that lost Redis tries it again: every second unless set. */
  readonly retryInterval?: Duration.DurationInput | undefined
  /**
   * Further ioredis connection options (TLS settings, a connection name, ...). The URL wins over them, and the
   * timeouts, reconnection and queueing are this module's own.
   */
  readonly redis?: RedisOptions | undefined
}

/**
 * `Options` for {@link layerConfig}: each field a plain value or a `Config`.
 *
 * @since 0.2.0
 * @category models
 */
export type ConfigOptions = {
  readonly [K in keyof Options]?: Options[K] | Config.Config<Options[K]>
}

/**
 * Connects to Redis and returns the shared budget, for the lifetime of the scope. Fails only on settings that
 * cannot work (a URL that is not `redis:` or `rediss:`), with a `ConfigError` that does not repeat the URL.
 *
 * @since 0.2.0
 * @category constructors
 */
export const make: (options: Options) => Effect.Effect<SharedBudget.Service, ConfigError.ConfigError, Scope.Scope> =
  internal.make

/**
 * The shared budget as a layer, from explicit options.
 *
 * @since 0.2.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<SharedBudget.SharedBudget, ConfigError.ConfigError> =>
  Layer.scoped(SharedBudget.SharedBudget, make(options))

/**
 * The shared budget configured through `Config`. Each field left out comes from the environment: the URL from
 * `REDIS_URL` (read as `Redacted`), the app's budget from `INTERCOM_BUDGET_LIMIT` (calls per window, default 1,666)
 * and `INTERCOM_BUDGET_WINDOW` (default 10 seconds), the workspace from `INTERCOM_WORKSPACE_ID` and
 * `INTERCOM_WORKSPACE_BUDGET_LIMIT` (default 4,166); the others have their defaults.
 *
 * @example
 * ```ts
 * import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
 * import { IntercomClient } from "@intercom-effect/http"
 * import * as RedisBudget from "@intercom-effect/http/SharedBudget/Redis"
 * import { Layer } from "effect"
 *
 * // INTERCOM_ACCESS_TOKEN, REDIS_URL, and optionally INTERCOM_BUDGET_LIMIT, INTERCOM_BUDGET_WINDOW,
 * // INTERCOM_WORKSPACE_ID, INTERCOM_WORKSPACE_BUDGET_LIMIT.
 * const IntercomLive = IntercomClient.layerConfig().pipe(
 *   Layer.provide(RedisBudget.layerConfig()),
 *   Layer.provide(NodeHttpClient.layerUndici)
 * )
 * ```
 *
 * @since 0.2.0
 * @category layers
 */
export const layerConfig = (
  options: ConfigOptions = {}
): Layer.Layer<SharedBudget.SharedBudget, ConfigError.ConfigError> =>
  Layer.scoped(SharedBudget.SharedBudget, Effect.flatMap(internal.fromConfig(options), make))
