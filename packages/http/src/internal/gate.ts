/**
 * The gate every attempt passes: one per client instance, shared by every fiber that uses the client. It holds
 * the concurrency cap and the proactive rate limit in one decision ("may one more request go now?"), so a call
 * that finds a place pays a few synchronous checks and nothing else.
 *
 * The rate limit keeps a local count of the calls the current window still allows ("tokens"), fed by the
 * X-RateLimit headers of every response. Three traps shape it:
 * - `remaining` is stale while other requests are in flight: the server has not counted them yet, so a response's
 *   `remaining` is reduced by the requests still awaiting their answer before it is believed. Only those: a request
 *   whose answer has arrived, and whose body is still being read, was counted by the server already, and taking it
 *   off again would leave part of every window unused (measured: 17–19 of 20 calls per window with 4 concurrent
 *   walks, enough to cost a whole extra window now and then).
 * - before the first response nothing is known: one request goes out alone and teaches the gate the window.
 * - that first request may get no answer at all (a timeout, a reset). Waiting for the next one to answer would send
 *   a whole burst single file behind a slow server, so a probe that fails without a response opens the gate until
 *   some response names the window. The burst then goes out under the concurrency cap; if the window turns out to
 *   be smaller, the 429s it draws are retried after the reset (a 429 is never processed, so that is safe).
 * When the tokens are spent, new requests wait for the reset (plus a margin for clock skew) instead of drawing a
 * 429; at the reset exactly `limit` of them are let through, the rest keep waiting, so there is no stampede.
 *
 * Waiting requests queue in arrival order and are handed their place one by one (the place is taken for them
 * before they wake), so a freed place wakes one fiber, not all of them. Only the head of the queue watches the
 * clock when it waits for a reset. The state is plain mutable data: every change is synchronous and JavaScript
 * runs one fiber at a time, so no `Ref` is needed.
 */
import { Cause, Duration, Effect, Exit, Option } from "effect"
import * as ClientMetrics from "../ClientMetrics.js"
import type { RateLimitSnapshot } from "../RateLimit.js"

type Window =
  /** Nothing learned yet: let one probe go. */
  | { readonly _tag: "Unknown" }
  /** Responses carry no rate-limit headers (a proxy, a mock), or the probe got no answer: only the cap applies. */
  | { readonly _tag: "Open" }
  | Known

/** A window reported by Intercom. Mutated in place: it changes on every request, and only the gate sees it. */
interface Known {
  readonly _tag: "Known"
  limit: number
  tokens: number
  /** Epoch ms of the reset; null after a local rollover, until a response names the new window. */
  resetAtMillis: number | null
  /** Who said the window is spent, for the wait metric: the count (`window`), a 429, or another worker. */
  heldBy: HoldReason
}

/** The reasons a window can be held for (see `ClientMetrics.WaitReason`). */
type HoldReason = "window" | "retry-after" | "shared"

interface Waiter {
  /** Set when the gate has taken a place for this waiter. */
  granted: boolean
  /** For the head of the queue: the time it waits for (null: until something changes). */
  until: number | null
  /** Wakes the waiting fiber, while it waits. */
  wake: (() => void) | undefined
  /** When it started waiting (epoch ms), and why: recorded in `ClientMetrics` once it is granted its place. */
  readonly since: number
  reason: ClientMetrics.WaitReason
}

/**
 * One request's place in the gate, from the moment it is granted until the request ends.
 *
 * @internal
 */
export interface Slot {
  /** Set once the request's response has arrived: the server has counted it. */
  answered: boolean
}

