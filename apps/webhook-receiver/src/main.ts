/**
 * Entry point of `pnpm --filter @intercom-effect/webhook-receiver start`: runs the receiver until interrupted.
 */
import { HttpServer } from "@effect/platform"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { Effect, Layer } from "effect"
import * as App from "./App.js"

NodeRuntime.runMain(
  App.layer.pipe(
    HttpServer.withLogAddress,
    Layer.launch,
    // Errors are tagged; print their message (configuration errors name the variable, never its value).
    Effect.tapError((error) => Effect.logError(error.message))
  ),
  { disableErrorReporting: true }
)
