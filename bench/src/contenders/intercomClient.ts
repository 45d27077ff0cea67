/**
 * Intercom's official Node SDK, used as its README shows: `new IntercomClient({token})`, `contacts.list` iterated
 * with `for await`, `admins.identify()`. It is pointed at the loopback server through its own `baseUrl` option and
 * asked for API 2.10 through its `version` option; everything else keeps its defaults (global fetch, 2 retries).
 * The 7.x line and the last 6.x (installed as the alias `intercom-client-6`) are used the same way.
 */
import { TOKEN, isAdmin, pool, type Contender } from "./types.js"

/** What both lines of the SDK offer for these two calls. */
interface Sdk {
  readonly contacts: { list: (request: { per_page: number }) => Promise<AsyncIterable<unknown>> }
  readonly admins: { identify: () => PromiseLike<unknown> }
}

export const make = async (baseUrl: string, line: 6 | 7): Promise<Contender> => {
  const options = { token: TOKEN, baseUrl, version: "2.10" } as const
  const client: Sdk =
    line === 7
      ? new (await import("intercom-client")).IntercomClient(options)
      : new (await import("intercom-client-6")).IntercomClient(options)
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
