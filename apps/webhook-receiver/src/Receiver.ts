/**
 * The receiver's HTTP side. `POST /webhooks/intercom` verifies and decodes a delivery (`Webhooks.handler`: a forged,
 * altered or unsigned one is answered 401 and goes no further), skips notifications older than the replay window and
 * ids already handled, and answers 200 at once: the reaction, which calls Intercom, runs in the background, because
 * Intercom wants its answer within seconds and deprioritises endpoints that take longer than half a second.
 * `GET /health` answers 200.
 */
import { HttpMiddleware, HttpRouter, HttpServer, HttpServerResponse } from "@effect/platform"
import type { Conversations } from "@intercom-effect/services"
import { type Notification, ReplayGuard, Webhooks } from "@intercom-effect/webhooks"
import { Context, Duration, Effect, FiberSet, Layer } from "effect"
import * as Reaction from "./Reaction.js"
import { ReceiverConfig } from "./ReceiverConfig.js"

/** Where Intercom posts. */
export const webhookPath = "/webhooks/intercom"

/** How long shutting down waits for reactions in flight before interrupting them. */
export const drainTimeout = Duration.seconds(10)

/** Reactions running in the background. */
export interface ReactionsService {
  /** Starts the reaction to a notification and returns at once. */
  readonly start: (notification: Notification.Notification) => Effect.Effect<void>
  /** Completes when no reaction is running. */
  readonly idle: Effect.Effect<void>
}

/** The background reactions as a service. */
export class Reactions extends Context.Tag("@intercom-effect/webhook-receiver/Reactions")<
  Reactions,
  ReactionsService
>() {}

/**
 * Runs reactions in fibers owned by the layer. Each logs its outcome; a failed call to Intercom is logged with its
 * message (the client never puts the token in one) and not retried here. On shutdown, reactions in flight get
 * {@link drainTimeout} to finish.
 */
export const reactionsLayer: Layer.Layer<Reactions, never, ReceiverConfig | Conversations.Conversations> = Layer.scoped(
  Reactions,
  Effect.gen(function* () {
    const context = yield* Effect.context<ReceiverConfig | Conversations.Conversations>()
    const fibers = yield* FiberSet.make<void, never>()
    // Registered after the set's own finalizer, so it runs first: drain, then interrupt what is left.
    yield* Effect.addFinalizer(() => FiberSet.awaitEmpty(fibers).pipe(Effect.timeout(drainTimeout), Effect.ignore))
    const reactTo = (notification: Notification.Notification) =>
      Reaction.react(notification).pipe(
        Effect.flatMap((outcome) =>
          outcome._tag === "Tagged"
            ? Effect.logInfo(`tagged conversation ${outcome.conversationId} with tag ${outcome.tagId}`)
            : outcome._tag === "NoKeyword"
              ? Effect.logDebug(`conversation ${outcome.conversationId}: no keyword`)
              : Effect.logDebug(`topic ${outcome.topic}: nothing to do`)
        ),
        Effect.catchAll((error) => Effect.logError(`reaction failed: ${error.message}`)),
        Effect.annotateLogs({ "intercom.webhook.id": notification.id, "intercom.webhook.topic": notification.topic }),
        Effect.provide(context)
      )
    return {
      start: (notification) => Effect.asVoid(FiberSet.run(fibers, reactTo(notification))),
      idle: FiberSet.awaitEmpty(fibers)
    }
  })
)

const answer = (outcome: "accepted" | "duplicate" | "stale") => HttpServerResponse.unsafeJson({ outcome })

/** The webhook route's handler. */
export const handleDelivery = Webhooks.handler((notification) =>
  Effect.gen(function* () {
    const guard = yield* ReplayGuard.ReplayGuard
    const outcome = yield* guard.admit(notification)
    if (outcome === "stale") {
      yield* Effect.logWarning(`notification ${notification.id} is older than the replay window: not acted on`)
      return answer("stale")
    }
    if (outcome === "duplicate") {
      yield* Effect.logInfo(`notification ${notification.id} was handled already`)
      return answer("duplicate")
    }
    const reactions = yield* Reactions
    yield* reactions.start(notification)
    return answer("accepted")
  })
)

/** The routes. */
export const router = HttpRouter.empty.pipe(
  HttpRouter.post(webhookPath, handleDelivery),
  HttpRouter.get("/health", HttpServerResponse.text("ok"))
)

/**
 * The server, with its replay guard and background reactions (both exposed, for tests and for a host app). Needs an
 * `HttpServer`, the `Webhooks` service, the settings and the `Conversations` service.
 */
export const layer: Layer.Layer<
  Reactions | ReplayGuard.ReplayGuard,
  never,
  HttpServer.HttpServer | Webhooks.Webhooks | ReceiverConfig | Conversations.Conversations
> = HttpServer.serve(router, HttpMiddleware.logger).pipe(
  Layer.provideMerge(
    Layer.merge(
      reactionsLayer,
      Layer.unwrapEffect(
        Effect.map(ReceiverConfig, (config) =>
          ReplayGuard.layer({ capacity: config.replayCapacity, window: config.replayWindow })
        )
      )
    )
  )
)
