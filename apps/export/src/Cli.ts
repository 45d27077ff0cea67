/**
 * The export's command-line options, shared by `intercom-export` and `intercom contacts|conversations export`: how
 * contacts are partitioned, how many walks run at once, and how long a walk waits out Intercom's failures.
 */
import { Options } from "@effect/cli"
import { Failure, Flags } from "@intercom-effect/app-kit"
import type * as Export from "@intercom-effect/sync/Export"
import * as Patience from "@intercom-effect/sync/Patience"
import { type Duration, Effect, Option } from "effect"

/** The options, each with its default and its limits. */
export const options = {
  partitions: Flags.integer("partitions", { min: 1, max: 1000 }).pipe(
    Options.withDescription(
      "walk contacts as this many created_at ranges, searched side by side, cut so that each holds about as many"
    ),
    Flags.withDefault(1)
  ),
  since: Flags.time("since").pipe(
    Options.withDescription(
      "with --partitions: where the ranges start (a day, e.g. 2020-01-01); default: the day of the oldest contact. Older contacts are still exported, in the first range"
    ),
    Options.optional
  ),
  until: Flags.time("until").pipe(
    Options.withDescription(
      "with --partitions: where the ranges end; default: now. Newer contacts are still exported, in the last range"
    ),
    Options.optional
  ),
  timeZone: Flags.timeZone("timezone").pipe(
    Options.withDescription(
      "with --partitions: the workspace's timezone, whose days the ranges follow (Intercom's search compares dates by day there); default: UTC, or the stored one when continuing"
    ),
    Options.optional
  ),
  concurrency: Flags.integer("concurrency", { min: 1, max: 64 }).pipe(
    Options.withDescription("walks at the same time"),
    Flags.withDefault(4)
  ),
  patience: Flags.duration("patience").pipe(
    Options.withDescription(
      "how long a walk keeps trying while Intercom fails (5xx, timeouts, network) without storing a page; 0s fails at once"
    ),
    Flags.withDefault(Patience.defaultPatience, "10m")
  )
}

/** What the options parsed into. */
export interface Parsed {
  readonly partitions: number
  readonly since: Option.Option<number>
  readonly until: Option.Option<number>
  readonly timeZone: Option.Option<string>
  readonly concurrency: number
  readonly patience: Duration.Duration
}

/** The parsed options of an export that walks each resource once: no partitions. */
export const single: Omit<Parsed, "patience"> = {
  partitions: 1,
  since: Option.none(),
  until: Option.none(),
  timeZone: Option.none(),
  concurrency: 1
}

/**
 * The export's settings from the options. `--since` / `--until` only shape partitions, and must not enclose an empty
 * span: otherwise a usage error.
 */
export const settings = (
  parsed: Parsed
): Effect.Effect<
  Pick<Export.Options, "partitions" | "since" | "until" | "timeZone" | "concurrency" | "patience">,
  Failure.UsageError
> => {
  const since = Option.getOrUndefined(parsed.since)
  const until = Option.getOrUndefined(parsed.until)
  const timeZone = Option.getOrUndefined(parsed.timeZone)
  if (parsed.partitions === 1 && (since !== undefined || until !== undefined || timeZone !== undefined)) {
    return Effect.fail(
      new Failure.UsageError({
        message:
          "--since, --until and --timezone set the span the contacts' partitions divide and its days, and there is one partition",
        fix: "add --partitions 2 or more, or leave them out: every contact is exported either way"
      })
    )
  }
  if (since !== undefined && until !== undefined && since >= until) {
    return Effect.fail(new Failure.UsageError({ message: "--since must be before --until" }))
  }
  return Effect.succeed({
    partitions: parsed.partitions,
    since,
    until,
    timeZone,
    concurrency: parsed.concurrency,
    patience: parsed.patience
  })
}
