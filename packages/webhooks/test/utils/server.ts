/**
 * A webhook receiver on 127.0.0.1 built from the package's own pieces, and a plain `node:http` client to post to it,
 * so the tests go through real sockets: headers as the server parses them, bodies as they arrive in chunks.
 */
import { HttpRouter, HttpServer, HttpServerResponse } from "@effect/platform"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import { Effect, Either, Layer, Logger, type Tracer } from "effect"
import * as Http from "node:http"
import type { Notification, WebhookError } from "../../src/index.js"
import { Webhooks } from "../../src/index.js"
import { secret } from "./fixtures.js"

export interface Receiver {
  readonly url: string
  /** What `Webhooks.fromRequest` gave on `POST /checked`, in arrival order. */
  readonly checked: Array<Either.Either<Notification.Notification, WebhookError.WebhookError>>
  /** What `Webhooks.handler` handed over on `POST /hook`. */
  readonly accepted: Array<Notification.Notification>
  /** Every line the receiver logged, in logfmt. */
  readonly logs: Array<string>
}

/** Starts a receiver for the scope; `options` configure its `Webhooks` service, `tracer` sees its spans. */
export const receiver = (options: Partial<Webhooks.Options> = {}, tracer?: Tracer.Tracer) =>
  Effect.gen(function* () {
    const checked: Receiver["checked"] = []
    const accepted: Receiver["accepted"] = []
    const logs: Receiver["logs"] = []
    const capture = Logger.make((entry) => void logs.push(Logger.logfmtLogger.log(entry)))
    const router = HttpRouter.empty.pipe(
      HttpRouter.post(
        "/checked",
        Effect.map(Effect.either(Webhooks.fromRequest), (result) => {
          checked.push(result)
          return HttpServerResponse.empty({ status: Either.isRight(result) ? 200 : 400 })
        })
      ),
      HttpRouter.post(
        "/hook",
        Webhooks.handler((notification) => Effect.sync(() => void accepted.push(notification)))
      )
    )
    const server = HttpServer.serve(router).pipe(
      Layer.provide(Layer.orDie(Webhooks.layer({ secret, ...options }))),
      Layer.provideMerge(NodeHttpServer.layer(Http.createServer, { port: 0, host: "127.0.0.1" })),
      Layer.provide(Logger.replace(Logger.defaultLogger, capture)),
      Layer.provide(tracer === undefined ? Layer.empty : Layer.setTracer(tracer))
    )
    const context = yield* Layer.build(server)
    const address = yield* HttpServer.addressWith((address) => Effect.succeed(address)).pipe(Effect.provide(context))
    const url = address._tag === "TcpAddress" ? `http://127.0.0.1:${address.port}` : ""
    return { url, checked, accepted, logs } satisfies Receiver
  })

export interface Answer {
  /** 0 when the connection failed before an answer came. */
  readonly status: number
  readonly body: string
  readonly error?: string
}

/**
 * Posts `body` with `headers`. `chunked: true` sends it in pieces without a Content-Length, as a sender that streams
 * would.
 */
export const post = (
  url: string,
  body: Uint8Array | string,
  headers: Record<string, string> = {},
  options: { readonly chunked?: boolean } = {}
): Effect.Effect<Answer> =>
  Effect.async<Answer>((resume) => {
    const bytes = typeof body === "string" ? Buffer.from(body, "utf8") : Buffer.from(body)
    const request = Http.request(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(options.chunked ? {} : { "content-length": String(bytes.byteLength) }),
        ...headers
      },
      agent: false
    })
    request.on("response", (response) => {
      const chunks: Array<Buffer> = []
      response.on("data", (chunk: Buffer) => chunks.push(chunk))
      response.on("end", () =>
        resume(Effect.succeed({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }))
      )
      response.on("error", (error) => resume(Effect.succeed({ status: 0, body: "", error: error.message })))
    })
    request.on("error", (error) => resume(Effect.succeed({ status: 0, body: "", error: error.message })))
    if (options.chunked) {
      const piece = 16 * 1024
      for (let at = 0; at < bytes.byteLength; at += piece) request.write(bytes.subarray(at, at + piece))
      request.end()
    } else {
      request.end(bytes)
    }
  })
