/**
 * Connection settings for one Intercom app: token, region or base URL, API version, timeouts, retries and rate
 * limits. Everything the HTTP layer needs to know before it sends a request lives here.
 *
 * @since 0.1.0
 */
import { Config, type ConfigError, Context, Duration, Effect, Layer, Option, Redacted, type Schedule } from "effect"
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
export const regionBaseUrls: Readonly<Record<Region, string>> = {
  us: "https://api.intercom.io",
  eu: "https://api.eu.intercom.io",
  au: "https://api.au.intercom.io"
}

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
   * `RateLimiter` service is provided, for example one backed by Redis shared by several processes).
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
  readonly retrySchedule: Option.Option<(context: RetryContext) => Schedule.Schedule<unknown, IntercomError>>
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
  readonly accessToken: Redacted.Redacted<string> | string
  /** Defaults to "us". Ignored when `baseUrl` is given. */
  readonly region?: Region | undefined
  /** An explicit base URL, e.g. a mock server or a proxy. Wins over `region`. */
  readonly baseUrl?: string | undefined
  readonly version?: string | undefined
  readonly timeout?: Duration.DurationInput | undefined
  readonly retry?:
    | {
        readonly maxRetries?: number | undefined
        readonly baseDelay?: Duration.DurationInput | undefined
        readonly maxDelay?: Duration.DurationInput | undefined
        readonly maxElapsed?: Duration.DurationInput | undefined
        readonly jitter?: number | undefined
      }
    | undefined
  readonly retrySchedule?: ((context: RetryContext) => Schedule.Schedule<unknown, IntercomError>) | undefined
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
 * Defaults of the retry policy: 4 retries, 500 ms doubling to at most 30 s, ±20 % jitter, all within 2 minutes.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultRetry: RetryOptions = {
  maxRetries: 4,
  baseDelay: Duration.millis(500),
  maxDelay: Duration.seconds(30),
  maxElapsed: Duration.minutes(2),
  jitter: 0.2
}

/**
 * Resolves `Options` into a full configuration. Throws nothing: bad numbers are clamped to sane ranges.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options): IntercomConfigShape => {
  const retry = options.retry ?? {}
  const rateLimit = options.rateLimit ?? {}
  const budget = rateLimit.budget
  return {
    accessToken: Redacted.isRedacted(options.accessToken) ? options.accessToken : Redacted.make(options.accessToken),
    baseUrl: (options.baseUrl ?? regionBaseUrls[options.region ?? "us"]).replace(/\/+$/, ""),
    version: options.version ?? apiVersion,
    timeout: Duration.decode(options.timeout ?? Duration.seconds(30)),
    retry: {
      maxRetries: Math.max(0, Math.floor(retry.maxRetries ?? defaultRetry.maxRetries)),
      baseDelay: retry.baseDelay === undefined ? defaultRetry.baseDelay : Duration.decode(retry.baseDelay),
      maxDelay: retry.maxDelay === undefined ? defaultRetry.maxDelay : Duration.decode(retry.maxDelay),
      maxElapsed: retry.maxElapsed === undefined ? defaultRetry.maxElapsed : Duration.decode(retry.maxElapsed),
      jitter: Math.min(1, Math.max(0, retry.jitter ?? defaultRetry.jitter))
    },
    retrySchedule: Option.fromNullable(options.retrySchedule),
    rateLimit: {
      enabled: rateLimit.enabled ?? true,
      maxConcurrency: Math.max(1, Math.floor(rateLimit.maxConcurrency ?? 16)),
      resetMargin: Duration.decode(rateLimit.resetMargin ?? Duration.millis(50)),
      budget:
        budget === undefined
          ? Option.none()
          : Option.some({
              limit: Math.max(1, Math.floor(budget.limit)),
              window: Duration.decode(budget.window),
              key: budget.key ?? "intercom"
            })
    },
    userAgentSuffix: Option.fromNullable(options.userAgentSuffix)
  }
}

/**
 * A layer from explicit options.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<IntercomConfig> => Layer.succeed(IntercomConfig, make(options))

/**
 * Reads `INTERCOM_ACCESS_TOKEN` (redacted), `INTERCOM_REGION` (us | eu | au, default us) and `INTERCOM_BASE_URL`
 * (optional override) through Effect's `Config`, so any `ConfigProvider` works. Other settings come from
 * `options`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  options: Omit<Options, "accessToken" | "region" | "baseUrl"> = {}
): Layer.Layer<IntercomConfig, ConfigError.ConfigError> =>
  Layer.effect(
    IntercomConfig,
    Effect.gen(function* () {
      const accessToken = yield* Config.redacted("INTERCOM_ACCESS_TOKEN")
      const region = yield* Config.literal("us", "eu", "au")("INTERCOM_REGION").pipe(Config.withDefault("us" as const))
      const baseUrl = yield* Config.option(Config.string("INTERCOM_BASE_URL"))
      return make({ ...options, accessToken, region, baseUrl: Option.getOrUndefined(baseUrl) })
    })
  )
