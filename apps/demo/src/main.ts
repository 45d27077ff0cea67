/**
 * Entry point of `pnpm demo`.
 */
import { NodeRuntime } from "@effect/platform-node"
import { Effect } from "effect"
import { main } from "./Demo.js"

NodeRuntime.runMain(
  main.pipe(
    Effect.asVoid,
    // Errors are tagged; print their message (which never carries the token) rather than a stack dump.
    Effect.tapError((error) => Effect.logError(error.message))
  ),
  { disableErrorReporting: true }
)
