/**
 * The mock Intercom of packages/mock-server on 127.0.0.1, with a hook that may rewrite an answer on its way out, to
 * play what real Intercom does and the mock does not (search that has not caught up with a new contact yet, a 409
 * that names no contact, a bare company where the mock sends a list of one).
 *
 * The mock is imported from its sources rather than as a package dependency: its own tests use these services, and a
 * dependency each way would be a cycle for the workspace's task graph.
 */
import { HttpServer, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import { Effect, Layer } from "effect"
import { createServer } from "node:http"
import { MockIntercom } from "../../../mock-server/src/index.js"
import { token } from "./services.js"

/** A request as a rewrite sees it. */
export interface Seen {
  readonly method: string
  readonly path: string
  readonly query: URLSearchParams
}

/** Returns the body to send instead of `body`, or `undefined` to send the mock's answer as it is. */
export type Rewrite = (request: Seen, status: number, body: unknown) => unknown

/** A running mock: its base URL, its live state and its counters. */
export interface Mock {
  readonly url: string
  readonly state: MockIntercom.Service["state"]
  readonly counters: MockIntercom.Service["counters"]
}

const rewriting = (app: ReturnType<typeof MockIntercom.make>["app"], rewrite: Rewrite): typeof app =>
  Effect.gen(function* () {
    const request = yield* HttpServerRequest.HttpServerRequest
    const response = yield* app
    if (response.body._tag !== "Uint8Array") return response
    const url = new URL(request.url, "http://mock.invalid")
    const body: unknown = JSON.parse(new TextDecoder().decode(response.body.body))
    const next = rewrite({ method: request.method, path: url.pathname, query: url.searchParams }, response.status, body)
    return next === undefined
      ? response
      : HttpServerResponse.unsafeJson(next, { status: response.status, headers: response.headers })
  })

/** Runs `f` against a mock built from `options` (with the test token), answers passed through `rewrite`. */
export const withMock = <A, E>(
  options: MockIntercom.Options,
  f: (mock: Mock) => Effect.Effect<A, E>,
  rewrite: Rewrite = () => undefined
): Effect.Effect<A, E> =>
  Effect.gen(function* () {
    const { app, counters, state } = MockIntercom.make({ accessToken: token, ...options })
    yield* HttpServer.serveEffect(rewriting(app, rewrite))
    const url = yield* HttpServer.addressWith((address) =>
      Effect.succeed(address._tag === "TcpAddress" ? `http://${address.hostname}:${address.port}` : "")
    )
    return yield* f({ url, state, counters })
  }).pipe(
    // The serving fiber stops with the inner scope, before the server it runs on closes.
    Effect.scoped,
    Effect.provide(NodeHttpServer.layer(createServer, { port: 0, host: "127.0.0.1" }).pipe(Layer.orDie))
  )
