/**
 * Connection settings for one Intercom app: token, region or base URL, API version, timeouts, retries and rate
 * limits. Everything the HTTP layer needs to know before it sends a request lives here, and is checked when the
 * layer is built: a token that cannot be sent (empty, with whitespace such as a trailing newline, or with
 * characters a header cannot carry) fails there, with a `ConfigError`, before any request exists.
 *
 * @since 0.1.0
 */
import {
  type Config,
  type ConfigError,
  Context,
  type Duration,
  Effect,
  Layer,
  type Option,
  type Redacted,
  type Schedule
} from "effect"
import * as internal from "./internal/config.js"
import type { IntercomError } from "./IntercomError.js"

/**
 * The data centres Intercom serves the REST API from. A workspace lives in exactly one of them.
 *
 * @since 0.1.0
 * @category models
 */
export type Region = "us" | "eu" | "au"

/**
 * Base URL of each region.
 *
 * @since 0.1.0
 * @category constants
 */
export const regionBaseUrls: Readonly<Record<Region, string>> = internal.regionBaseUrls

/**
 * The API version this SDK is written against. Sent on every request, because without the header the workspace's
 * configured version applies and response shapes change under the caller's feet.
 *
 * @since 0.1.0
 * @category constants
 */
export const apiVersion = "2.10"

/**
 * Facts about one request, handed to a user-supplied retry schedule so it can tell a safe retry from an unsafe one.
 *
 * @since 0.1.0
 * @category models
 */
export interface RetryContext {
  readonly method: string
  readonly path: string
  /** True when repeating the call cannot duplicate a write (GET, PUT, DELETE, read-only POSTs). */
  readonly idempotent: boolean
}

/**
 * A retry policy of one's own: a `Schedule` over the errors of one call, built per call from its context.
 *
 * @since 0.1.0
 * @category models
 */
export type RetrySchedule = (context: RetryContext) => Schedule.Schedule<unknown, IntercomError>

/**
 * Settings of the built-in retry policy (see `RetryPolicy`).
 *
 * @since 0.1.0
 * @category models
 */
export interface RetryOptions {
  /** Retries after the first attempt; 0 disables retrying. */
  readonly maxRetries: number
  /** First backoff delay; doubles on each retry. */
  readonly baseDelay: Duration.Duration
  /** Upper bound of any single delay, including one the server asked for. */
  readonly maxDelay: Duration.Duration
  /** No retry is scheduled whose delay would end later than this after the first failure. */
  readonly maxElapsed: Duration.Duration
  /** Relative jitter in [0, 1]: a backoff delay d becomes a random delay in [d·(1−j), d·(1+j)]. */
  readonly jitter: number
}

/**
 * Some settings of the built-in retry policy, the others keeping their current values.
 *
 * @since 0.1.0
 * @category models
 */
export interface RetryInput {
  readonly maxRetries?: number | undefined
  readonly baseDelay?: Duration.DurationInput | undefined
  readonly maxDelay?: Duration.DurationInput | undefined
  readonly maxElapsed?: Duration.DurationInput | undefined
  readonly jitter?: number | undefined
}

/**
 * Settings of the proactive rate-limit gate and the concurrency cap.
 *
 * @since 0.1.0
 * @category models
 */
export interface RateLimitOptions {
  /** When false, the gate never holds a request back (429s are still retried). */
  readonly enabled: boolean
  /** Requests of one client in flight at once. */
  readonly maxConcurrency: number
  /**
   * Extra wait after a window's announced reset, to absorb clock skew between this machine and Intercom's and to
   * spread released requests instead of firing them in the same millisecond.
   */
  readonly resetMargin: Duration.Duration
  /**
   * An optional client-side budget enforced through `@effect/experimental`'s `RateLimiter` (memory store unless a
   * `RateLimiter` service is provided). For one budget shared by the workers of an app, across processes, with the
   * windows Intercom reports shared too, provide a `SharedBudget` instead (`@intercom-effect/http/SharedBudget/Redis`).
   */
  readonly budget: Option.Option<{
    readonly limit: number
    readonly window: Duration.Duration
    readonly key: string
  }>
}

/**
 * The resolved configuration of an Intercom client.
 *
 * @since 0.1.0
 * @category models
 */
