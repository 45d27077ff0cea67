import { RateLimiter } from "@effect/experimental"
import * as RateLimiterRedis from "@effect/experimental/RateLimiter/Redis"
import { Config, ConfigError, Duration, Effect, Either, Exit, Option, Redacted, Schedule, Scope } from "effect"
import { Redis, type RedisOptions } from "ioredis"
import type { Service } from "../SharedBudget.js"
import type { ConfigOptions, Options } from "../SharedBudget/Redis.js"
import { QuietConnector } from "./quietConnector.js"
import * as SharedBudget from "./sharedBudget.js"

const defaultPrefix = "intercom-effect:"

/** Options resolved and checked. */
interface Resolved {
  readonly limits: ReturnType<typeof SharedBudget.limits>
  /** Where Redis is: host, port, credentials, database, TLS, from the URL over `redis`. */
  readonly connection: RedisOptions
  /** The URL's password, to keep it out of any message. */
  readonly password: string | undefined
  readonly prefix: string
  readonly timeout: Duration.Duration
  readonly retryInterval: Duration.Duration
}

const invalid = (path: string, message: string) => Either.left(ConfigError.InvalidData([path], message))

/** Reads a redis:// or rediss:// URL. Messages never repeat it: it may carry a password. */
const fromUrl = (url: string): Either.Either<RedisOptions, ConfigError.ConfigError> => {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return invalid("url", "the Redis URL is not an absolute URL")
  }
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:")
    return invalid("url", "the Redis URL must be redis: or rediss:")
  const db = parsed.pathname.replace(/^\//, "")
  if (db !== "" && !/^\d+$/.test(db)) return invalid("url", "the Redis URL's path must be a database number")
  return Either.right({
    host: parsed.hostname.replace(/^\[(.*)\]$/, "$1") || "localhost",
    port: parsed.port === "" ? 6379 : Number(parsed.port),
    ...(parsed.username === "" ? {} : { username: decodeURIComponent(parsed.username) }),
    ...(parsed.password === "" ? {} : { password: decodeURIComponent(parsed.password) }),
    ...(db === "" ? {} : { db: Number(db) }),
    ...(parsed.protocol === "rediss:" ? { tls: {} } : {})
  })
}

/** @internal */
export const resolve = (options: Options): Either.Either<Resolved, ConfigError.ConfigError> => {
  if (options.window !== undefined && !Duration.greaterThan(Duration.decode(options.window), Duration.zero))
    return invalid("window", "the budget's window must be longer than zero")
  return Either.map(fromUrl(Redacted.isRedacted(options.url) ? Redacted.value(options.url) : options.url), (url) => ({
    limits: SharedBudget.limits(options),
    connection: { ...options.redis, ...url },
    password: url.password,
    prefix: options.prefix ?? defaultPrefix,
    timeout: Duration.decode(options.timeout ?? Duration.seconds(1)),
    retryInterval: Duration.decode(options.retryInterval ?? Duration.seconds(1))
  }))
}

/** Sets the window's reset time if it is later than the one stored, and tells the subscribers when it did. */
const announceScript = `
local at = tonumber(ARGV[1])
local stored = tonumber(redis.call("GET", KEYS[1]) or "0")
if at <= stored then return 0 end
redis.call("SET", KEYS[1], ARGV[1], "PX", ARGV[2])
redis.call("PUBLISH", KEYS[1], ARGV[1])
return 1
`

interface Commands extends Redis {
  announce(key: string, untilMillis: number, ttlMillis: number): Promise<number>
}

type State =
  /** Spending through Redis; `scope` holds the store's connection. */
  | { readonly _tag: "Shared"; readonly limiter: RateLimiter.RateLimiter; readonly scope: Scope.CloseableScope }
  /** Redis is out of reach: the client's gate alone paces the calls, and one fiber tries Redis again. */
  | { readonly _tag: "Alone" }

/** Waits for the connection's first `ready`, failing on its first error or after `timeout`. */
const firstReady = (redis: Redis, timeout: Duration.Duration) =>
  Effect.async<void, Error>((resume) => {
    if (redis.status === "ready") return resume(Effect.void)
    const onReady = () => resume(Effect.void)
    const onError = (error: Error) => resume(Effect.fail(error))
    redis.once("ready", onReady)
    redis.once("error", onError)
    return Effect.sync(() => {
      redis.off("ready", onReady)
      redis.off("error", onError)
    })
  }).pipe(Effect.timeoutFail({ duration: timeout, onTimeout: () => new Error("timed out connecting") }))

