import { RateLimiter } from "@effect/experimental"
import { Duration, Effect, Option, type Scope } from "effect"
import type { App, Budget, Limits, Member, Options, Service } from "../SharedBudget.js"

/** Intercom's windows. */
const defaultWindow = Duration.seconds(10)

/** Intercom's 10,000 calls a minute per app, per 10-second window. */
const defaultAppLimit = 1666

/** Intercom's 25,000 calls a minute per workspace, per 10-second window. */
const defaultWorkspaceLimit = 4166

/** @internal */
export const limits = (options: Options = {}): Limits => {
  // A window of nothing would pace at infinite speed: it is at least a millisecond.
  const window = Duration.max(Duration.decode(options.window ?? defaultWindow), Duration.millis(1))
  const limit = (value: number | undefined, fallback: number) => Math.max(1, Math.floor(value ?? fallback))
  const workspace = options.workspace
  return {
    app: { limit: limit(options.limit, defaultAppLimit), window },
    workspace:
      workspace === undefined
        ? Option.none()
        : Option.some({ id: workspace.id, limit: limit(workspace.limit, defaultWorkspaceLimit), window })
  }
}

/**
 * How much later than its turn a call may reach Intercom: the event loop of a busy worker, a garbage collection, the
 * network. Late calls bunch up with the ones on time, so the pace leaves room for the calls that this much lateness
 * can push into one window (measured: 4 workers and their server sharing 2 cores with a full test run pushed up to
 * 4 calls of 36 ms into the next window).
 */
const jitterMillis = 200

/** @internal */
export const pacing = (budget: Budget): Duration.Duration => {
  const windowMillis = Duration.toMillis(budget.window)
  // Calls released one interval apart can still be sent up to one interval late (the limiter rounds each delay up
  // to a whole interval), so any window may see one call more than it holds intervals, plus what lateness bunches.
  const slack = 1 + Math.ceil((budget.limit * jitterMillis) / windowMillis)
  return Duration.millis(windowMillis / Math.max(1, budget.limit - slack))
}

const hex = (bytes: ArrayBuffer) => Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, "0")).join("")

/** @internal */
export const appKey = (accessToken: string): Effect.Effect<string> =>
  Effect.promise(() =>
    // WebCrypto, so the library stays free of Node's own modules. The prefix keeps this hash apart from any other
    // use of the same token.
    globalThis.crypto.subtle.digest("SHA-256", new TextEncoder().encode(`intercom-effect/app-key\n${accessToken}`))
  ).pipe(Effect.map((digest) => hex(digest).slice(0, 32)))

/** What a shared budget needs from the place it is kept. */
export interface Link {
  /** The limiter to spend through, or undefined while its store is out of reach. */
  readonly limiter: () => RateLimiter.RateLimiter | undefined
  /** Called when `limiter` failed: the link decides what that means (say so once, go on alone, try again later). */
  readonly failed: (limiter: RateLimiter.RateLimiter, error: RateLimiter.RateLimiterError) => Effect.Effect<void>
  /** Tells the other members of `channel` that the window is spent until `untilMillis`. Returns at once. */
  readonly publish: (channel: string, untilMillis: number) => void
  /**
   * Calls `f` with each window announced on `channel` by others (own announcements may come back too), and with the
   * last one announced before, if it is not over, for the lifetime of the scope.
   */
  readonly listen: (channel: string, f: (untilMillis: number) => void) => Effect.Effect<void, never, Scope.Scope>
}

/** The keys a member of `app` spends, each with its pace. */
const budgetsOf = (limits: Limits, app: App) => {
  const budgets = [{ key: `app:${app.key}`, interval: pacing(limits.app) }]
  if (Option.isSome(limits.workspace)) {
    const workspace = limits.workspace.value
    budgets.push({ key: `workspace:${workspace.id}`, interval: pacing(workspace) })
  }
  return budgets
}

/**
 * Takes one turn in each budget and waits for the latest of them. Each budget is a token bucket holding one call
 * and refilled once per interval, so the members together send at an even pace; a member whose turn is later
 * sleeps until it comes (the limiter lets the count go below zero, which is what queues the turns).
 */
const spend = (
  limiter: RateLimiter.RateLimiter,
  budgets: ReadonlyArray<{ readonly key: string; readonly interval: Duration.Duration }>
): Effect.Effect<void, RateLimiter.RateLimiterError> => {
  const turn = (budget: { readonly key: string; readonly interval: Duration.Duration }) =>
    limiter.consume({
      algorithm: "token-bucket",
      onExceeded: "delay",
      key: budget.key,
      limit: 1,
      window: budget.interval
    })
  const wait = (delay: Duration.Duration) => (Duration.isZero(delay) ? Effect.void : Effect.sleep(delay))
  if (budgets.length === 1) return Effect.flatMap(turn(budgets[0]!), (result) => wait(result.delay))
  return Effect.flatMap(Effect.forEach(budgets, turn, { concurrency: "unbounded" }), (results) =>
    wait(results.reduce((longest, result) => Duration.max(longest, result.delay), Duration.zero))
  )
}

/** @internal */
export const make = (limits: Limits, link: Link): Service => ({
  join: (app, onSpent) =>
    Effect.gen(function* () {
      const budgets = budgetsOf(limits, app)
      const channel = `window:app:${app.key}`
      // The latest window this member announced or heard of: each spent window is announced once, not by every
      // worker that sees it, and heard once.
      let known = 0
      yield* link.listen(channel, (until) => {
        if (until <= known) return
        known = until
        onSpent(until)
      })
      const member: Member = {
        take: Effect.suspend(() => {
          const limiter = link.limiter()
          if (limiter === undefined) return Effect.void
          return Effect.catchAll(spend(limiter, budgets), (error) => link.failed(limiter, error))
        }),
        announce: (until) => {
          if (until <= known) return
          known = until
          link.publish(channel, until)
        }
      }
      return member
    })
})

/** @internal */
export const makeMemory = (limits: Limits): Effect.Effect<Service> =>
  Effect.gen(function* () {
    const limiter = yield* RateLimiter.make.pipe(Effect.provide(RateLimiter.layerStoreMemory))
    const listeners = new Map<string, Set<(until: number) => void>>()
    const last = new Map<string, number>()
    return make(limits, {
      limiter: () => limiter,
      // The memory store cannot fail.
      failed: () => Effect.void,
      publish: (channel, until) => {
        last.set(channel, Math.max(last.get(channel) ?? 0, until))
        for (const listener of listeners.get(channel) ?? []) listener(until)
      },
      listen: (channel, f) =>
        Effect.clockWith((clock) =>
          Effect.acquireRelease(
            Effect.sync(() => {
              const set = listeners.get(channel) ?? new Set()
              listeners.set(channel, set)
              set.add(f)
              const until = last.get(channel)
              if (until !== undefined && until > clock.unsafeCurrentTimeMillis()) f(until)
            }),
            () => Effect.sync(() => listeners.get(channel)?.delete(f))
          )
        )
    })
  })
