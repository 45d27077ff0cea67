/**
 * A window-limited stand-in for Intercom's contact list, run as a process of its own (bundled, see bundle.ts), so its
 * clock and event loop are apart from the workers'. It enforces a fixed number of calls per window, windows aligned
 * to multiples of the window on the wall clock as Intercom's 10-second windows are, sends X-RateLimit-* on every
 * answer and 429 beyond the limit, and counts per window and per worker (the worker's name is the end of the
 * User-Agent) what it answered.
 *
 * Started with its options as JSON in argv[2]; tells the parent its port over IPC, and answers "stats" messages.
 */
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import type { ServerOptions, Stats, WindowCount } from "../WindowServer.js"

const options = JSON.parse(process.argv[2] ?? "{}") as ServerOptions
const windows = new Map<number, WindowCount>()

const contact = (i: number) => ({
  type: "contact",
  id: `c${i}`,
  workspace_id: "ws-test",
  role: "user",
  email: `user${i}@example.com`,
  name: `User ${i}`,
  created_at: 1717000000 + i,
  updated_at: 1717000000 + i,
  custom_attributes: {}
})

const listPage = (url: URL) => {
  const perPage = Math.min(150, Math.max(1, Number(url.searchParams.get("per_page") ?? 50)))
  const after = url.searchParams.get("starting_after")
  const start = after === null ? 0 : Number(after.slice(1)) + 1
  const end = Math.min(options.contacts, start + perPage)
  const data = Array.from({ length: Math.max(0, end - start) }, (_, k) => contact(start + k))
  return {
    type: "list",
    data,
    total_count: options.contacts,
    pages: {
      type: "pages",
      page: Math.floor(start / perPage) + 1,
      per_page: perPage,
      total_pages: Math.ceil(options.contacts / perPage),
      next: end < options.contacts ? { page: Math.floor(end / perPage) + 1, starting_after: `c${end - 1}` } : null
    }
  }
}

const server = Http.createServer((request, response) => {
  request.resume()
  request.on("end", () => {
    const now = Date.now()
    const index = Math.floor(now / options.windowMillis)
    const window = windows.get(index) ?? {
      index,
      startMillis: index * options.windowMillis,
      ok: 0,
      limited: 0,
      byWorker: {}
    }
    windows.set(index, window)
    const worker = /worker\/(\S+)/.exec(request.headers["user-agent"] ?? "")?.[1] ?? "other"
    const mine = (window.byWorker[worker] ??= { ok: 0, limited: 0 })
    const allowed = window.ok < options.limit
    if (allowed) {
      window.ok++
      mine.ok++
    } else {
      window.limited++
      mine.limited++
    }
    const headers = {
      "content-type": "application/json",
      "x-request-id": `req-${index}-${window.ok + window.limited}`,
      "x-ratelimit-limit": String(options.limit),
      "x-ratelimit-remaining": String(options.limit - window.ok),
      "x-ratelimit-reset": String(Math.ceil(((index + 1) * options.windowMillis) / 1000))
    }
    const url = new URL(request.url ?? "/", "http://127.0.0.1")
    if (!allowed) {
      response.writeHead(429, headers)
      response.end(
        JSON.stringify({
          type: "error.list",
          request_id: headers["x-request-id"],
          errors: [{ code: "rate_limit_exceeded", message: "Too many requests" }]
        })
      )
    } else if (url.pathname === "/contacts") {
      response.writeHead(200, headers)
      response.end(JSON.stringify(listPage(url)))
    } else {
      response.writeHead(404, headers)
      response.end(
        JSON.stringify({ type: "error.list", request_id: null, errors: [{ code: "not_found", message: "Not found" }] })
      )
    }
  })
})

process.on("message", (message) => {
  if (message === "stats") {
    const stats: Stats = { limit: options.limit, windowMillis: options.windowMillis, windows: [...windows.values()] }
    process.send?.(stats)
  }
})
// The parent's end is this process's end: nothing stays behind a test that failed.
process.on("disconnect", () => process.exit(0))

server.keepAliveTimeout = 60_000
server.listen(0, "127.0.0.1", () => {
  process.send?.({ port: (server.address() as AddressInfo).port })
})
