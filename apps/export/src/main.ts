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
import { NodeHttpClient } from "@effect/platform-node"
import { App, Flags, Retry } from "@intercom-effect/app-kit"
import { Intercom } from "@intercom-effect/services"
import { Console, Effect, Layer } from "effect"
import * as Cleanup from "./Cleanup.js"
import * as Cli from "./Cli.js"
import * as Export from "./Export.js"
import * as NdjsonStore from "./NdjsonStore.js"
import * as Report from "./Report.js"
import * as SqliteStore from "./SqliteStore.js"
import { resources } from "./Store.js"

const options = {
  out: Options.text("out").pipe(
    Options.withDescription("where to write: the SQLite file, or the NDJSON directory (an existing one is continued)")
  ),
  format: Flags.choice("format", ["sqlite", "ndjson"]).pipe(Flags.withDefault("sqlite")),
  only: Flags.choices("resource", resources).pipe(
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
    const store = args.format === "sqlite" ? SqliteStore.layer(args.out) : NdjsonStore.layer(args.out)
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
