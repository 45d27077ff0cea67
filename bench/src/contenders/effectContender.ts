/**
 * What the two Effect contenders share: a runtime built once, outside any measurement, and W3's bounded-concurrency
 * batch written as Effect code (`Effect.forEach` with `concurrency`), as an Effect user would write it.
 */
import { Effect, type ManagedRuntime } from "effect"
import type { Contender } from "./types.js"

export const effectContender = <R, ER>(
  runtime: ManagedRuntime.ManagedRuntime<R, ER>,
  options: {
    /** Walks up to `items` contacts; succeeds with how many it saw. */
    readonly walk: (items: number) => Effect.Effect<number, unknown, R>
    /** One GET /me; succeeds with whether it answered with an admin. */
    readonly identifyOnce: Effect.Effect<boolean, unknown, R>
  }
): Contender => ({
  walk: (items) => runtime.runPromise(options.walk(items)),
  identify: (calls, concurrency) =>
    runtime.runPromise(
      Effect.map(
        Effect.forEach(Array.from({ length: calls }), () => options.identifyOnce, { concurrency }),
        (answers) => answers.filter(Boolean).length
      )
    ),
  close: () => runtime.dispose()
})