const messageOf = (error: unknown): string => {
  const cause = error instanceof RateLimiter.RateLimitStoreError && error.cause !== undefined ? error.cause : error
  return cause instanceof Error ? cause.message : String(cause)
}

/** @internal */
export const make = (options: Options): Effect.Effect<Service, ConfigError.ConfigError, Scope.Scope> =>
  Effect.gen(function* () {
    const resolved = yield* resolve(options)
    const scope = yield* Effect.scope
    const clock = yield* Effect.clock
    const timeoutMillis = Duration.toMillis(resolved.timeout)
    const retryMillis = Duration.toMillis(resolved.retryInterval)
    const describe = (error: unknown) => {
      const message = messageOf(error)
      return resolved.password === undefined ? message : message.split(resolved.password).join("<redacted>")
    }

    // The connections this module owns reconnect by themselves. Their errors are expected while Redis is away and
    // are told once, by the state changes below; without a listener ioredis would print each reconnection attempt.
    const connection: RedisOptions = {
      ...resolved.connection,
      connectTimeout: timeoutMillis,
      retryStrategy: (times) => Math.min(times * 100, retryMillis)
    }
    const open = <A extends Redis>(extra: RedisOptions) =>
      Effect.acquireRelease(
        Effect.sync(() => {
          const redis = new Redis({ ...connection, ...extra }) as A
          redis.on("error", () => {})
          return redis
        }),
        (redis) => Effect.sync(() => redis.disconnect())
      )
    // Commands fail at once while the connection is down, instead of queueing behind a reconnection.
    const commands = yield* open<Commands>({
      commandTimeout: timeoutMillis,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0
    })
    commands.defineCommand("announce", { numberOfKeys: 1, lua: announceScript })
    // Subscriptions wait for the connection, and are renewed by ioredis after each reconnection.
    const subscriber = yield* open<Redis>({ maxRetriesPerRequest: null })

    const listeners = new Map<string, Set<(until: number) => void>>()
    const deliver = (channel: string, until: number) => {
      if (!Number.isFinite(until)) return
      for (const listener of listeners.get(channel) ?? []) listener(until)
    }
    subscriber.on("message", (channel: string, message: string) => deliver(channel, Number(message)))
    const windowKey = (channel: string) => `${resolved.prefix}${channel}`

    /** Delivers the window stored at `key` if it is not over: announced while this worker was not listening. */
    const catchUp = (key: string) =>
      Effect.tryPromise(() => commands.get(key)).pipe(
        Effect.map((value) => {
          const until = Number(value)
          if (value !== null && until > clock.unsafeCurrentTimeMillis()) deliver(key, until)
        }),
        Effect.ignore
      )

    // The limiter's store is `@effect/experimental`'s, on a connection of its own that has no error listener. So
    // that ioredis prints nothing for it, that connection does not reconnect (when Redis goes away the store is
    // dropped, and a new one is made once Redis answers again) and its socket ends quietly on an error.
    // Typed by the store's own declaration of ioredis' options, which differs from ioredis' under
    // `exactOptionalPropertyTypes` only in how it spells optional fields.
    const storeOptions = {
      ...connection,
      prefix: `${resolved.prefix}budget:`,
      commandTimeout: timeoutMillis,
      retryStrategy: () => null,
      Connector: QuietConnector
    } as Parameters<typeof RateLimiterRedis.make>[0]
    const connect = Effect.gen(function* () {
      yield* Effect.tryPromise(() => commands.ping())
      const storeScope = yield* Scope.make()
      const store = yield* RateLimiterRedis.make(storeOptions).pipe(Scope.extend(storeScope))
      const limiter = yield* RateLimiter.make.pipe(Effect.provideService(RateLimiter.RateLimiterStore, store))
      return { _tag: "Shared", limiter, scope: storeScope } as const
    })

    let state: State = { _tag: "Alone" }

    const rejoin = connect.pipe(
      Effect.retry(Schedule.spaced(resolved.retryInterval)),
      Effect.flatMap((shared) =>
        Effect.zipRight(
          Effect.sync(() => {
            state = shared
          }),
          Effect.zipRight(
            Effect.logInfo("Intercom shared budget: Redis answers again; this worker shares the budget again"),
            Effect.forEach(listeners.keys(), catchUp, { discard: true })
          )
        )
      )
    )

    const alone = (reason: string) =>
      Effect.zipRight(
        Effect.logWarning(
          `Intercom shared budget: Redis is out of reach (${reason}); this worker goes on under its own rate-limit ` +
            `gate and tries Redis again every ${Duration.format(resolved.retryInterval)}`
        ),
        Effect.forkIn(rejoin, scope)
      )

    const failed = (limiter: RateLimiter.RateLimiter, error: RateLimiter.RateLimiterError) =>
      Effect.suspend(() => {
        // Every call in flight fails when Redis goes away; the first one to get here tells it.
        const current = state
        if (current._tag !== "Shared" || current.limiter !== limiter) return Effect.void
        state = { _tag: "Alone" }
        // Closing may wait for a dead connection: not in this call's way.
        return Effect.zipRight(
          Effect.forkIn(Effect.exit(Scope.close(current.scope, Exit.void)), scope),
          alone(describe(error))
        )
      })

    // At the start, wait (at most `timeout`) for Redis, so the first calls are already shared.
    const first = yield* Effect.either(
      Effect.zipRight(
        firstReady(commands, resolved.timeout),
        connect.pipe(Effect.timeoutFail({ duration: resolved.timeout, onTimeout: () => new Error("timed out") }))
      )
    )
    if (Either.isRight(first)) state = first.right
    else yield* alone(describe(first.left))
    yield* Effect.addFinalizer(() =>
      Effect.suspend(() => (state._tag === "Shared" ? Effect.exit(Scope.close(state.scope, Exit.void)) : Effect.void))
    )

    return SharedBudget.make(resolved.limits, {
      limiter: () => (state._tag === "Shared" ? state.limiter : undefined),
      failed,
      publish: (channel, until) => {
        // Announcing is best effort: while Redis is away the gates of the others learn from their own responses.
        const ttl = Math.max(1, Math.ceil(until - clock.unsafeCurrentTimeMillis()))
        commands.announce(windowKey(channel), until, ttl).catch(() => {})
      },
      listen: (channel, f) =>
        Effect.acquireRelease(
          Effect.gen(function* () {
            const key = windowKey(channel)
            let set = listeners.get(key)
            if (set === undefined) {
              set = new Set()
              listeners.set(key, set)
              subscriber.subscribe(key).catch(() => {})
            }
            set.add(f)
            yield* catchUp(key)
          }),
          () =>
            Effect.sync(() => {
              const key = windowKey(channel)
              const set = listeners.get(key)
              set?.delete(f)
              if (set !== undefined && set.size === 0) {
                listeners.delete(key)
                subscriber.unsubscribe(key).catch(() => {})
              }
            })
        )
    })
  })

