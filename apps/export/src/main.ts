/**
 * `intercom-export`: every contact, company and conversation into SQLite or NDJSON, resumable.
 *
 *   INTERCOM_ACCESS_TOKEN=... intercom-export --out ~/exports/intercom.sqlite
 *
 * Run it again after a crash or Ctrl-C and it resumes where it stopped; run it on a finished store and it only
 * prints the summary. The token comes from the environment (INTERCOM_ACCESS_TOKEN, INTERCOM_REGION,
 * INTERCOM_BASE_URL) and is never printed. See README.md.
 */
import { Command, Options } from "@effect/cli"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { App, Flags, Retry } from "@intercom-effect/app-kit"
import { Intercom } from "@intercom-effect/services"
// The export's modules, not the package index: the command has no use for the sync's workflow engine.
import * as Export from "@intercom-effect/sync/Export"
import * as ExportNdjson from "@intercom-effect/sync/ExportNdjson"
import * as ExportSqlite from "@intercom-effect/sync/ExportSqlite"
import * as ExportStore from "@intercom-effect/sync/ExportStore"
import { Console, Effect, Layer } from "effect"
import * as Cleanup from "./Cleanup.js"
import * as Cli from "./Cli.js"
import * as Report from "./Report.js"

const options = {
  out: Options.text("out").pipe(
    Options.withDescription("where to write: the SQLite file, or the NDJSON directory (an existing one is continued)")
  ),
  format: Flags.choice("format", ["sqlite", "ndjson"]).pipe(Flags.withDefault("sqlite")),
  only: Flags.choices("resource", ExportStore.resources).pipe(
    Options.withDescription("export only this resource (repeat the flag for more); all three by default")
  ),
  ...Cli.options,
  perPage: Flags.integer("per-page", { min: 1, max: 150 }).pipe(
    Options.withDescription("items per page"),
    Flags.withDefault(150)
  )
}

const command = Command.make("intercom-export", options, (args) =>
  Effect.gen(function* () {
    const settings = yield* Cli.settings(args)
    const app = yield* App.App
    const store = args.format === "sqlite" ? ExportSqlite.layer(args.out) : ExportNdjson.layer(args.out)
    const intercom = Intercom.layerConfig({ retrySchedule: Retry.announcing(app.notice) }).pipe(
      Layer.provide(NodeHttpClient.layerUndici)
    )
    const summary = yield* Cleanup.removeIfUnused(args.out, store, (store) =>
      Export.run({
        ...Export.defaults,
        resources: args.only.length > 0 ? args.only : Export.defaults.resources,
        ...settings,
        perPage: args.perPage
      }).pipe(
        Effect.provide(
          Layer.mergeAll(store, Report.layer({ tty: process.stderr.isTTY === true })).pipe(Layer.provideMerge(intercom))
        )
      )
    ).pipe(App.resumable("run the same command again to resume"))
    yield* Console.log(Report.summary(summary))
  })
).pipe(
  Command.withDescription(
    "Exports every contact, company and conversation of an Intercom workspace into SQLite or NDJSON. Run it again to resume."
  )
)

App.run(command, { name: "intercom-export", version: "0.0.0" })
