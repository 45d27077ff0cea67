/**
 * One worker of an app, run as a process of its own (bundled, see bundle.ts): it exports contacts through the SDK,
 * page after page, with a client configured from the environment as a deployment would be (INTERCOM_ACCESS_TOKEN,
 * INTERCOM_BASE_URL; REDIS_URL, INTERCOM_BUDGET_LIMIT, INTERCOM_BUDGET_WINDOW for the shared budget, which is left
 * out when REDIS_URL is not set). WORKER_ID names it in the User-Agent; EXPORT_PAGES says how many pages it fetches,
 * in EXPORT_CONCURRENCY walks side by side (4 unless set; each from its own point in the list, starting over at its
 * end), as a partitioned export does. It reports what it exported over IPC and exits; a failed call fails the
 * process.
 */
import { NodeHttpClient, NodeRuntime } from "@effect/platform-node"
import { ContactList } from "@intercom-effect/schemas"
import { Effect, Layer } from "effect"
import { IntercomClient } from "../../../src/index.js"
import * as RedisBudget from "../../../src/SharedBudget/Redis.js"

export interface WorkerReport {
  readonly worker: string
  readonly pages: number
  readonly contacts: number
}

const worker = process.env["WORKER_ID"] ?? "0"
const pages = Number(process.env["EXPORT_PAGES"] ?? "10")
const concurrency = Number(process.env["EXPORT_CONCURRENCY"] ?? "4")

/** Fetches `pages` pages of 50 contacts, from the one after `from` on. */
const walk = (from: string | undefined, pages: number) =>
  Effect.gen(function* () {
    const client = yield* IntercomClient.IntercomClient
    let cursor = from
    let contacts = 0
    for (let page = 0; page < pages; page++) {
      const list = yield* client.request({
        method: "GET",
        path: "/contacts",
        urlParams: cursor === undefined ? { per_page: 50 } : { per_page: 50, starting_after: cursor },
        response: ContactList
      })
      contacts += list.data.length
      const next = list.pages?.next
      cursor = typeof next === "object" && next !== null ? (next.starting_after ?? undefined) : undefined
    }
    return contacts
  })

const exportContacts = Effect.gen(function* () {
  const walks = Array.from({ length: concurrency }, (_, k) => ({
    from: k === 0 ? undefined : `c${k * 1000 - 1}`,
    pages: Math.floor(pages / concurrency) + (k < pages % concurrency ? 1 : 0)
  }))
  const counts = yield* Effect.forEach(walks, (w) => walk(w.from, w.pages), { concurrency: "unbounded" })
  const report: WorkerReport = { worker, pages, contacts: counts.reduce((a, b) => a + b, 0) }
  yield* Effect.sync(() => process.send?.(report))
})

const ClientLive = IntercomClient.layerConfig({ userAgentSuffix: `worker/${worker}` })
const IntercomLive = (
  process.env["REDIS_URL"] === undefined
    ? ClientLive
    : ClientLive.pipe(Layer.provide(RedisBudget.layerConfig({ retryInterval: "250 millis" })))
).pipe(Layer.provide(NodeHttpClient.layerUndici))

exportContacts.pipe(Effect.provide(IntercomLive), NodeRuntime.runMain)
