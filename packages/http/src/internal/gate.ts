/**
 * The proactive rate-limit gate: one per client instance, shared by every fiber that uses the client.
 *
 * It keeps a local count of the calls the current window still allows ("tokens"), fed by the X-RateLimit headers
 * of every response. Three traps shape it:
 * - `remaining` is stale while other requests are in flight: the server has not counted them yet, so a response's
 *   `remaining` is reduced by the requests still in flight before it is believed.
 * - before the first response nothing is known: one request goes out alone and teaches the gate the window.
 * - that first request may get no answer at all (a timeout, a reset). Waiting for the next one to answer would send
 *   a whole burst single file behind a slow server, so a probe that fails without a response opens the gate until
 *   some response names the window. The burst then goes out under the concurrency cap; if the window turns out to
 *   be smaller, the 429s it draws are retried after the reset (a 429 is never processed, so that is safe).
 * When the tokens are spent, new requests wait for the reset (plus a margin for clock skew) instead of drawing a
 * 429; at the reset exactly `limit` of them are let through, the rest keep waiting, so there is no stampede.
 *
 * The state is plain mutable data: every change is synchronous and JavaScript runs one fiber at a time, so no
 * `Ref` is needed, and a call that does not wait allocates nothing here.
 */
import { Cause, Deferred, Duration, Effect, Exit, FiberId, Option } from "effect"
import type { RateLimitSnapshot } from "../RateLimit.js"

type Window =
  /** Nothing learned yet: let one probe go. */
  | { readonly _tag: "Unknown" }
  /** Responses carry no rate-limit headers (a proxy, a mock), or the probe got no answer: the gate stays open. */
  | { readonly _tag: "Open" }
  | {
      readonly _tag: "Known"
      readonly limit: number
      readonly tokens: number
      /** Epoch ms of the reset; null after a local rollover, until a response names the new window. */
      readonly resetAtMillis: number | null
    }

/** @internal */
export interface Gate {
  /**
   * Runs `effect` as one request through the gate: waits for a place (interruptibly), always gives it back. The
   * request must report its response with `observe`.
   */
  readonly withSlot: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  /** Feeds the window seen on a response; `penaltyMillis` is the wait a 429 asked for. */
  readonly observe: (
    snapshot: Option.Option<RateLimitSnapshot>,
    penaltyMillis: number | undefined,
    nowMillis: number
  ) => Effect.Effect<void>
  /** The latest window a response reported. */
  readonly snapshot: Effect.Effect<Option.Option<RateLimitSnapshot>>
}

