/**
 * Figures a test measures and a README quotes (windows served, 429s per window while Redis was down), printed even
 * though `pnpm test` is otherwise quiet: the workspace's vitest reporter (vitest.reporter.ts at the root) shows of a
 * passing test's console output only the lines that start with {@link marker}.
 */
import { Effect } from "effect"

/** How each line of figures starts (the reporter removes it). */
export const marker = "figures: "

/** Prints `text` (one line or a table) as figures of the running test. */
export const print = (text: string): Effect.Effect<void> =>
  Effect.sync(() =>
    console.log(
      text
        .split("\n")
        .map((line) => `${marker}${line}`)
        .join("\n")
    )
  )
