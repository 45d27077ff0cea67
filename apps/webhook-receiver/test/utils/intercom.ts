/**
 * A recording stand-in for Intercom on 127.0.0.1: it writes down every request that reaches it and answers
 * `POST /conversations/{id}/tags` as Intercom does (the tag, with rate-limit headers), after an optional delay or with
 * a chosen failure status. Anything else is a 404 error list.
 */
import { HttpRouter, HttpServer, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { type Duration, Effect, Layer } from "effect"
import { createServer } from "node:http"

export interface Call {
  readonly method: string
  readonly url: string
  readonly authorization: string | undefined
  readonly version: string | undefined
  readonly body: unknown
}

export interface Behaviour {
  /** How long a tag call waits before it is answered. */
  delay: Duration.DurationInput
  /** Answer tag calls with this status and an error list instead. */
  failWith: number | undefined
}

export interface StandIn {
  readonly url: string
  readonly calls: Array<Call>
  readonly behaviour: Behaviour
}

const errorList = (status: number, code: string) =>
  HttpServerResponse.unsafeJson(
    { type: "error.list", request_id: "standin-req", errors: [{ code, message: `stand-in answered ${status}` }] },
    { status }
  )

export const start = Effect.gen(function* () {
  const calls: Array<Call> = []
  const behaviour: Behaviour = { delay: 0, failWith: undefined }
  const recorded = Effect.gen(function* () {
    const request = yield* HttpServerRequest.HttpServerRequest
    const text = yield* request.text
    calls.push({
      method: request.method,
      url: request.url,
      authorization: request.headers["authorization"],
      version: request.headers["intercom-version"],
      body: text === "" ? undefined : JSON.parse(text)
    })
    return calls.at(-1)!
  })
  const attachTag = Effect.gen(function* () {
    const call = yield* recorded
    yield* Effect.sleep(behaviour.delay)
    if (behaviour.failWith !== undefined) return errorList(behaviour.failWith, "server_error")
    const { admin_id, id } = call.body as { readonly id: string; readonly admin_id: string }
    return HttpServerResponse.unsafeJson(
      {
        type: "tag",
        id,
        name: "Refund request",
        applied_at: 1_733_000_400,
        applied_by: { type: "admin", id: admin_id }
      },
      { headers: { "x-ratelimit-limit": "166", "x-ratelimit-remaining": "165", "x-request-id": "standin-req" } }
    )
  })
  const router = HttpRouter.empty.pipe(
    HttpRouter.post("/conversations/:conversation_id/tags", attachTag),
    HttpRouter.all("*", Effect.as(recorded, errorList(404, "not_found")))
  )
  const context = yield* Layer.build(
    HttpServer.serve(router).pipe(
      Layer.provideMerge(NodeHttpServer.layer(createServer, { port: 0, host: "127.0.0.1" }))
    )
  )
  const address = yield* Effect.provide(HttpServer.HttpServer, context).pipe(Effect.map((server) => server.address))
  const url = address._tag === "TcpAddress" ? `http://127.0.0.1:${address.port}` : ""
  return { url, calls, behaviour } satisfies StandIn
})