/** @internal */
export interface Gate {
  /**
   * Runs `effect` as one request through the gate: waits for a place (interruptibly), always gives it back. The
   * request must report its response with `unsafeObserve`, passing the slot it was given.
   */
  readonly withSlot: <A, E, R>(effect: (slot: Slot) => Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  /**
   * Feeds the window seen on the response of the request holding `slot`; `penaltyMillis` is the wait a 429 asked
   * for. Synchronous, for the code that handles a response (which runs once per response).
   */
  readonly unsafeObserve: (
    slot: Slot,
    snapshot: Option.Option<RateLimitSnapshot>,
    penaltyMillis: number | undefined,
    nowMillis: number
  ) => void
  /**
   * How long from `now` (in ms, the reset margin included) the window stays reported spent: by a response that said
   * nothing remains, a 429, or `unsafeHold`. 0 when it is not. For a request let through before such a report that
   * has not left yet (it waited for its turn in a shared budget).
   */
  readonly unsafeSpentFor: (now: number) => number
  /**
   * Holds new requests until `until` (epoch ms, plus the reset margin): the window is spent, as another worker
   * sharing this app's budget learned. Requests already waiting for a place go on waiting for that time instead.
   */
  readonly unsafeHold: (until: number, now: number) => void
  /** The latest window a response reported. */
  readonly snapshot: Effect.Effect<Option.Option<RateLimitSnapshot>>
}

type Restore = <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>

/** The gate's options (the rate-limit part of `IntercomConfig`). */
interface Options {
  /** When false, only the concurrency cap applies. */
  readonly enabled: boolean
  readonly maxConcurrency: number
  readonly resetMargin: Duration.Duration
}

/**
 * Everything the gate knows, as plain mutable data. Each step below is a function of it: every change is
 * synchronous and JavaScript runs one fiber at a time, so no `Ref` is needed.
 */
interface State {
  readonly options: Options
  /** The reset margin in ms, decoded once. */
  readonly margin: number
  window: Window
  inFlight: number
  /** Of the requests in flight, those whose response has arrived (their body may still be on its way). */
  answered: number
  last: Option.Option<RateLimitSnapshot>
  /** Until when the server (or another worker) reported the window spent, as opposed to spent by local count. */
  spentUntil: number
  readonly queue: Array<Waiter>
}

/**
 * Takes a place when one more request may go and returns undefined; otherwise returns until when to wait
 * (null: until something changes).
 */
const tryTake = (state: State, now: number): number | null | undefined => {
  if (state.inFlight >= state.options.maxConcurrency) return null
  const w = state.window
  switch (w._tag) {
    case "Open":
      state.inFlight++
      return undefined
    case "Unknown":
      if (state.inFlight > 0) return null
      state.inFlight++
      return undefined
    case "Known": {
      // The announced reset has passed: a fresh window, end time not yet known. Requests still awaiting their
      // answer may reach Intercom only now and count against it, so they come off the full limit.
      if (w.resetAtMillis !== null && now >= w.resetAtMillis + state.margin) {
        w.tokens = Math.max(0, w.limit - (state.inFlight - state.answered))
        w.resetAtMillis = null
        w.heldBy = "window"
      }
      if (w.tokens > 0) {
        w.tokens--
        state.inFlight++
        return undefined
      }
      if (w.resetAtMillis !== null) return w.resetAtMillis + state.margin
      // Spent, and the reset is unknown: a response still awaited will name it. With none awaited there is
      // nobody to learn from, so one request goes as a probe.
      if (state.inFlight > state.answered) return null
      state.inFlight++
      return undefined
    }
  }
}

/**
 * Why a request that cannot go now waits: for the reset of a spent window (and who said it is spent), or for a free
 * place. `pump` refines it for the head of the queue once it knows what the head waits for.
 */
const blockedBy = (state: State, until: number | null): ClientMetrics.WaitReason =>
  until !== null && state.window._tag === "Known" ? state.window.heldBy : "concurrency"

/** Why a request queued now waits, before `pump` knows better: the spent window's holder while it holds, else a place. */
const heldNow = (state: State, now: number): ClientMetrics.WaitReason => {
  const w = state.window
  return w._tag === "Known" && w.tokens === 0 && w.resetAtMillis !== null && now < w.resetAtMillis + state.margin
    ? w.heldBy
    : "concurrency"
}

/** Resumes a waiting fiber once: its wake-up is cleared first, so a second call does nothing. */
const wake = (waiter: Waiter) => {
  const wakeUp = waiter.wake
  waiter.wake = undefined
  wakeUp?.()
}

/**
 * Hands places to the queue in order, as long as there are places; tells the head what it waits for. A place is
 * taken for a waiter before it wakes, so a freed place wakes one fiber, not all of them.
 */
const pump = (state: State, now: number) => {
  const queue = state.queue
  while (queue.length > 0) {
    const head = queue[0]!
    const until = tryTake(state, now)
    if (until !== undefined) {
      if (head.until !== until) {
        head.until = until
        // A wait for the window's reset says more than a wait for a place: it is the one the metric keeps, for the
        // head and for everyone queued behind it.
        if (until !== null) for (const waiter of queue) waiter.reason = blockedBy(state, until)
        wake(head)
      }
      return
    }
    queue.shift()
    head.granted = true
    ClientMetrics.unsafeRecord(head.reason, now - head.since)
    wake(head)
  }
}

/** One request left the gate: its place (and its answered mark) is free for the queue. */
const giveBack = (state: State, wasAnswered: boolean, now: number) => {
  state.inFlight = Math.max(0, state.inFlight - 1)
  if (wasAnswered) state.answered = Math.max(0, state.answered - 1)
  pump(state, now)
}

/** Takes a waiter out of the queue when its fiber is interrupted, giving back a place granted meanwhile. */
const leave = (state: State, waiter: Waiter, now: number) => {
  const at = state.queue.indexOf(waiter)
  if (at >= 0) state.queue.splice(at, 1)
  if (waiter.granted) giveBack(state, false, now)
  else pump(state, now)
}

/**
 * Waits (interruptibly) until `waiter` is granted a place. Only the head of the queue watches the clock, when it
 * waits for a reset; the others sleep until `pump` wakes them. Everything else runs uninterruptibly, so a place
 * granted is always either used or given back.
 */
const waitTurn = (state: State, waiter: Waiter, restore: Restore): Effect.Effect<void> =>
  Effect.clockWith((clock) => {
    if (waiter.granted) return Effect.void
    const signal = Effect.async<void>((resume) => {
      waiter.wake = () => resume(Effect.void)
      return Effect.sync(() => {
        waiter.wake = undefined
      })
    })
    const now = clock.unsafeCurrentTimeMillis()
    const wait =
      state.queue[0] === waiter && waiter.until !== null
        ? Effect.raceFirst(
            signal,
            Effect.sleep(Duration.millis(Math.max(0, waiter.until - now))).pipe(
              Effect.zipRight(Effect.sync(() => pump(state, clock.unsafeCurrentTimeMillis())))
            )
          )
        : signal
    return restore(wait).pipe(
      Effect.onInterrupt(() => Effect.sync(() => leave(state, waiter, clock.unsafeCurrentTimeMillis()))),
      Effect.zipRight(Effect.suspend(() => waitTurn(state, waiter, restore)))
    )
  })

/** A place for one request: at once when nobody queues and the gate allows it, else at the back of the queue. */
const acquire = (state: State, restore: Restore): Effect.Effect<void> =>
  Effect.clockWith((clock) => {
    const now = clock.unsafeCurrentTimeMillis()
    if (state.queue.length === 0 && tryTake(state, now) === undefined) return Effect.void
    const waiter: Waiter = { granted: false, until: null, wake: undefined, since: now, reason: heldNow(state, now) }
    state.queue.push(waiter)
    pump(state, now)
    return waitTurn(state, waiter, restore)
  })

/**
 * One request finished, with or without a response. Only the probe is in flight while the window is Unknown, and any
 * response it got would have replaced Unknown: so a failure here is a probe without an answer (not merely one
 * interrupted by its caller), and the gate opens rather than send the burst single file.
 */
const release = (state: State, slot: Slot, exit: Exit.Exit<unknown, unknown>) =>
  Effect.clockWith((clock) => {
    if (state.window._tag === "Unknown" && Exit.isFailure(exit) && !Cause.isInterruptedOnly(exit.cause)) {
      state.window = { _tag: "Open" }
    }
    giveBack(state, slot.answered, clock.unsafeCurrentTimeMillis())
    return Effect.void
  })

/** The window is spent until `until`, whatever the local count says. */
const hold = (state: State, until: number, reason: HoldReason) => {
  state.spentUntil = Math.max(state.spentUntil, until)
  const w = state.window
  if (w._tag === "Known") {
    w.tokens = 0
    if (w.resetAtMillis === null || until >= w.resetAtMillis) w.heldBy = reason
    w.resetAtMillis = Math.max(w.resetAtMillis ?? 0, until)
  } else {
    state.window = { _tag: "Known", limit: 1, tokens: 0, resetAtMillis: until, heldBy: reason }
  }
}

/** Believes a response's window, less the requests it cannot have counted yet. */
const learn = (
  state: State,
  snapshot: Option.Option<RateLimitSnapshot>,
  penaltyMillis: number | undefined,
  now: number
) => {
  // The request being observed is still counted in `inFlight` (not yet in `answered`); of the others, those still
  // awaiting their answer may not be counted by the server yet.
  const others = Math.max(0, state.inFlight - state.answered - 1)
  if (Option.isSome(snapshot)) {
    const { limit, remaining, resetAtMillis } = snapshot.value
    const believed = Math.max(0, remaining - others)
    if (remaining === 0) state.spentUntil = Math.max(state.spentUntil, resetAtMillis)
    const w = state.window
    if (w._tag !== "Known") {
      state.window = { _tag: "Known", limit, tokens: believed, resetAtMillis, heldBy: "window" }
    } else if (w.resetAtMillis === null || resetAtMillis > w.resetAtMillis) {
      // A newer window. After a local rollover keep the smaller count, since the local count already includes
      // requests sent into this window.
      w.tokens = w.resetAtMillis === null ? Math.min(w.tokens, believed) : believed
      w.limit = limit
      w.resetAtMillis = resetAtMillis
      w.heldBy = "window"
    } else if (resetAtMillis === w.resetAtMillis) {
      w.limit = limit
      w.tokens = Math.min(w.tokens, believed)
    }
    // An answer about an older window arrives late: it says nothing about the current one.
  } else if (state.window._tag === "Unknown") {
    state.window = { _tag: "Open" }
  }
  // A 429 means the server's view is stricter than ours (another process, or a smaller budget): hold everyone
  // until the server's reset.
  if (penaltyMillis !== undefined) hold(state, now + penaltyMillis, "retry-after")
}

/** @internal */
export const make = (options: Options): Gate => {
  const state: State = {
    options,
    margin: Duration.toMillis(options.resetMargin),
    window: options.enabled ? { _tag: "Unknown" } : { _tag: "Open" },
    inFlight: 0,
    answered: 0,
    last: Option.none(),
    spentUntil: Number.NEGATIVE_INFINITY,
    queue: []
  }
  return {
    withSlot: (effect) =>
      Effect.uninterruptibleMask((restore) =>
        Effect.suspend(() => {
          const slot: Slot = { answered: false }
          return Effect.zipRight(
            acquire(state, restore),
            Effect.onExit(restore(effect(slot)), (exit) => release(state, slot, exit))
          )
        })
      ),
    unsafeObserve: (slot, snapshot, penaltyMillis, now) => {
      if (Option.isSome(snapshot)) state.last = snapshot
      // Learn first: the count of other requests awaiting an answer must not include this one.
      if (options.enabled) learn(state, snapshot, penaltyMillis, now)
      if (!slot.answered) {
        slot.answered = true
        state.answered++
      }
      if (options.enabled) pump(state, now)
    },
    unsafeSpentFor: (now) => (options.enabled ? Math.max(0, state.spentUntil + state.margin - now) : 0),
    unsafeHold: (until, now) => {
      if (!options.enabled || until <= now) return
      hold(state, until, "shared")
      pump(state, now)
    },
    snapshot: Effect.sync(() => state.last)
  }
}
