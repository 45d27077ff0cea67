/**
 * The bare @effect/platform client over undici (`NodeHttpClient.layerUndici`), as it comes: `JSON.parse` of the body,
 * no schema, no retry, no rate-limit gate. The distance from here to the SDK is what the SDK's own layers cost.
 */
import { HttpClient, type HttpClientResponse } from "@effect/platform"
// The module itself, not the package index: the index also loads cluster, rpc, sql and workflow, which have nothing
// to do with HTTP and would only inflate the peak RSS measured here.
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { Effect, ManagedRuntime } from "effect"
import { effectContender } from "./effectContender.js"
import { HEADERS, isAdmin, itemsOf, nextCursorOf, type Contender } from "./types.js"

export const make = async (baseUrl: string): Promise<Contender> => {
  const runtime = ManagedRuntime.make(NodeHttpClient.layerUndici)
  const client = await runtime.runPromise(Effect.map(HttpClient.HttpClient, HttpClient.filterStatusOk))
  const json = (response: HttpClientResponse.HttpClientResponse) => response.json

  const walk = (items: number) =>
    Effect.gen(function* () {
      let seen = 0
      let cursor: string | undefined
      do {
        const urlParams: Record<string, string> = { per_page: "150" }
        if (cursor !== undefined) urlParams.starting_after = cursor
        const page = yield* Effect.flatMap(client.get(`${baseUrl}/contacts`, { headers: HEADERS, urlParams }), json)
        seen += itemsOf(page).length
        cursor = nextCursorOf(page)
      } while (cursor !== undefined && seen < items)
      return seen
    })

  return effectContender(runtime, {
    walk,
    identifyOnce: Effect.map(Effect.flatMap(client.get(`${baseUrl}/me`, { headers: HEADERS }), json), isAdmin)
  })
}
