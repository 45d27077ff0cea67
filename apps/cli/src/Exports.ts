/**
 * `contacts export` / `conversations export`: the export app's engine into an NDJSON directory, with its progress
 * line on stderr (items, pages, the rate-limit window as pacing happens). A directory that already holds a
 * checkpoint is only continued with `--resume`, so an old export is never extended by mistake.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { Options } from "@effect/cli"
import { Export, NdjsonStore, Report } from "@intercom-effect/export"
import type { Store } from "@intercom-effect/export"
import { Console, Effect, Layer } from "effect"

/** The options of an export command. */
export const options = {
  out: Options.directory("out", { exists: "either" }).pipe(Options.withDescription("the NDJSON directory")),
  resume: Options.boolean("resume").pipe(Options.withDescription("continue the export already in --out")),
  concurrency: Options.integer("concurrency").pipe(
    Options.withDescription("walks at the same time (partitions of contacts)"),
    Options.withDefault(4)
  ),
  partitions: Options.integer("partitions").pipe(
    Options.withDescription("contacts only: search this many created_at ranges side by side"),
    Options.withDefault(1)
  )
}

/** Exports one resource into `out`. */
export const run = (
  resource: Store.Resource,
  args: { readonly out: string; readonly resume: boolean; readonly concurrency: number; readonly partitions: number }
) =>
  Effect.gen(function* () {
    if (!args.resume && fs.existsSync(path.join(args.out, "checkpoint.json"))) {
      return yield* Effect.fail(new Error(`${args.out} holds an export already: pass --resume to continue it`))
    }
    const summary = yield* Export.run({
      ...Export.defaults,
      resources: [resource],
      partitions: resource === "contacts" ? args.partitions : 1,
      concurrency: args.concurrency
    }).pipe(
      Effect.provide(Layer.mergeAll(NdjsonStore.layer(args.out), Report.layer({ tty: process.stderr.isTTY === true })))
    )
    yield* Console.error(Report.summary(summary))
  })
