/**
 * An in-memory HttpClient for unit tests that need TestClock: it answers with canned web `Response`s and counts
 * the requests it saw. Socket behaviour is covered by the integration tests instead.
 */
import { HttpClient, type HttpClientRequest, HttpClientResponse } from "@effect/platform"
import { Effect, Layer, Redacted } from "effect"
import { IntercomClient, IntercomConfig } from "../../src/index.js"
import secret from "./secret.json" with { type: "json" }

export const token = secret.token

export interface Seen {
  readonly method: string
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
}

export type Reply = (request: HttpClientRequest.HttpClientRequest, index: number) => Effect.Effect<Response>

export const fakeHttp = (reply: Reply) => {
  const seen: Array<Seen> = []
  const client = HttpClient.make((request, url) =>
    Effect.suspend(() => {
      const index = seen.length
      seen.push({ method: request.method, url: url.toString(), headers: request.headers })
      return Effect.map(reply(request, index), (response) => HttpClientResponse.fromWeb(request, response))
    })
  )
  return { seen, layer: Layer.succeed(HttpClient.HttpClient, client) }
}

export const jsonResponse = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } })

export const errorList = (code: string, message: string) => ({
  type: "error.list",
  request_id: "req-123",
  errors: [{ code, message }]
})

/** An IntercomClient over a fake transport, with test defaults that keep delays small and deterministic. */
export const clientLayer = (reply: Reply, options: Partial<IntercomConfig.Options> = {}) => {
  const http = fakeHttp(reply)
  const layer = IntercomClient.layer.pipe(
    Layer.provide(
      Layer.orDie(
        IntercomConfig.layer({
          accessToken: Redacted.make(token),
          baseUrl: "https://intercom.test",
          retry: { jitter: 0 },
          ...options
        })
      )
    ),
    Layer.provide(http.layer)
  )
  return { seen: http.seen, layer }
}