/** The settings read from the environment, for each one the caller left out. */
const env = {
  url: Config.redacted("REDIS_URL"),
  limit: Config.option(Config.integer("INTERCOM_BUDGET_LIMIT")),
  window: Config.option(Config.duration("INTERCOM_BUDGET_WINDOW")),
  workspaceId: Config.option(Config.nonEmptyString("INTERCOM_WORKSPACE_ID")),
  workspaceLimit: Config.option(Config.integer("INTERCOM_WORKSPACE_BUDGET_LIMIT"))
}

/** A field given as a plain value or as a `Config`, else `fallback`. */
const field = <A>(input: A | Config.Config<A> | undefined, fallback: Config.Config<A>): Config.Config<A> =>
  input === undefined ? fallback : Config.isConfig(input) ? (input as Config.Config<A>) : Config.succeed(input)

/** @internal */
export const fromConfig = (options: ConfigOptions): Config.Config<Options> =>
  Config.all({
    url: field<Options["url"]>(options.url, env.url),
    limit: field(options.limit, Config.map(env.limit, Option.getOrUndefined)),
    window: field(options.window, Config.map(env.window, Option.getOrUndefined)),
    workspace: field(
      options.workspace,
      Config.map(Config.all([env.workspaceId, env.workspaceLimit]), ([id, limit]) =>
        Option.match(id, {
          onNone: () => undefined,
          onSome: (id) => ({ id, limit: Option.getOrUndefined(limit) })
        })
      )
    ),
    prefix: field(options.prefix, Config.succeed(undefined)),
    timeout: field(options.timeout, Config.succeed(undefined)),
    retryInterval: field(options.retryInterval, Config.succeed(undefined)),
    redis: field(options.redis, Config.succeed(undefined))
  })
