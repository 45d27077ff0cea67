/**
 * `contacts export` / `conversations export`: the export engine of `@intercom-effect/sync` into an NDJSON directory, with its progress
 * line on stderr (items, pages, the rate-limit window as pacing happens). A directory that already holds a
 * checkpoint is only continued with `--resume`, so an old export is never extended by mistake.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { Options } from "@effect/cli"
import { App, Failure } from "@intercom-effect/app-kit"
import { Cleanup, Cli, Report } from "@intercom-effect/export"
import * as Export from "@intercom-effect/sync/Export"
import * as ExportNdjson from "@intercom-effect/sync/ExportNdjson"
import type * as ExportStore from "@intercom-effect/sync/ExportStore"
import { Console, Effect, Layer } from "effect"

const common = {
  out: Options.directory("out", { exists: "either" }).pipe(Options.withDescription("the NDJSON directory")),
  resume: Options.boolean("resume").pipe(Options.withDescription("continue the export already in --out")),
  patience: Cli.options.patience
}

/** The options of `contacts export`: contacts can be walked as partitions. */
export const contactOptions = { ...common, ...Cli.options }

/** The options of `conversations export`: one walk. */
export const conversationOptions = common

/** Exports one resource into `out`. */
export const run = (
  resource: ExportStore.Resource,
  args: Partial<Cli.Parsed> & Pick<Cli.Parsed, "patience"> & { readonly out: string; readonly resume: boolean }
) =>
  Effect.gen(function* () {
    const settings = yield* Cli.settings({ ...Cli.single, ...args })
    if (!args.resume && fs.existsSync(path.join(args.out, "checkpoint.json"))) {
      return yield* new Failure.UsageError({
        message: `${args.out} holds an export already`,
        fix: "pass --resume to continue it, or choose another --out"
      })
    }
    const summary = yield* Cleanup.removeIfUnused(args.out, ExportNdjson.layer(args.out), (store) =>
      Export.run({ ...Export.defaults, ...settings, resources: [resource] }).pipe(
        Effect.provide(Layer.mergeAll(store, Report.layer({ tty: process.stderr.isTTY === true })))
      )
    ).pipe(App.resumable(`run it again with --resume to continue`))
    yield* Console.error(Report.summary(summary))
  })
