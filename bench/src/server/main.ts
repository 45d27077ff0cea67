/**
 * The loopback Intercom stand-in, run in a process of its own (see `spawn.ts`) so its CPU and memory never count
 * against a contender. It serves:
 *
 *   GET /contacts?per_page=150[&starting_after=<cursor>]   contact_list pages, cursor-paged
 *   GET /me                                                 admin_with_app
 *
 * Every body is serialized once at start-up, so a request costs the server a map lookup and a socket write. Every
 * response carries the rate-limit headers Intercom sends, with a limit no benchmark can spend, and a request id.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import { admin, contactPage, cursorFor, PER_PAGE } from "./data.js"

/** What the parent passes as argv[2] (JSON). */
export interface ServerOptions {
  readonly contacts: number
  readonly realTraffic: boolean
}

/** What the server sends its parent once it listens. */
export interface Ready {
  readonly port: number
  readonly pages: number
  readonly bytes: number
}

const options = JSON.parse(process.argv[2] ?? "{}") as ServerOptions
const shapes = { realTraffic: options.realTraffic }
const totalPages = Math.ceil(options.contacts / PER_PAGE)

const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value), "utf8")

// The first page has no cursor; every later page is found by the cursor the previous one handed out.
const firstPage = json(contactPage(0, options.contacts, shapes))
const byCursor = new Map<string, Buffer>()
let bytes = firstPage.length
for (let page = 1; page < totalPages; page++) {
  const body = json(contactPage(page, options.contacts, shapes))
  byCursor.set(cursorFor(page), body)
  bytes += body.length
}
const me = json(admin())

// Intercom enforces its limits in 10-second windows; this one is large enough that no run can spend it, so a client's
// rate-limit gate reads real headers but never holds a request back.
const LIMIT = 100_000_000
let windowEnd = 0
let used = 0
let requests = 0

const send = (res: ServerResponse, status: number, body: Buffer): void => {
  const nowSeconds = Math.floor(Date.now() / 1000)
  if (nowSeconds >= windowEnd) {
    windowEnd = nowSeconds - (nowSeconds % 10) + 10
    used = 0
  }
  used++
  res.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": body.length,
    "Cache-Control": "max-age=0, private, must-revalidate",
    Vary: "Accept, Accept-Encoding",
    "Intercom-Version": "2.10",
    "X-RateLimit-Limit": LIMIT,
    "X-RateLimit-Remaining": LIMIT - used,
    "X-RateLimit-Reset": windowEnd,
    "X-Request-Id": `0010bench${(requests++).toString(36).padStart(10, "0")}`
  })
  res.end(body)
}

const error = (res: ServerResponse, status: number, code: string, message: string): void =>
  send(res, status, json({ type: "error.list", request_id: null, errors: [{ code, message }] }))

const handle = (req: IncomingMessage, res: ServerResponse): void => {
  // Every contender must authenticate as it would against Intercom; a missing token is a harness bug, so say so loudly.
  if (!req.headers.authorization?.startsWith("Bearer ")) return error(res, 401, "unauthorized", "missing bearer token")
  if (req.method !== "GET") return error(res, 404, "not_found", `no route for ${req.method} ${req.url}`)
  const url = req.url ?? "/"
  const query = url.indexOf("?")
  const path = query < 0 ? url : url.slice(0, query)
  if (path === "/me") return send(res, 200, me)
  if (path !== "/contacts") return error(res, 404, "not_found", `no route for GET ${path}`)

  const params = new URLSearchParams(query < 0 ? "" : url.slice(query + 1))
  // Pages are serialized ahead for one size only; any other size would measure a different body.
  if (params.get("per_page") !== String(PER_PAGE)) {
    return error(res, 400, "parameter_invalid", `this server serves per_page=${PER_PAGE} only`)
  }
  const cursor = params.get("starting_after")
  if (cursor === null) return send(res, 200, firstPage)
  const page = byCursor.get(cursor)
  return page === undefined
    ? error(res, 400, "parameter_invalid", "starting_after is not a cursor this server handed out")
    : send(res, 200, page)
}

const server = createServer({ keepAlive: true }, handle)
// Connections stay open between requests and across a contender's pauses (warm-up, GC), as a pooled client expects.
server.keepAliveTimeout = 120_000
server.headersTimeout = 125_000
server.listen(0, "127.0.0.1", () => {
  const address = server.address()
  const ready: Ready = {
    port: typeof address === "object" && address !== null ? address.port : 0,
    pages: totalPages,
    bytes
  }
  process.send?.(ready)
})
// The parent owns this process: when it goes, so does the server.
process.on("disconnect", () => process.exit(0))
