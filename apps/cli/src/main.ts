/**
 * `intercom`: an Intercom workspace from the command line, over @intercom-effect/services.
 *
 *   INTERCOM_ACCESS_TOKEN=... intercom contacts list --limit 20
 *   intercom conversations search --state open --format json
 *   intercom contacts export --out ./contacts --concurrency 4
 */
import { Command, ValidationError } from "@effect/cli"
import { NodeContext, NodeRuntime } from "@effect/platform-node"
import { Report } from "@intercom-effect/export"
import { Cause, Effect } from "effect"
import { intercom } from "./commands.js"

const cli = Command.run(intercom, { name: "intercom", version: "0.0.0" })

cli(process.argv).pipe(
  Effect.catchAllCause((cause) => {
    const failure = Cause.failureOption(cause)
    // @effect/cli has printed a usage problem already; anything else is one line on stderr.
    return failure._tag === "Some" && ValidationError.isValidationError(failure.value)
      ? Effect.sync(() => {
          process.exitCode = 1
        })
      : Report.exitOnFailure(cause)
  }),
  Effect.provide(NodeContext.layer),
  NodeRuntime.runMain({ disableErrorReporting: true })
)
