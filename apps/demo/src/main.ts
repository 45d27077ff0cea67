/**
 * Entry point of `pnpm demo`.
 */
import { NodeRuntime } from "@effect/platform-node"
import { Report } from "@intercom-effect/export"
import { Effect } from "effect"
import { main } from "./Demo.js"

NodeRuntime.runMain(main.pipe(Effect.catchAllCause(Report.exitOnFailure)), { disableErrorReporting: true })
