/**
 * Intercom's official Node SDK, used as its README shows: `new IntercomClient({token})`, `contacts.list` iterated
 * with `for await`, `admins.identify()`. It is pointed at the loopback server through its own `baseUrl` option and
 * asked for API 2.10 through its `version` option; everything else keeps its defaults (global fetch, 2 retries).
 */
import { IntercomClient } from "intercom-client"
import { TOKEN, isAdmin, pool, type Contender } from "./types.js"

export const make = async (baseUrl: string): Promise<Contender> => {
  const client = new IntercomClient({ token: TOKEN, baseUrl, version: "2.10" })
  return {
    walk: async (items) => {
      let seen = 0
      const pager = await client.contacts.list({ per_page: 150 })
      for await (const _contact of pager) {
        if (++seen >= items) break
      }
      return seen
    },
    identify: (calls, concurrency) => pool(calls, concurrency, async () => isAdmin(await client.admins.identify())),
    // Its sockets belong to Node's global fetch agent; the child process exits right after.
    close: async () => {}
  }
}
