import type { UserConsoleLog } from "vitest"
import { DefaultReporter } from "vitest/reporters"
import { marker } from "./tools/testing/src/Figures.js"

type TaskState = Parameters<DefaultReporter["onUserConsoleLog"]>[1]

/**
 * The default reporter, quiet: with `silent: "passed-only"` a test's console output (Effect's logs, what a child
 * process printed) shows only when the test fails, except the figures a test prints with `Figures.print` of
 * `@intercom-effect/testing`, which the READMEs quote. `vitest --silent=false` shows everything.
 */
export class QuietReporter extends DefaultReporter {
  override onUserConsoleLog(log: UserConsoleLog, taskState?: TaskState): void {
    if (this.ctx.config.silent !== "passed-only" || taskState === "failed")
      return super.onUserConsoleLog(log, taskState)
    // Console output arrives in batches: keep the figure lines of this one, without their marker.
    const figures = log.content
      .split("\n")
      .filter((line) => line.startsWith(marker))
      .map((line) => line.slice(marker.length))
    // Told as "failed" only to pass the base reporter's silence, which would drop a passing test's output.
    if (figures.length > 0) super.onUserConsoleLog({ ...log, content: `${figures.join("\n")}\n` }, "failed")
  }
}
