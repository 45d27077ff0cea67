/**
 * W2 with Intercom's official Node SDK: `contacts.list({per_page: 150})` iterated with `for await`, as its README
 * pages, against the mock through its `baseUrl` option. It has no proactive rate limiting; a 429 is retried by its
 * own policy (2 retries by default, after the `X-RateLimit-Reset` the response names, plus up to 20 % jitter), which
 * is kept as it comes: how many 429s that draws is the comparison.
 *
 * It stores the ids in a set rather than a database, which spares it the SQLite writes the export app makes; the
 * writes take a few milliseconds a page, inside windows the limit keeps idle anyway.
 */
import { IntercomClient } from "intercom-client"
import type { Exporter } from "../export.js"
import type { ExportJob } from "../jobs.js"
import { TOKEN } from "./types.js"

export const make = async (job: ExportJob): Promise<Exporter> => {
  const client = new IntercomClient({ token: TOKEN, baseUrl: job.baseUrl, version: "2.10" })
  return {
    run: async () => {
      const ids = new Set<string>()
      let items = 0
      try {
        const pager = await client.contacts.list({ per_page: 150 })
        for await (const contact of pager) {
          items++
          ids.add(contact.id)
        }
        return { items, stored: ids.size }
      } catch (error) {
        return { items, stored: ids.size, error: error instanceof Error ? error.message : String(error) }
      }
    },
    // Its sockets belong to Node's global fetch agent; the child process exits right after.
    close: async () => {}
  }
}
