/**
 * A worker that exports contacts. Start as many as you like: with REDIS_URL set they share one Intercom budget
 * (the app's, keyed by a hash of its token) and the windows Intercom reports spent, through Redis.
 *
 * Environment: INTERCOM_ACCESS_TOKEN, INTERCOM_REGION or INTERCOM_BASE_URL (as for any client of the SDK);
 * REDIS_URL, INTERCOM_BUDGET_LIMIT, INTERCOM_BUDGET_WINDOW, INTERCOM_WORKSPACE_ID (the shared budget, left out without
 * REDIS_URL); WORKER_ID (named in the User-Agent, "1" unless set); EXPORT_PAGES (pages to fetch, walking the list
 * again as often as needed; the whole list once unless set); EXPORT_PER_PAGE (50 unless set).
 *
 * It logs what it exported, and when it runs as a child process, it also sends that report to its parent.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { IntercomClient } from "@intercom-effect/http"
import * as RedisBudget from "@intercom-effect/http/SharedBudget/Redis"
import { Contacts } from "@intercom-effect/services"
import { Config, Effect, Layer, Option } from "effect"
import { exportContacts, type Report } from "./Export.js"

/** What a worker sends its parent process when it is done. */
export interface WorkerReport extends Report {
  readonly worker: string
}

const settings = Config.all({
  worker: Config.string("WORKER_ID").pipe(Config.withDefault("1")),
  pages: Config.option(Config.integer("EXPORT_PAGES")),
  perPage: Config.integer("EXPORT_PER_PAGE").pipe(Config.withDefault(50)),
  shared: Config.option(Config.redacted("REDIS_URL"))
})

const program = Effect.gen(function* () {
  const { worker, pages, perPage, shared } = yield* settings
  const client = IntercomClient.layerConfig({ userAgentSuffix: `worker/${worker}` })
  // Without Redis the worker runs alone, under its own client's gate.
  const IntercomLive = Contacts.layer.pipe(
    Layer.provide(Option.isSome(shared) ? client.pipe(Layer.provide(RedisBudget.layerConfig())) : client),
    Layer.provide(NodeHttpClient.layerUndici)
  )
  const report = yield* exportContacts({ perPage, pages: Option.getOrUndefined(pages) }).pipe(
    Effect.provide(IntercomLive)
  )
  yield* Effect.log(`worker ${worker} exported ${report.contacts} contacts in ${report.pages} pages`)
  const message: WorkerReport = { worker, ...report }
  yield* Effect.sync(() => process.send?.(message))
})

program.pipe(NodeRuntime.runMain)
