/**
 * One worker of an app, run as a process of its own (`node --import tsx`): it exports contacts through the SDK,
 * page after page, with a client configured from the environment as a deployment would be (INTERCOM_ACCESS_TOKEN,
 * INTERCOM_BASE_URL, REDIS_URL, INTERCOM_BUDGET_LIMIT, INTERCOM_BUDGET_WINDOW). WORKER_ID names it in the
 * User-Agent; EXPORT_PAGES says how many pages it fetches, starting over at the end of the list. It reports what it
 * exported over IPC and exits; a failed call fails the process.
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

const exportContacts = Effect.gen(function* () {
  const client = yield* IntercomClient.IntercomClient
  let cursor: string | undefined
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
  const report: WorkerReport = { worker, pages, contacts }
  yield* Effect.sync(() => process.send?.(report))
})

const IntercomLive = IntercomClient.layerConfig({ userAgentSuffix: `worker/${worker}` }).pipe(
  Layer.provide(RedisBudget.layerConfig({ retryInterval: "250 millis" })),
  Layer.provide(NodeHttpClient.layerUndici)
)

exportContacts.pipe(Effect.provide(IntercomLive), NodeRuntime.runMain)
