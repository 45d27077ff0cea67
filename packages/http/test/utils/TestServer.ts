/**
 * A small HTTP server on 127.0.0.1 for integration tests: each test gives it a handler and reads back what it
 * received, including whether the client hung up before the answer was complete.
 */
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import { Effect, type Scope } from "effect"

export interface Received {
  readonly method: string
  readonly url: string
  readonly headers: Http.IncomingHttpHeaders
  readonly body: string
  /** Set when the connection closed before the response finished (the client aborted). */
  aborted: boolean
  finished: boolean
}

export type Handler = (request: Received, response: Http.ServerResponse) => void | Promise<void>

export interface TestServer {
  readonly url: string
  readonly received: Array<Received>
  readonly statuses: Array<number>
  setHandler(handler: Handler): void
}

export const json = (
  response: Http.ServerResponse,
  status: number,
  body: unknown,
  headers: Http.OutgoingHttpHeaders = {}
) => {
  response.writeHead(status, { "content-type": "application/json", ...headers })
  response.end(JSON.stringify(body))
}

/** Starts the server for the scope of the test and closes it (and every open socket) afterwards. */
export const make = (initial: Handler): Effect.Effect<TestServer, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.async<{ server: Http.Server; state: TestServer }>((resume) => {
      let handler = initial
      const received: Array<Received> = []
      const statuses: Array<number> = []
      const server = Http.createServer((req, res) => {
        const chunks: Array<Buffer> = []
        req.on("data", (chunk: Buffer) => chunks.push(chunk))
        req.on("end", () => {
          const entry: Received = {
            method: req.method ?? "",
            url: req.url ?? "",
            headers: req.headers,
            body: Buffer.concat(chunks).toString("utf8"),
            aborted: false,
            finished: false
          }
          received.push(entry)
          res.on("finish", () => {
            entry.finished = true
            statuses.push(res.statusCode)
          })
          res.on("close", () => {
            if (!entry.finished) entry.aborted = true
          })
          void Promise.resolve(handler(entry, res)).catch((error: unknown) => {
            res.destroy(error instanceof Error ? error : new Error(String(error)))
          })
        })
      })
      server.listen(0, "127.0.0.1", () => {
        const { port } = server.address() as AddressInfo
        resume(
          Effect.succeed({
            server,
            state: {
              url: `http://127.0.0.1:${port}`,
              received,
              statuses,
              setHandler: (next) => {
                handler = next
              }
            }
          })
        )
      })
    }),
    ({ server }) =>
      Effect.async<void>((resume) => {
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  ).pipe(Effect.map(({ state }) => state))
