/**
 * The floor: undici's `request` and `JSON.parse`, nothing else. No status mapping beyond "200 or throw", no retries,
 * no validation: what any client must at least spend per call on this machine.
 */
import { Agent, request } from "undici"
import { HEADERS, isAdmin, itemsOf, nextCursorOf, pool, type Contender } from "./types.js"

export const make = async (baseUrl: string): Promise<Contender> => {
  // An agent of our own with undici's defaults, as NodeHttpClient.layerUndici builds one.
  const dispatcher = new Agent()
  const getJson = async (url: string): Promise<unknown> => {
    const { statusCode, body } = await request(url, { method: "GET", headers: HEADERS, dispatcher })
    const text = await body.text()
    if (statusCode !== 200) throw new Error(`GET ${url}: ${statusCode} ${text.slice(0, 200)}`)
    return JSON.parse(text)
  }
  return {
    walk: async (items) => {
      let seen = 0
      let cursor: string | undefined
      do {
        const query = new URLSearchParams({ per_page: "150" })
        if (cursor !== undefined) query.set("starting_after", cursor)
        const page = await getJson(`${baseUrl}/contacts?${query}`)
        seen += itemsOf(page).length
        cursor = nextCursorOf(page)
      } while (cursor !== undefined && seen < items)
      return seen
    },
    identify: (calls, concurrency) => pool(calls, concurrency, async () => isAdmin(await getJson(`${baseUrl}/me`))),
    close: () => dispatcher.close()
  }
}