export interface IntercomConfigShape {
  readonly accessToken: Redacted.Redacted<string>
  readonly baseUrl: string
  readonly version: string
  /** Limit of one attempt (connect, send, response headers and a buffered body). */
  readonly timeout: Duration.Duration
  readonly retry: RetryOptions
  /** Replaces the built-in retry policy when set. */
  readonly retrySchedule: Option.Option<RetrySchedule>
  readonly rateLimit: RateLimitOptions
  /** Appended to the SDK's own user agent, e.g. "my-crm-sync/1.4". */
  readonly userAgentSuffix: Option.Option<string>
}

/**
 * The configuration service read by `IntercomClient`.
 *
 * @since 0.1.0
 * @category tags
 */
export class IntercomConfig extends Context.Tag("@intercom-effect/http/IntercomConfig")<
  IntercomConfig,
  IntercomConfigShape
>() {}

/**
 * What a caller may pass to `layer`/`make`; everything but the token has a default.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Sent as `Authorization: Bearer …`; must be non-empty visible ASCII, without whitespace. */
  readonly accessToken: Redacted.Redacted<string> | string
  /** Defaults to "us". Ignored when `baseUrl` is given. */
  readonly region?: Region | undefined
  /** An explicit absolute http(s) base URL, e.g. a mock server or a proxy. Wins over `region`. */
  readonly baseUrl?: string | undefined
  readonly version?: string | undefined
  /** Limit of one attempt; 30 seconds unless set. Calls can override it (see `IntercomClient.withTimeout`). */
  readonly timeout?: Duration.DurationInput | undefined
  readonly retry?: RetryInput | undefined
  readonly retrySchedule?: RetrySchedule | undefined
  readonly rateLimit?:
    | {
        readonly enabled?: boolean | undefined
        readonly maxConcurrency?: number | undefined
        readonly resetMargin?: Duration.DurationInput | undefined
        readonly budget?:
          | {
              readonly limit: number
              readonly window: Duration.DurationInput
              readonly key?: string | undefined
            }
          | undefined
      }
    | undefined
  readonly userAgentSuffix?: string | undefined
}

/**
 * `Options` for {@link layerConfig}: each field either a plain value or a `Config` that reads it. Every field may
 * be left out; the token, the region and the base URL then come from `INTERCOM_ACCESS_TOKEN`, `INTERCOM_REGION`
 * and `INTERCOM_BASE_URL`, each independently of the others.
 *
 * @since 0.1.0
 * @category models
 */
export type ConfigOptions = {
  readonly [K in keyof Options]?: Options[K] | Config.Config<Options[K]>
}

/**
 * Defaults of the retry policy: 4 retries, 500 ms doubling to at most 30 s, ±20 % jitter, all within 2 minutes.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultRetry: RetryOptions = internal.defaultRetry

/**
 * Resolves and checks `Options`. Fails with `ConfigError.InvalidData` (naming the field, never its value) when the
 * token cannot be sent in a header, the region is unknown, the base URL is not an absolute http(s) URL, or the
 * version or user agent suffix cannot be sent in a header. Numbers out of range are clamped.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options): Effect.Effect<IntercomConfigShape, ConfigError.ConfigError> =>
  Effect.suspend(() => internal.resolve(options))

/**
 * A layer from explicit options; building it fails on invalid options (see {@link make}).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<IntercomConfig, ConfigError.ConfigError> =>
  Layer.effect(IntercomConfig, make(options))

/**
 * A layer that reads its settings through Effect's `Config`, so any `ConfigProvider` works. Each field is a plain
 * value or a `Config`; left out, the token, region and base URL come from `INTERCOM_ACCESS_TOKEN` (redacted),
 * `INTERCOM_REGION` (us | eu | au, default us) and `INTERCOM_BASE_URL` (optional). Invalid values fail as
 * `ConfigError`, naming where they were read.
 *
 * @example
 * ```ts
 * import { IntercomConfig } from "@intercom-effect/http"
 * import { Config } from "effect"
 *
 * const IntercomConfigLive = IntercomConfig.layerConfig({
 *   accessToken: Config.redacted("CRM_INTERCOM_TOKEN"),
 *   region: Config.succeed("eu"),
 *   timeout: "10 seconds"
 * })
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (options: ConfigOptions = {}): Layer.Layer<IntercomConfig, ConfigError.ConfigError> =>
  Layer.effect(IntercomConfig, internal.fromConfig(options))
