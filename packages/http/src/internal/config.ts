import { Config, ConfigError, Duration, Effect, Either, Option, Redacted } from "effect"
import type {
  ConfigOptions,
  IntercomConfigShape,
  Options,
  Region,
  RetryInput,
  RetryOptions
} from "../IntercomConfig.js"

/** @internal */
export const regionBaseUrls: Readonly<Record<Region, string>> = {
  us: "https://api.intercom.io",
  eu: "https://api.eu.intercom.io",
  au: "https://api.au.intercom.io"
}

/** @internal */
export const defaultRetry: RetryOptions = {
  maxRetries: 4,
  baseDelay: Duration.millis(500),
  maxDelay: Duration.seconds(30),
  maxElapsed: Duration.minutes(2),
  jitter: 0.2
}

/** @internal */
export const defaultTimeout = Duration.seconds(30)

/**
 * Settings given in `input` over `base`; bad numbers are clamped to sane ranges.
 *
 * @internal
 */
export const retryOptions = (input: RetryInput, base: RetryOptions): RetryOptions => ({
  maxRetries: input.maxRetries === undefined ? base.maxRetries : Math.max(0, Math.floor(input.maxRetries)),
  baseDelay: input.baseDelay === undefined ? base.baseDelay : Duration.decode(input.baseDelay),
  maxDelay: input.maxDelay === undefined ? base.maxDelay : Duration.decode(input.maxDelay),
  maxElapsed: input.maxElapsed === undefined ? base.maxElapsed : Duration.decode(input.maxElapsed),
  jitter: input.jitter === undefined ? base.jitter : Math.min(1, Math.max(0, input.jitter))
})

const whitespaceNames: Readonly<Record<number, string>> = {
  0x09: "a tab",
  0x0a: "a line feed",
  0x0d: "a carriage return",
  0x20: "a space"
}

/**
 * Why `value` cannot be sent as an HTTP header value, or undefined when it can. `allowInnerSpaces` lets spaces
 * inside the value through (a user agent has them); a token has none. The value itself is never part of the answer.
 */
const headerValueProblem = (what: string, value: string, allowInnerSpaces: boolean): string | undefined => {
  if (value.length === 0) return `${what} is empty`
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i)
    const inner = i > 0 && i < value.length - 1
    if (code === 0x20 && allowInnerSpaces && inner) continue
    const where = `at character ${i + 1} of ${value.length}`
    const whitespace = whitespaceNames[code]
    if (whitespace !== undefined) {
      const last = i === value.length - 1
      const hint =
        last && (code === 0x0a || code === 0x0d)
          ? ", at its end (copied with a trailing newline?)"
          : last
            ? ", at its end"
            : ""
      return `${what} contains ${whitespace} ${where}${hint}`
    }
    if (code < 0x21 || code > 0x7e)
      return `${what} contains a character that cannot be sent in an HTTP header (a control or non-ASCII character) ${where}`
  }
  return undefined
}

/**
 * Why `token` cannot be an access token, or undefined. A bad token would otherwise be sent, be refused by the
 * transport or by Intercom, and be retried as if the network had failed.
 *
 * @internal
 */
export const tokenProblem = (token: string): string | undefined => headerValueProblem("the access token", token, false)

const baseUrlProblem = (baseUrl: string): string | undefined => {
  let url: URL
  try {
    url = new URL(baseUrl)
  } catch {
    // The URL is not repeated: it may carry credentials.
    return "the base URL is not an absolute URL"
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return "the base URL must be http: or https:"
  if (url.search !== "" || url.hash !== "") return "the base URL must not carry a query or a fragment"
  return undefined
}

const invalid = (path: string, message: string) => Either.left(ConfigError.InvalidData([path], message))

/** @internal */
export const resolve = (options: Options): Either.Either<IntercomConfigShape, ConfigError.ConfigError> => {
  const accessToken = Redacted.isRedacted(options.accessToken)
    ? options.accessToken
    : Redacted.make(options.accessToken)
  const token = tokenProblem(Redacted.value(accessToken))
  if (token !== undefined) return invalid("accessToken", token)
  const region = options.region ?? "us"
  if (!Object.hasOwn(regionBaseUrls, region)) return invalid("region", `expected one of us, eu, au`)
  const baseUrl = (options.baseUrl ?? regionBaseUrls[region]).replace(/\/+$/, "")
  const url = baseUrlProblem(baseUrl)
  if (url !== undefined) return invalid("baseUrl", url)
  const version = options.version ?? "2.10"
  const versionProblem = headerValueProblem("the API version", version, false)
  if (versionProblem !== undefined) return invalid("version", versionProblem)
  const suffix = options.userAgentSuffix
  const suffixProblem = suffix === undefined ? undefined : headerValueProblem("the user agent suffix", suffix, true)
  if (suffixProblem !== undefined) return invalid("userAgentSuffix", suffixProblem)

  const rateLimit = options.rateLimit ?? {}
  const budget = rateLimit.budget
  return Either.right({
    accessToken,
    baseUrl,
    version,
    timeout: Duration.decode(options.timeout ?? defaultTimeout),
    retry: retryOptions(options.retry ?? {}, defaultRetry),
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
    userAgentSuffix: Option.fromNullable(suffix)
  })
}

/** A field given as a plain value or as a `Config`, else `fallback`. */
const field = <A>(input: A | Config.Config<A> | undefined, fallback: Config.Config<A>): Config.Config<A> =>
  input === undefined ? fallback : Config.isConfig(input) ? (input as Config.Config<A>) : Config.succeed(input)

const unset = Config.succeed(undefined)

/**
 * The token from `INTERCOM_ACCESS_TOKEN`. It is checked as a plain string and only then made `Redacted`: an error
 * raised inside a redacted `Config` loses its message to "<redacted>", and this message holds no secret.
 */
const envToken: Config.Config<Redacted.Redacted<string>> = Config.string("INTERCOM_ACCESS_TOKEN").pipe(
  Config.mapOrFail((token) => {
    const problem = tokenProblem(token)
    return problem === undefined ? Either.right(token) : Either.left(ConfigError.InvalidData([], problem))
  }),
  Config.map(Redacted.make)
)

/**
 * Reads every field through `Config`; a field not given falls back to its environment variable (token, region,
 * base URL) or to its default. A token read from the environment is checked where it is read, so the error names
 * the variable; any other value is checked by `resolve`, and the error names the field.
 *
 * @internal
 */
export const fromConfig = (options: ConfigOptions): Effect.Effect<IntercomConfigShape, ConfigError.ConfigError> =>
  Effect.flatMap(
    Config.all({
      accessToken: field(options.accessToken, envToken),
      region: field<Region | undefined>(
        options.region,
        Config.literal("us", "eu", "au")("INTERCOM_REGION").pipe(Config.withDefault("us" as const))
      ),
      baseUrl: field(
        options.baseUrl,
        Config.map(Config.option(Config.string("INTERCOM_BASE_URL")), Option.getOrUndefined)
      ),
      version: field(options.version, unset),
      timeout: field(options.timeout, unset),
      retry: field(options.retry, unset),
      retrySchedule: field(options.retrySchedule, unset),
      rateLimit: field(options.rateLimit, unset),
      userAgentSuffix: field(options.userAgentSuffix, unset)
    }),
    (resolved) => resolve(resolved)
  )