/** @internal */
export const make = (options: { readonly enabled: boolean; readonly resetMargin: Duration.Duration }): Gate => {
  const margin = Duration.toMillis(options.resetMargin)
  let window: Window = { _tag: "Unknown" }
  let inFlight = 0
  let last: Option.Option<RateLimitSnapshot> = Option.none()
  // Created by the first waiter, completed and dropped on the next change: waiters wake up and look again.
  let changed: Deferred.Deferred<void> | undefined

  const notify = () => {
    if (changed === undefined) return
    const waiters = changed
    changed = undefined
    Deferred.unsafeDone(waiters, Exit.void)
  }

  /**
   * Takes a place when the window allows one more request and returns undefined; otherwise returns until when to
   * wait (null: until something changes).
   */
  const tryTake = (now: number): number | null | undefined => {
    const w = window
    switch (w._tag) {
      case "Open":
        inFlight++
        return undefined
      case "Unknown":
        if (inFlight > 0) return null
        inFlight++
        return undefined
      case "Known": {
        // The announced reset has passed: a fresh window, end time not yet known. Requests still in flight may
        // reach Intercom only now and count against it, so they come off the full limit.
        const current =
          w.resetAtMillis !== null && now >= w.resetAtMillis + margin
            ? { ...w, tokens: Math.max(0, w.limit - inFlight), resetAtMillis: null }
            : w
        if (current.tokens > 0) {
          window = { ...current, tokens: current.tokens - 1 }
          inFlight++
          return undefined
        }
        window = current
        if (current.resetAtMillis !== null) return current.resetAtMillis + margin
        // Spent, and the reset is unknown: a response in flight will name it. With nothing in flight there is
        // nobody to learn from, so one request goes as a probe.
        if (inFlight > 0) return null
        inFlight++
        return undefined
      }
    }
  }

  // Runs uninterruptibly except while it waits, so a place taken is always handed to `withSlot`, which returns it.
  const acquire = (restore: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>): Effect.Effect<void> =>
    Effect.clockWith((clock) => {
      const now = clock.unsafeCurrentTimeMillis()
      const until = tryTake(now)
      if (until === undefined) return Effect.void
      const woken = Deferred.await((changed ??= Deferred.unsafeMake<void>(FiberId.none)))
      const wait = until === null ? woken : Effect.race(woken, Effect.sleep(Duration.millis(Math.max(0, until - now))))
      return Effect.zipRight(
        restore(wait),
        Effect.suspend(() => acquire(restore))
      )
    })

  // One request finished, with or without a response.
  const release = (exit: Exit.Exit<unknown, unknown>) =>
    Effect.sync(() => {
      inFlight = Math.max(0, inFlight - 1)
      // Only the probe is in flight while the window is Unknown, and any response it got would have replaced
      // Unknown: so this probe failed without an answer (not merely interrupted by its caller).
      if (window._tag === "Unknown" && Exit.isFailure(exit) && !Cause.isInterruptedOnly(exit.cause)) {
        window = { _tag: "Open" }
      }
      notify()
    })

  const observe = (snapshot: Option.Option<RateLimitSnapshot>, penaltyMillis: number | undefined, now: number) => {
    // The request being observed is still counted in `inFlight`; the others may not be counted by the server.
    const others = Math.max(0, inFlight - 1)
    let next: Window = window
    if (Option.isSome(snapshot)) {
      const { limit, remaining, resetAtMillis } = snapshot.value
      const believed = Math.max(0, remaining - others)
      if (next._tag !== "Known" || next.resetAtMillis === null || resetAtMillis > next.resetAtMillis) {
        // A newer window (or the first one seen). After a local rollover keep the smaller count, since the local
        // count already includes requests sent into this window.
        const tokens = next._tag === "Known" && next.resetAtMillis === null ? Math.min(next.tokens, believed) : believed
        next = { _tag: "Known", limit, tokens, resetAtMillis }
      } else if (resetAtMillis === next.resetAtMillis) {
        next = { ...next, limit, tokens: Math.min(next.tokens, believed) }
      }
      // An answer about an older window arrives late: it says nothing about the current one.
    } else if (next._tag === "Unknown") {
      next = { _tag: "Open" }
    }
    if (penaltyMillis !== undefined) {
      // A 429 means the server's view is stricter than ours (another process, or a smaller budget): hold everyone
      // until the server's reset.
      const until = now + penaltyMillis
      next =
        next._tag === "Known"
          ? { ...next, tokens: 0, resetAtMillis: Math.max(next.resetAtMillis ?? 0, until) }
          : { _tag: "Known", limit: 1, tokens: 0, resetAtMillis: until }
    }
    window = next
    notify()
  }

  const record = (snapshot: Option.Option<RateLimitSnapshot>) => {
    if (Option.isSome(snapshot)) last = snapshot
  }

  return options.enabled
    ? {
        withSlot: (effect) =>
          Effect.uninterruptibleMask((restore) =>
            Effect.zipRight(acquire(restore), Effect.onExit(restore(effect), release))
          ),
        observe: (snapshot, penaltyMillis, now) =>
          Effect.sync(() => {
            record(snapshot)
            observe(snapshot, penaltyMillis, now)
          }),
        snapshot: Effect.sync(() => last)
      }
    : {
        withSlot: (effect) => effect,
        observe: (snapshot) => Effect.sync(() => record(snapshot)),
        snapshot: Effect.sync(() => last)
      }
}
