/**
 * `intercom-export`: every contact, company and conversation into SQLite or NDJSON, resumable.
 *
 *   INTERCOM_ACCESS_TOKEN=... pnpm --filter @intercom-effect/export start -- --out intercom.sqlite
 *
 * Run it again after a crash or Ctrl-C and it resumes where it stopped; run it on a finished store and it only
 * prints the summary. The token comes from the environment (INTERCOM_ACCESS_TOKEN, INTERCOM_REGION,
 * INTERCOM_BASE_URL) and is never printed.
 */
import { Command, Options } from "@effect/cli"
import { NodeContext, NodeHttpClient, NodeRuntime } from "@effect/platform-node"
import { Intercom } from "@intercom-effect/services"
import { Console, Effect, Layer } from "effect"
import * as Export from "./Export.js"
import * as NdjsonStore from "./NdjsonStore.js"
import * as Report from "./Report.js"
import * as SqliteStore from "./SqliteStore.js"
import { resources } from "./Store.js"

const out = Options.text("out").pipe(
  Options.withDescription("the SQLite file, or the NDJSON directory"),
  Options.withDefault("intercom-export.sqlite")
)
const format = Options.choice("format", ["sqlite", "ndjson"]).pipe(Options.withDefault("sqlite" as const))
const only = Options.choice("resource", resources).pipe(
  Options.repeated,
  Options.withDescription("export only these (repeat the flag); all three by default")
)
const partitions = Options.integer("partitions").pipe(
  Options.withDescription("walk contacts as this many created_at partitions, searched side by side"),
  Options.withDefault(1)
)
const concurrency = Options.integer("concurrency").pipe(
  Options.withDescription("walks at the same time"),
  Options.withDefault(4)
)
const perPage = Options.integer("per-page").pipe(Options.withDefault(150))

const command = Command.make("intercom-export", { out, format, only, partitions, concurrency, perPage }, (args) =>
  Effect.gen(function* () {
    const summary = yield* Export.run({
      ...Export.defaults,
      resources: args.only.length > 0 ? args.only : Export.defaults.resources,
      perPage: args.perPage,
      partitions: args.partitions,
      concurrency: args.concurrency
    })
    yield* Console.log(Report.summary(summary))
  }).pipe(
    Effect.provide(
      Layer.mergeAll(
        args.format === "sqlite" ? SqliteStore.layer(args.out) : NdjsonStore.layer(args.out),
        Report.layer({ tty: process.stderr.isTTY === true })
      )
    )
  )
)

const cli = Command.run(command, { name: "intercom-export", version: "0.0.0" })

const IntercomLive = Intercom.layerConfig().pipe(Layer.provide(NodeHttpClient.layerUndici))

cli(process.argv).pipe(Effect.provide(Layer.mergeAll(IntercomLive, NodeContext.layer)), NodeRuntime.runMain)
