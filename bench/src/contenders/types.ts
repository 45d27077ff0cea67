/**
 * The shape every contender takes inside its child process, so a workload is written once and runs against each.
 */

/** A client under test, already built (layers, agents, pools) before anything is measured. */
export interface Contender {
  /** Walks the contact list from its start until `items` contacts were seen; resolves to how many were seen. */
  readonly walk: (items: number) => Promise<number>
  /** Sends `calls` GET /me with at most `concurrency` in flight; resolves to how many answered with an admin. */
  readonly identify: (calls: number, concurrency: number) => Promise<number>
  /** Releases sockets and runtimes. */
  readonly close: () => Promise<void>
}

/** The token every contender sends; the loopback server only checks that one is there. */
export const TOKEN = "bench-token-for-the-loopback-server"

/**
 * The headers the SDK sends on every call, sent by the hand-written contenders too, so each request carries the same
 * work on the wire whichever client built it.
 */
export const HEADERS: Readonly<Record<string, string>> = {
  authorization: `Bearer ${TOKEN}`,
  "intercom-version": "2.10",
  accept: "application/json"
}

/**
 * Runs `call` `calls` times with at most `concurrency` in flight, for the Promise-based contenders (the Effect ones
 * use `Effect.forEach` with the same bound). Resolves to how many calls returned true.
 */
export const pool = async (calls: number, concurrency: number, call: () => Promise<boolean>): Promise<number> => {
  let started = 0
  let succeeded = 0
  const worker = async (): Promise<void> => {
    while (started < calls) {
      started++
      if (await call()) succeeded++
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, calls)) }, worker))
  return succeeded
}

/** The cursor a parsed `contact_list` hands out for the next page, if any. */
export const nextCursorOf = (page: unknown): string | undefined => {
  const next = (page as { pages?: { next?: { starting_after?: unknown } | null } | null }).pages?.next
  return typeof next?.starting_after === "string" && next.starting_after !== "" ? next.starting_after : undefined
}

/** The items of a parsed `contact_list`. */
export const itemsOf = (page: unknown): ReadonlyArray<unknown> => {
  const data = (page as { data?: unknown }).data
  return Array.isArray(data) ? data : []
}

/** Whether a parsed GET /me body is an admin: each contender checks its answer the same cheap way. */
export const isAdmin = (body: unknown): boolean => (body as { type?: unknown } | null)?.type === "admin"
