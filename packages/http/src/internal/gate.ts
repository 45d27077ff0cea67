/**
 * The proactive rate-limit gate: one per client instance, shared by every fiber that uses the client.
 *
 * It keeps a local count of the calls the current window still allows ("tokens"), fed by the X-RateLimit headers
 * of every response. Two traps shape it:
 * - `remaining` is stale while other requests are in flight: the server has not counted them yet, so a response's
 *   `remaining` is reduced by the requests still in flight before it is believed.
 * - before the first response nothing is known: one request goes out alone and teaches the gate the window.
 * When the tokens are spent, new requests wait for the reset (plus a margin for clock skew) instead of drawing a
 * 429; at the reset exactly `limit` of them are let through, the rest keep waiting, so there is no stampede.
 *
 * @internal
 */
import { Clock, Deferred, Duration, Effect, Option, Ref } from "effect"
import type { RateLimitSnapshot } from "../RateLimit.js"

type Window =
  /** Nothing learned yet: let one probe go. */
  | { readonly _tag: "Unknown" }
  /** Responses carry no rate-limit headers (a proxy, a mock): the gate stays open. */
  | { readonly _tag: "Open" }
  | {
      readonly _tag: "Known"
      readonly limit: number
      readonly tokens: number
      /** Epoch ms of the reset; null after a local rollover, until a response names the new window. */
      readonly resetAtMillis: number | null
    }

interface State {
  readonly window: Window
  readonly inFlight: number
  readonly last: Option.Option<RateLimitSnapshot>
  /** Completed and replaced on every change, so waiters wake up and look again. */
  readonly changed: Deferred.Deferred<void>
}

type Decision =
  | { readonly _tag: "Go" }
  | { readonly _tag: "Wait"; readonly untilMillis: number | null; readonly changed: Deferred.Deferred<void> }

/** @internal */
export interface Gate {
  /** Feeds the window seen on a response; `penaltyMillis` is a 429's server-requested wait. */
  readonly observe: (
    snapshot: Option.Option<RateLimitSnapshot>,
    penaltyMillis: Option.Option<number>
  ) => Effect.Effect<void>
  /** Runs `effect` as one request through the gate: waits for a place (interruptibly), always gives it back. */
  readonly withSlot: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  /** The latest window a response reported. */
  readonly snapshot: Effect.Effect<Option.Option<RateLimitSnapshot>>
}

/** @internal */
export const make = (options: { readonly enabled: boolean; readonly resetMargin: Duration.Duration }) =>
  Effect.gen(function* () {
    const margin = Duration.toMillis(options.resetMargin)
    const state = yield* Ref.make<State>({
      window: { _tag: "Unknown" },
      inFlight: 0,
      last: Option.none(),
      changed: yield* Deferred.make<void>()
    })

    // Swap in a fresh signal and wake everyone waiting on the old one.
    const update = (f: (s: State, now: number) => State) =>
      Effect.gen(function* () {
        const next = yield* Deferred.make<void>()
        const now = yield* Clock.currentTimeMillis
        const previous = yield* Ref.modify(state, (s) => [s.changed, { ...f(s, now), changed: next }] as const)
        yield* Deferred.succeed(previous, undefined)
      })

    const decide = (s: State, now: number): readonly [Decision, State] => {
      const go = (window: Window): readonly [Decision, State] => [
        { _tag: "Go" },
        { ...s, window, inFlight: s.inFlight + 1 }
      ]
      const wait = (untilMillis: number | null, next: State = s): readonly [Decision, State] => [
        { _tag: "Wait", untilMillis, changed: s.changed },
        next
      ]
      const w = s.window
      switch (w._tag) {
        case "Open":
          return go(w)
        case "Unknown":
          return s.inFlight === 0 ? go(w) : wait(null)
        case "Known": {
          // The announced reset has passed: a fresh window, end time not yet known. Requests still in flight may
          // reach Intercom only now and count against it, so they come off the full limit.
          const current =
            w.resetAtMillis !== null && now >= w.resetAtMillis + margin
              ? { ...w, tokens: Math.max(0, w.limit - s.inFlight), resetAtMillis: null }
              : w
          if (current.tokens > 0) return go({ ...current, tokens: current.tokens - 1 })
          if (current.resetAtMillis !== null) return wait(current.resetAtMillis + margin, { ...s, window: current })
          // Spent, and the reset is unknown: a response in flight will name it. With nothing in flight there is
          // nobody to learn from, so one request goes as a probe.
          return s.inFlight === 0 ? go(current) : wait(null)
        }
      }
    }

    // Waits until the window allows one more request, then counts it as in flight.
    const acquire: Effect.Effect<void> = options.enabled
      ? Effect.gen(function* () {
          while (true) {
            const now = yield* Clock.currentTimeMillis
            const decision = yield* Ref.modify(state, (s) => decide(s, now))
            if (decision._tag === "Go") return
            const changed = Deferred.await(decision.changed)
            yield* decision.untilMillis === null
              ? changed
              : Effect.race(changed, Effect.sleep(Duration.millis(Math.max(0, decision.untilMillis - now))))
          }
        })
      : Ref.update(state, (s) => ({ ...s, inFlight: s.inFlight + 1 }))

    // One request finished, with or without a response.
    const release = update((s) => ({ ...s, inFlight: Math.max(0, s.inFlight - 1) }))

    const observe = (snapshot: Option.Option<RateLimitSnapshot>, penaltyMillis: Option.Option<number>) =>
      update((s, now) => {
        // The request being observed is still counted in `inFlight`; the others may not be counted by the server.
        const others = Math.max(0, s.inFlight - 1)
        let window: Window = s.window
        if (Option.isSome(snapshot)) {
          const { limit, remaining, resetAtMillis } = snapshot.value
          const believed = Math.max(0, remaining - others)
          if (window._tag !== "Known" || window.resetAtMillis === null || resetAtMillis > window.resetAtMillis) {
            // A newer window (or the first one seen). After a local rollover keep the smaller count, since the
            // local count already includes requests sent into this window.
            const tokens =
              window._tag === "Known" && window.resetAtMillis === null ? Math.min(window.tokens, believed) : believed
            window = { _tag: "Known", limit, tokens, resetAtMillis }
          } else if (resetAtMillis === window.resetAtMillis) {
            window = { ...window, limit, tokens: Math.min(window.tokens, believed) }
          }
          // An answer about an older window arrives late: it says nothing about the current one.
        } else if (window._tag === "Unknown") {
          window = { _tag: "Open" }
        }
        if (Option.isSome(penaltyMillis)) {
          // A 429 means the server's view is stricter than ours (another process, or a smaller budget): hold
          // everyone until the server's reset.
          const until = now + penaltyMillis.value
          window =
            window._tag === "Known"
              ? { ...window, tokens: 0, resetAtMillis: Math.max(window.resetAtMillis ?? 0, until) }
              : { _tag: "Known", limit: 1, tokens: 0, resetAtMillis: until }
        }
        return { ...s, window, last: Option.orElse(snapshot, () => s.last) }
      })

    const gate: Gate = {
      withSlot: (effect) =>
        Effect.uninterruptibleMask((restore) =>
          Effect.zipRight(restore(acquire), Effect.ensuring(restore(effect), release))
        ),
      observe: options.enabled
        ? observe
        : (snapshot) => Ref.update(state, (s) => ({ ...s, last: Option.orElse(snapshot, () => s.last) })),
      snapshot: Effect.map(Ref.get(state), (s) => s.last)
    }
    return gate
  })
