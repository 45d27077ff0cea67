/**
 * W2's SDK contenders: the export engine (`Export` of `@intercom-effect/sync`) as the export app and the demo run it,
 * contacts only, into a SQLite file of its own. With one partition it walks `GET /contacts` page after page; with more, each partition is a
 * `created_at` range searched with `POST /contacts/search`, all walked at once over the one client, whose rate-limit
 * gate paces them together. Nothing is tuned for the benchmark: the client's configuration is the default one.
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
// The module itself, not the package index: see sdk.ts.
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { IntercomConfig } from "@intercom-effect/http"
import { Intercom } from "@intercom-effect/services"
import * as Export from "@intercom-effect/sync/Export"
import * as ExportSqlite from "@intercom-effect/sync/ExportSqlite"
import { Store } from "@intercom-effect/sync/ExportStore"
import { Effect, Layer, ManagedRuntime } from "effect"
import type { Exporter } from "../export.js"
import type { ExportJob } from "../jobs.js"
import { TOKEN } from "./types.js"

export const make = async (job: ExportJob, partitions: number): Promise<Exporter> => {
  const dir = mkdtempSync(join(tmpdir(), "intercom-bench-w2-"))
  // Items of every page the export stored, duplicates included: with the store's count of distinct ids, it shows
  // that each contact came exactly once, not merely that each is there.
  let items = 0
  const counting = Layer.succeed(Export.Reporter, {
    walkStarted: () => Effect.void,
    waiting: () => Effect.void,
    page: (event) =>
      Effect.sync(() => {
        items += event.items
      })
  })
  const services = Intercom.layer.pipe(
    Layer.provide(IntercomConfig.layer({ accessToken: TOKEN, baseUrl: job.baseUrl })),
    Layer.provide(NodeHttpClient.layerUndici)
  )
  const runtime = ManagedRuntime.make(
    Layer.mergeAll(ExportSqlite.layer(join(dir, "export.sqlite")), counting).pipe(Layer.provideMerge(services))
  )
  // Opening the file and creating its tables is start-up, not export: done before the clock starts.
  await runtime.runPromise(Effect.void)

  const exportAll = Export.run({
    ...Export.defaults,
    resources: ["contacts"],
    partitions,
    concurrency: partitions,
    since: job.since,
    until: job.until,
    // A failure ends the run, as before walks had patience: W2 reports an export that stopped early, it does not
    // wait it out.
    patience: 0
  }).pipe(
    Effect.map((summary) => ({ items, stored: summary.stored.contacts })),
    // A failed export is a result to report: what it stored by then, and why it stopped.
    Effect.catchAll((error) =>
      Effect.map(
        Effect.flatMap(Store, (store) => Effect.orElseSucceed(store.count("contacts"), () => NaN)),
        (stored) => ({ items, stored, error: error.message })
      )
    )
  )
  return {
    run: () => runtime.runPromise(exportAll),
    close: async () => {
      await runtime.dispose()
      rmSync(dir, { recursive: true, force: true })
    }
  }
}
